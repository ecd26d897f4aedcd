package io.callstream.devstack.kafka;

import io.callstream.devstack.FileTrees;
import io.callstream.devstack.FreePorts;
import io.callstream.devstack.Restartable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka cluster (KRaft, one process acting as broker and controller) running inside
 * this JVM. Its storage is formatted the first time a data folder is used; later starts on the same
 * folder resume with all topics and offsets. Settings ({@link KraftNode}) suit one node:
 * replication 1 and min ISR 1 for internal topics, few offsets partitions, no initial rebalance
 * delay.
 *
 * <p>Tests start one per JVM in a temporary folder; {@code callstream dev} starts one in a
 * persistent folder. {@link #stop()} and {@link #start()} take it down and up again on the same
 * ports, for outage tests.
 */
public final class KafkaBroker implements KafkaService, Restartable {

  /**
   * The largest record the broker takes: callstream's record limit ({@code SizeLimits} in schemas,
   * which this module does not depend on; a test holds the two equal).
   */
  public static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

  private static final int NODE_ID = 1;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final Path dataDir;
  private final boolean temporary;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  private KafkaBroker(Path dataDir, boolean temporary, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.temporary = temporary;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker on free ports in a temporary folder that {@link #close()} deletes. */
  public static KafkaBroker startTemporary() {
    try {
      Path dir = Files.createTempDirectory("callstream-kafka-");
      return Restartable.startOrClose(
          new KafkaBroker(dir, true, FreePorts.next(), FreePorts.next()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for Kafka", e);
    }
  }

  /**
   * Starts a broker whose data lives in {@code dataDir}, formatting it only when it is new, and
   * listening for clients on {@code port} (0 picks a free one).
   */
  public static KafkaBroker startPersistent(Path dataDir, int port) {
    return Restartable.startOrClose(
        new KafkaBroker(dataDir, false, port == 0 ? FreePorts.next() : port, FreePorts.next()));
  }

  @Override
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** The folder holding the broker's logs and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /** True while the broker is up. */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Starts the broker (formatting its storage the first time) and waits until it serves clients.
   */
  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    Path logDir = dataDir.resolve("kraft-logs");
    formatIfNew(logDir);
    KafkaRaftServer started =
        new KafkaRaftServer(KafkaConfig.fromProps(config(logDir)), Time.SYSTEM);
    started.startup();
    server = started;
    awaitReady();
  }

  /** Stops the broker; {@link #start()} brings it back on the same ports with the same data. */
  @Override
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
    }
  }

  @Override
  public synchronized void close() {
    try {
      stop();
    } finally {
      if (temporary) {
        FileTrees.deleteQuietly(dataDir);
      }
    }
  }

  private Properties config(Path logDir) {
    return KraftNode.config(
        NODE_ID, 1, port, controllerPort, NODE_ID + "@127.0.0.1:" + controllerPort, logDir);
  }

  private void formatIfNew(Path logDir) {
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      KraftNode.format(logDir, NODE_ID, Uuid.randomUuid().toString());
    }
  }

  private void awaitReady() {
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) READY_TIMEOUT.toMillis());
    try (Admin admin = Admin.create(adminConfig)) {
      admin.describeCluster().nodes().get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Kafka broker on " + bootstrapServers() + " did not become ready within " + READY_TIMEOUT,
          e);
    }
  }
}
