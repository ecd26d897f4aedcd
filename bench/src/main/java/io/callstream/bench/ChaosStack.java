package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.ChildProcess;
import io.callstream.devstack.FreePorts;
import io.callstream.devstack.connect.DistributedConnectWorker;
import io.callstream.devstack.kafka.KafkaCluster;
import io.callstream.devstack.kafka.TopicRecords;
import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.gateway.GatewayMain;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.TopologyMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * callstream scaled out for the chaos run: a three-node Kafka cluster (every topic three times
 * replicated, two in sync required), the registry, Postgres, the AI simulator, and every component
 * in JVMs of its own: gateways, topology instances and distributed Connect workers, each of which
 * the run can kill, stop and start again.
 */
final class ChaosStack implements AutoCloseable {
  static final String SOURCE = "el-chaos";
  static final String SECRET = "chaos-elevenlabs-secret-7f3a";
  static final String APPLICATION = "chaos-topology";
  static final String CONNECT_GROUP = "chaos-connect";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  final KafkaCluster kafka;
  final ApicurioRegistry registry;
  final PostgresCluster postgres;
  final AiSimulator ai;
  final List<ChildProcess> gateways = new ArrayList<>();
  final List<Integer> gatewayPorts = new ArrayList<>();
  final List<ChildProcess> topologies = new ArrayList<>();
  final List<Integer> topologyPorts = new ArrayList<>();
  final List<DistributedConnectWorker> workers = new ArrayList<>();

  private ChaosStack(
      Path dir,
      KafkaCluster kafka,
      ApicurioRegistry registry,
      PostgresCluster postgres,
      AiSimulator ai) {
    this.dir = dir;
    this.kafka = kafka;
    this.registry = registry;
    this.postgres = postgres;
    this.ai = ai;
  }

  /** Starts the services, then {@code gateways}, {@code topologies} and {@code workers}. */
  static ChaosStack start(
      Path dir, AiSimulator.Faults faults, int gateways, int topologies, int workers)
      throws Exception {
    KafkaCluster kafka = KafkaCluster.startTemporary(3);
    ApicurioRegistry registry = ApicurioRegistry.start();
    PostgresCluster postgres = PostgresCluster.startTemporary();
    AiSimulator ai =
        AiSimulator.start(
            0, new AiSimulator.Latency(Duration.ofMillis(150), Duration.ofMillis(600)), faults);
    ChaosStack stack = new ChaosStack(dir, kafka, registry, postgres, ai);
    try {
      stack.createTopics();
      for (int i = 0; i < topologies; i++) {
        stack.addTopology();
      }
      for (int i = 0; i < gateways; i++) {
        stack.addGateway();
      }
      for (int i = 0; i < workers; i++) {
        stack.workers.add(
            DistributedConnectWorker.start(
                kafka.bootstrapServers(), CONNECT_GROUP, (short) 3, dir.resolve("connect")));
      }
      await("the gateways", Duration.ofSeconds(120), stack::gatewaysReady);
      await("the topology", Duration.ofSeconds(180), stack::topologiesReady);
      await(
          "the Connect workers",
          Duration.ofSeconds(180),
          () -> stack.workers.stream().allMatch(DistributedConnectWorker::ready));
      stack.createConnectors();
      return stack;
    } catch (Exception | Error e) {
      stack.close();
      throw e;
    }
  }

  /** Topics created explicitly, and every partition's offsets listed before anyone produces. */
  private void createTopics() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      TopicCatalog.createAll(admin, (short) 3, Duration.ofSeconds(60));
      TopicRecords.latest(admin, TopicCatalog.all().stream().map(spec -> spec.name()).toList());
    }
  }

  /** Starts one more topology instance (instance ids topology-1, topology-2, ...). */
  ChildProcess addTopology() throws Exception {
    int n = topologies.size() + 1;
    int port = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", registry.url());
    env.put("CALLSTREAM_APPLICATION_ID", APPLICATION);
    env.put("CALLSTREAM_INSTANCE_ID", "topology-" + n);
    env.put("CALLSTREAM_STATE_DIR", dir.resolve("topology-" + n).toString());
    env.put("CALLSTREAM_STREAM_THREADS", "1");
    // fewer transactions: a dozen JVMs share two cores here
    env.put("CALLSTREAM_COMMIT_INTERVAL", "1s");
    env.put("CALLSTREAM_TOPOLOGY_HOST", "127.0.0.1");
    env.put("CALLSTREAM_TOPOLOGY_PORT", Integer.toString(port));
    env.put("CALLSTREAM_RETRY_DELAYS", "1s,2s,4s");
    env.put("CALLSTREAM_RETRY_CHECK_INTERVAL", "200ms");
    env.put("CALLSTREAM_LAG_GROUPS", "connect-chaos-postgres,connect-chaos-pgvector");
    env.put("OPENAI_BASE_URL", ai.baseUrl());
    env.put("OPENAI_API_KEY", "chaos-key");
    env.put("OPENAI_TIMEOUT", "3s");
    env.put("OPENAI_EMBEDDING_DIMENSIONS", "384");
    env.put("OPENAI_MAX_CONCURRENCY", "128");
    env.put("OPENAI_REQUESTS_PER_MINUTE", "600000");
    env.put("OPENAI_TOKENS_PER_MINUTE", "600000000");
    ChildProcess topology =
        new ChildProcess(TopologyMain.class, env, dir.resolve("topology-" + n + ".log"), "640m")
            .start();
    topologies.add(topology);
    topologyPorts.add(port);
    return topology;
  }

  private void addGateway() throws Exception {
    Path sources =
        Files.writeString(
            dir.resolve("sources.json"),
            """
            {"sources": [
              {"id": "%s", "provider": "elevenlabs", "secret_env": "CHAOS_SECRET", "tenant": "chaos"}
            ]}
            """
                .formatted(SOURCE));
    int n = gateways.size() + 1;
    int port = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", registry.url());
    env.put("CALLSTREAM_SOURCES_FILE", sources.toString());
    env.put("CALLSTREAM_GATEWAY_HOST", "127.0.0.1");
    env.put("CALLSTREAM_GATEWAY_PORT", Integer.toString(port));
    env.put("CALLSTREAM_BLOB_DIR", dir.resolve("blobs").toString());
    env.put("CHAOS_SECRET", SECRET);
    gateways.add(
        new ChildProcess(GatewayMain.class, env, dir.resolve("gateway-" + n + ".log"), "384m")
            .start());
    gatewayPorts.add(port);
  }

  private void createConnectors() throws Exception {
    String common =
        """
        "tasks.max": "2", "database.url": "%s", "database.user": "%s", "database.password": "%s",
        "schema.registry.url": "%s", "embedding.dimensions": "384"
        """
            .formatted(postgres.jdbcUrl(), postgres.user(), postgres.password(), registry.url());
    DistributedConnectWorker first = workers.get(0);
    first.putConnector(
        "chaos-postgres",
        "{\"connector.class\": \"io.callstream.sinks.connect.PostgresSinkConnector\", \"topics\": \""
            + Topics.CALLS_ENRICHED
            + "\", "
            + common
            + "}");
    first.putConnector(
        "chaos-pgvector",
        "{\"connector.class\": \"io.callstream.sinks.connect.PgvectorSinkConnector\", \"topics\": \""
            + Topics.CALLS_CHUNKS
            + "\", "
            + common
            + "}");
  }

  boolean gatewaysReady() {
    return gatewayPorts.stream()
        .allMatch(port -> answers("http://127.0.0.1:" + port + "/health/ready"));
  }

  boolean topologiesReady() {
    for (int i = 0; i < topologies.size(); i++) {
      if (topologies.get(i).isRunning()
          && !answers("http://127.0.0.1:" + topologyPorts.get(i) + "/health/ready")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Rebalances the running topology instances counted ({@code callstream_topology_rebalances_total}
   * since each started): instances coming and going, and fenced stream threads rejoining.
   */
  long rebalances() {
    return (long) sumOverTopologies("callstream_topology_rebalances_total");
  }

  /**
   * How the running topology instances other than {@code leaving} stand: the tasks they run, once
   * each of them is RUNNING (not rebalancing) with no store restoring, else -1; and a line saying
   * how each stands ({@code topology-2 RUNNING 14/0}: tasks, stores restoring).
   */
  TaskView tasks(ChildProcess leaving) {
    int tasks = 0;
    boolean settled = true;
    StringBuilder view = new StringBuilder();
    for (int i = 0; i < topologies.size(); i++) {
      if (topologies.get(i) == leaving || !topologies.get(i).isRunning()) {
        continue;
      }
      JsonNode ready = JSON.createObjectNode();
      try {
        ready = JSON.readTree(get("http://127.0.0.1:" + topologyPorts.get(i) + "/health/ready"));
      } catch (IOException e) {
        // an instance that does not answer is not settled
      }
      String state = ready.path("streams").asText("UNANSWERED");
      int active = ready.path("active_tasks").asInt();
      int restoring = ready.path("restoring_stores").asInt();
      settled &= state.equals("RUNNING") && restoring == 0;
      tasks += active;
      view.append(" topology-%d %s %d/%d".formatted(i + 1, state, active, restoring));
    }
    return new TaskView(settled ? tasks : -1, view.toString().strip());
  }

  /** What {@link #tasks} saw. */
  record TaskView(int settledTasks, String line) {}

  /**
   * How many tasks the topology has: what its running instances run once none is rebalancing or
   * restoring (waited for up to a minute, so a fault never lands in the last one's rebalance).
   */
  int settledTasks() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    TaskView view = tasks(null);
    while (view.settledTasks() <= 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      view = tasks(null);
    }
    if (view.settledTasks() <= 0) {
      throw new IllegalStateException(
          "the topology did not settle within a minute: " + view.line());
    }
    return view.settledTasks();
  }

  /**
   * Milliseconds from {@code sinceNanos} until the instances other than {@code gone} run all {@code
   * tasks}, none restoring; -1 if they did not within a minute. Prints how the instances stand each
   * time it changes.
   */
  long handOverMs(ChildProcess gone, int tasks, long sinceNanos) throws InterruptedException {
    long deadline = sinceNanos + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      TaskView view = tasks(gone);
      long ms = (System.nanoTime() - sinceNanos) / 1_000_000;
      if (!view.line().equals(last)) {
        System.err.printf("hand-over +%d ms: %s (of %d tasks)%n", ms, view.line(), tasks);
        last = view.line();
      }
      if (view.settledTasks() == tasks) {
        return ms;
      }
      Thread.sleep(100);
    }
    return -1;
  }

  /** A {@code callstream_topology_*} figure summed over the running topology instances. */
  double sumOverTopologies(String name) {
    double total = 0;
    for (int i = 0; i < topologies.size(); i++) {
      if (topologies.get(i).isRunning()) {
        total += metric(get("http://127.0.0.1:" + topologyPorts.get(i) + "/metrics"), name);
      }
    }
    return total;
  }

  /** The longest store restore on any running topology instance, in seconds. */
  double longestRestoreSeconds() {
    double longest = 0;
    for (int i = 0; i < topologies.size(); i++) {
      if (topologies.get(i).isRunning()) {
        String metrics = get("http://127.0.0.1:" + topologyPorts.get(i) + "/metrics");
        longest = Math.max(longest, metric(metrics, "callstream_topology_restore_longest_seconds"));
      }
    }
    return longest;
  }

  private static double metric(String metrics, String name) {
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
        .sum();
  }

  /** The body of a GET, or "" if the instance does not answer. */
  private static String get(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return "";
    }
  }

  private static boolean answers(String url) {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (Exception e) {
      return false;
    }
  }

  static void await(String what, Duration atMost, BooleanSupplier ready) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (!ready.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + " not ready after " + atMost);
      }
      Thread.sleep(250);
    }
  }

  @Override
  public void close() {
    topologies.forEach(ChildProcess::close);
    gateways.forEach(ChildProcess::close);
    workers.forEach(DistributedConnectWorker::close);
    ai.close();
    postgres.close();
    registry.close();
    kafka.close();
  }
}
