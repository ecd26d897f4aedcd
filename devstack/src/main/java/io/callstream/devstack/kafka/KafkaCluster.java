package io.callstream.devstack.kafka;

import io.callstream.devstack.ChildJvm;
import io.callstream.devstack.FileTrees;
import io.callstream.devstack.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of several KRaft nodes, each a broker and a controller in a JVM of its own, with
 * its own ports and data folder, on loopback: a node can be stopped (SIGTERM), killed (SIGKILL) and
 * started again on the same ports and data. Settings as {@link KraftNode} says: internal topics
 * three times replicated with two in sync required, a silent broker fenced after 4 s.
 */
public final class KafkaCluster implements KafkaService {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Integer> controllerPorts = new ArrayList<>();
  private final Map<Integer, Process> running = new HashMap<>();
  private final String clusterId = Uuid.randomUuid().toString();

  private KafkaCluster(Path dir, int nodes) {
    this.dir = dir;
    for (int i = 0; i < nodes; i++) {
      ports.add(FreePorts.next());
      controllerPorts.add(FreePorts.next());
    }
  }

  /** Starts {@code nodes} nodes (ids 1 to nodes) in a temporary folder that close deletes. */
  public static KafkaCluster startTemporary(int nodes) {
    KafkaCluster cluster;
    try {
      cluster = new KafkaCluster(Files.createTempDirectory("callstream-kafka-cluster-"), nodes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the Kafka cluster", e);
    }
    // Child processes outlive a JVM that exits without closing them: never leave nodes behind.
    KafkaCluster started = cluster;
    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-cluster-close"));
    try {
      for (int node = 1; node <= nodes; node++) {
        cluster.format(node);
        cluster.launch(node);
      }
      cluster.awaitBrokers(nodes);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  public String bootstrapServers() {
    return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /** How many nodes the cluster has, running or not. */
  public int size() {
    return ports.size();
  }

  public synchronized boolean isRunning(int node) {
    Process process = running.get(node);
    return process != null && process.isAlive();
  }

  /** SIGKILL: the node dies at once, with no clean shutdown. */
  public synchronized void kill(int node) {
    Process process = running.remove(node);
    if (process != null) {
      process.destroyForcibly();
      waitFor(process, node);
    }
  }

  /** SIGTERM: the node shuts down cleanly, handing its leaderships over first. */
  public synchronized void stop(int node) {
    Process process = running.remove(node);
    if (process != null) {
      process.destroy();
      waitFor(process, node);
    }
  }

  /**
   * Starts a stopped or killed node on its ports and data, and waits until it is a broker again.
   */
  public synchronized void start(int node) {
    if (isRunning(node)) {
      return;
    }
    launch(node);
    awaitBrokers((int) running.keySet().stream().filter(this::isRunning).count());
  }

  /** The id of the node that leads the most partitions of {@code topics}. */
  public int leaderOfMostPartitions(List<String> topics) {
    try (Admin admin = admin()) {
      Map<Integer, Integer> led = new HashMap<>();
      for (TopicDescription topic :
          admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          if (partition.leader() != null) {
            led.merge(partition.leader().id(), 1, Integer::sum);
          }
        }
      }
      return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe " + topics + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    new ArrayList<>(running.keySet()).forEach(this::kill);
    FileTrees.deleteQuietly(dir);
  }

  private Path nodeDir(int node) {
    return dir.resolve("node-" + node);
  }

  private void launch(int node) {
    try {
      Path config = nodeDir(node).resolve("server.properties");
      try (Writer out = Files.newBufferedWriter(config)) {
        config(node).store(out, "callstream cluster node " + node);
      }
      running.put(
          node,
          ChildJvm.start(
              KafkaNodeMain.class,
              List.of(config.toString()),
              Map.of(),
              nodeDir(node).resolve("node.log"),
              "512m"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka node " + node, e);
    }
  }

  private Properties config(int node) {
    String voters =
        java.util.stream.IntStream.rangeClosed(1, size())
            .mapToObj(id -> id + "@127.0.0.1:" + controllerPorts.get(id - 1))
            .collect(Collectors.joining(","));
    return KraftNode.config(
        node,
        size(),
        ports.get(node - 1),
        controllerPorts.get(node - 1),
        voters,
        nodeDir(node).resolve("data"));
  }

  private void format(int node) {
    KraftNode.format(nodeDir(node).resolve("data"), node, clusterId);
  }

  private void awaitBrokers(int count) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        try {
          java.util.Collection<Node> nodes =
              admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          if (nodes.size() >= count) {
            return;
          }
        } catch (Exception e) {
          last = e;
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException(
        count + " Kafka brokers on " + bootstrapServers() + " were not up within " + READY_TIMEOUT,
        last);
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000));
  }

  private static void waitFor(Process process, int node) {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping Kafka node " + node, e);
    }
  }
}
