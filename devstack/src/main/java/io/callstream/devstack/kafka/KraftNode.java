package io.callstream.devstack.kafka;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One KRaft node, broker and controller in one process, as {@link KafkaBroker} and {@link
 * KafkaCluster} run it: its settings and the formatting of its storage. Internal topics are
 * replicated on up to three nodes with all but one in sync required; in a cluster, a broker that
 * stops heart-beating is fenced after 4 s, so leaders move quickly.
 */
final class KraftNode {
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private KraftNode() {}

  /**
   * The settings of node {@code nodeId} of a cluster of {@code nodes}: clients on {@code port}, the
   * controller quorum ({@code voters}, {@code id@host:port,...}) on {@code controllerPort}.
   */
  static Properties config(
      int nodeId, int nodes, int port, int controllerPort, String voters, Path logDir) {
    int replicas = Math.min(3, nodes);
    String replication = Integer.toString(replicas);
    String minInSync = Integer.toString(Math.max(1, replicas - 1));
    Properties props = new Properties();
    props.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", Integer.toString(nodeId)),
            Map.entry("controller.quorum.voters", voters),
            Map.entry(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                    + port
                    + ","
                    + CONTROLLER_LISTENER
                    + "://127.0.0.1:"
                    + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
            Map.entry("controller.listener.names", CONTROLLER_LISTENER),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("log.dirs", logDir.toString()),
            Map.entry("auto.create.topics.enable", "false"),
            Map.entry("num.partitions", "1"),
            Map.entry("default.replication.factor", replication),
            Map.entry("min.insync.replicas", minInSync),
            Map.entry("offsets.topic.replication.factor", replication),
            Map.entry("offsets.topic.num.partitions", "3"),
            Map.entry("transaction.state.log.replication.factor", replication),
            Map.entry("transaction.state.log.min.isr", minInSync),
            Map.entry("transaction.state.log.num.partitions", "3"),
            Map.entry("share.coordinator.state.topic.replication.factor", replication),
            Map.entry("share.coordinator.state.topic.min.isr", minInSync),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // a killed producer's open transaction blocks read_committed readers (a failed-over
            // task's restore among them) until aborted: look for timed-out ones every second
            Map.entry("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"),
            // a transaction's first write to a partition whose last transaction's markers are
            // still being written waits here (retried every 20 ms) rather than going back to the
            // producer's exponential back-off, which stretched each commit of a busy stream thread
            Map.entry("add.partitions.to.txn.retry.backoff.max.ms", "1000"),
            Map.entry("message.max.bytes", Integer.toString(KafkaBroker.MAX_MESSAGE_BYTES)),
            Map.entry("replica.fetch.max.bytes", Integer.toString(KafkaBroker.MAX_MESSAGE_BYTES)),
            Map.entry("num.network.threads", "2"),
            Map.entry("num.io.threads", nodes == 1 ? "4" : "2"),
            Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024))));
    if (nodes > 1) {
      // a node that stops heart-beating loses its leaderships after 4 s (default 9 s); alone, a
      // node has no one to hand them to, and a busy machine must not fence it from itself
      props.put("broker.session.timeout.ms", "4000");
      props.put("broker.heartbeat.interval.ms", "1000");
    }
    return props;
  }

  /** Formats {@code logDir} as node {@code nodeId}'s storage in cluster {@code clusterId}. */
  static void format(Path logDir, int nodeId, String clusterId) {
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setNodeId(nodeId)
          .setClusterId(clusterId)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(logDir.toString())
          .setDirectories(List.of(logDir.toString()))
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format Kafka storage in " + logDir + ": " + e.getMessage(), e);
    }
  }
}
