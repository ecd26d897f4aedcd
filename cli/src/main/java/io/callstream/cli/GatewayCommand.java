package io.callstream.cli;

import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.GatewayConfig;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code callstream gateway}: the ingest gateway alone, configured from the environment. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the ingest gateway, configured from the environment (KAFKA_BOOTSTRAP_SERVERS,"
          + " SCHEMA_REGISTRY_URL, CALLSTREAM_SOURCES_FILE, ...; see the README).",
      "Health: GET /health/live, /health/ready; Prometheus: GET /metrics."
    })
final class GatewayCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    GatewayApp app =
        GatewayApp.start(GatewayConfig.fromEnv(System::getenv), System::getenv, Clock.systemUTC());
    System.out.println("callstream gateway listening on port " + app.port());
    return Foreground.runUntilStopped("gateway", List.of(app));
  }
}
