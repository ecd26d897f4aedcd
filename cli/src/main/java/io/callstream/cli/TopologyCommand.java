package io.callstream.cli;

import io.callstream.topology.TopologyMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code callstream topology}: the Kafka Streams application alone, configured from the
 * environment.
 */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline topology, configured from the environment (KAFKA_BOOTSTRAP_SERVERS,"
          + " SCHEMA_REGISTRY_URL, CALLSTREAM_*, OPENAI_*; see the README).",
      "Health: GET /health/live, /health/ready; Prometheus: GET /metrics, on"
          + " CALLSTREAM_TOPOLOGY_PORT (8081)."
    })
final class TopologyCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    TopologyMain.main(new String[0]); // returns once a signal stopped it
    return 0;
  }
}
