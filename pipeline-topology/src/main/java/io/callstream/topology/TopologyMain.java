package io.callstream.topology;

import io.callstream.enrichment.AiConfig;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.trace.CallTracing;
import java.util.concurrent.CountDownLatch;

/** Runs the topology configured by the environment until the process is told to stop. */
public final class TopologyMain {
  private TopologyMain() {}

  public static void main(String[] args) throws InterruptedException {
    TopologyConfig config = TopologyConfig.fromEnv(System::getenv);
    AiConfig ai = AiConfig.fromEnv(System::getenv);
    CallTracing.installFromEnvironment(System::getenv, "callstream-topology");
    TopologyApp app =
        TopologyApp.start(
            config, ai.enrichers(), new SchemaRegistryClient(config.schemaRegistryUrl()));
    TopologyEndpoints endpoints =
        TopologyEndpoints.serve(app, config.httpHost(), config.httpPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  endpoints.close();
                  app.close();
                  stopped.countDown();
                }));
    System.out.println(
        "callstream topology started: "
            + config.applicationId()
            + ", health and metrics on port "
            + endpoints.port());
    stopped.await();
  }
}
