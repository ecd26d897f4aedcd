package io.callstream.devstack.connect;

import io.callstream.devstack.ChildJvm;
import io.callstream.devstack.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One worker of a distributed Kafka Connect cluster, in a JVM of its own so it can be killed:
 * workers started with the same {@code groupId} share the connectors and their tasks, keep
 * configurations, offsets and statuses in Kafka (replicated as the cluster allows), and take a lost
 * worker's tasks over after {@code scheduled.rebalance.max.delay.ms} (5 s here). The plugins come
 * from this JVM's class path; only committed records are read.
 */
public final class DistributedConnectWorker implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path properties;
  private final Path log;
  private final int port;
  private Process process;

  private DistributedConnectWorker(Path properties, Path log, int port) {
    this.properties = properties;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts a worker of group {@code groupId}, its files in {@code dir}, its REST API on a free
   * port.
   */
  public static DistributedConnectWorker start(
      String bootstrapServers, String groupId, short replication, Path dir) {
    int port = FreePorts.next();
    Properties worker = new Properties();
    worker.putAll(ConnectWorker.settings(bootstrapServers, port));
    worker.put("group.id", groupId);
    worker.put("config.storage.topic", groupId + "-configs");
    worker.put("offset.storage.topic", groupId + "-offsets");
    worker.put("status.storage.topic", groupId + "-status");
    worker.put("config.storage.replication.factor", Short.toString(replication));
    worker.put("offset.storage.replication.factor", Short.toString(replication));
    worker.put("status.storage.replication.factor", Short.toString(replication));
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("scheduled.rebalance.max.delay.ms", "5000");
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("worker-" + port + ".properties");
      try (var out = Files.newOutputStream(file)) {
        worker.store(out, "a callstream Connect worker");
      }
      DistributedConnectWorker started =
          new DistributedConnectWorker(file, dir.resolve("worker-" + port + ".log"), port);
      started.start();
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a Connect worker in " + dir, e);
    }
  }

  /** (Re)starts the worker's JVM. */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    process =
        ChildJvm.start(
            org.apache.kafka.connect.cli.ConnectDistributed.class,
            List.of(properties.toString()),
            Map.of(),
            log,
            "768m");
  }

  /** SIGKILL: no goodbye to the group, no last offset commit. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The worker's REST API, e.g. {@code http://127.0.0.1:8083}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Whether the REST API answers (the worker joined its group and read the configurations). */
  public boolean ready() {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url() + "/connectors"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Creates or replaces connector {@code name} with {@code configJson} (a JSON object). */
  public void putConnector(String name, String configJson)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url() + "/connectors/" + name + "/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(configJson))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "Connect refused connector "
              + name
              + ": "
              + response.statusCode()
              + " "
              + response.body());
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
