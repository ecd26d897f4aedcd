package io.callstream.devstack.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One node of a {@link KafkaCluster} in a JVM of its own: {@code KafkaNodeMain <server.properties>}
 * on storage the cluster formatted. SIGTERM shuts it down cleanly; SIGKILL is a crash.
 */
public final class KafkaNodeMain {
  private KafkaNodeMain() {}

  public static void main(String[] args) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
      props.load(in);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "kafka-node-shutdown"));
    server.startup();
    server.awaitShutdown();
  }
}
