package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.devstack.ChildJvm;
import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.EnrichedCall;
import io.callstream.gateway.GatewayApp;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.connect.PostgresSinkConnector;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.TopologyMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Only what the topology committed reaches Postgres. The topology runs in a child JVM and is killed
 * with SIGKILL three times mid-transaction while the sinks run, and the simulated AI answers every
 * analysis differently, so a result written by a transaction that was then aborted differs from the
 * committed one of the same call. At the end every call's row equals the committed record on {@code
 * calls.enriched.v1}, read with {@code read_committed}.
 */
@ExtendWith(LocalServices.class)
class CommittedRowsIT {
  private static final int CALLS = 600;

  @Test
  void everyRowIsTheCommittedResultAfterKillsMidTransaction(
      SchemaRegistryService registry, PostgresService postgres) throws Exception {
    // a broker of its own: the other tests' sinks read every topic from the start, and should not
    // have to wade through this test's records
    try (KafkaBroker broker = KafkaBroker.startTemporary()) {
      run(broker.bootstrapServers(), registry, postgres);
    }
  }

  private void run(String bootstrap, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
    }
    String databaseUrl = postgres.freshDatabase("callstream_committed");
    Path dir = Files.createTempDirectory("committed-rows-");
    String run = UUID.randomUUID().toString().substring(0, 8);
    Jdbi jdbi = Jdbi.create(databaseUrl, postgres.user(), postgres.password());
    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(600), Duration.ofMillis(2500)),
                AiSimulator.Faults.NONE);
        GatewayApp gateway = EndToEndIT.startGateway(bootstrap, registry.url(), dir);
        ConnectWorker connect = ConnectWorker.start(bootstrap)) {
      simulator.freshAnswers(true);
      connect.create("committed-postgres", sink(registry.url(), databaseUrl, postgres));
      for (int i = 0; i < CALLS; i++) {
        EndToEndIT.post(
            gateway,
            "el-acme",
            "conv_committed_" + run + "_" + i,
            List.of(
                "Acme support, this is Ava.",
                "Order " + i + " of run " + run + " arrived broken, I want a refund.",
                "I have started the refund for order " + i + ".",
                "Thanks."));
      }

      Map<String, String> env = topologyEnv(bootstrap, registry.url(), simulator, dir, run);
      Random random = new Random();
      int kills = 0;
      Process topology = startTopology(env, dir.resolve("run-0.log"));
      try {
        for (int rowsBeforeKill : List.of(60, 220, 400)) {
          // mid-run, with analyses in flight and transactions open
          await()
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> rows(jdbi, run) >= rowsBeforeKill);
          Thread.sleep(random.nextInt(1_000));
          topology.destroyForcibly().waitFor(); // SIGKILL: whatever is open is never committed
          kills++;
          topology = startTopology(env, dir.resolve("run-" + kills + ".log"));
        }
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> rows(jdbi, run) == CALLS);
        Thread.sleep(3_000); // any row written twice, or late, would show by now
      } finally {
        topology.destroy();
        topology.waitFor();
      }

      Map<UUID, EnrichedCall> committed =
          committedResults(bootstrap, new SchemaRegistryClient(registry.url()), run);
      assertThat(kills).isEqualTo(3);
      assertThat(committed).hasSize(CALLS);
      // every kill cut analyses short: some calls were analyzed again, with another answer
      assertThat(simulator.requests(AiSimulator.CHAT)).isGreaterThan(CALLS);
      List<Map<String, Object>> rows =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT call_id, summary, version, enriched_at FROM calls"
                              + " WHERE provider_call_id LIKE :run")
                      .bind("run", "conv_committed_" + run + "_%")
                      .mapToMap()
                      .list());
      assertThat(rows).hasSize(CALLS);
      for (Map<String, Object> row : rows) {
        EnrichedCall record = committed.get((UUID) row.get("call_id"));
        assertThat(record).as("committed record of %s", row.get("call_id")).isNotNull();
        assertThat(row.get("summary"))
            .as("summary of %s", row.get("call_id"))
            .isEqualTo(record.getSummary());
        assertThat(row.get("version")).isEqualTo(record.getVersion());
      }
    }
  }

  private static long rows(Jdbi jdbi, String run) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM calls WHERE provider_call_id LIKE :run")
                .bind("run", "conv_committed_" + run + "_%")
                .mapTo(Long.class)
                .one());
  }

  /** The last committed enriched record of each of this run's calls. */
  private static Map<UUID, EnrichedCall> committedResults(
      String bootstrap, SchemaRegistryClient registry, String run) {
    AvroSerde<EnrichedCall> serde = AvroSerde.forValues(EnrichedCall.class, registry);
    Map<UUID, EnrichedCall> results = new HashMap<>();
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.GROUP_ID_CONFIG,
            "committed-rows-" + UUID.randomUUID(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(Topics.CALLS_ENRICHED));
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < Duration.ofSeconds(5).toNanos()) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
          quietSince = System.nanoTime();
          EnrichedCall call = serde.deserialize(record.topic(), record.value());
          if (call.getProviderCallId().startsWith("conv_committed_" + run + "_")) {
            results.put(call.getCallId(), call);
          }
        }
      }
    }
    return results;
  }

  private static Map<String, String> sink(
      String registryUrl, String databaseUrl, PostgresService postgres) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", PostgresSinkConnector.class.getName());
    config.put("topics", Topics.CALLS_ENRICHED);
    config.put("tasks.max", "1");
    config.put("database.url", databaseUrl);
    config.put("database.user", postgres.user());
    config.put("database.password", postgres.password());
    config.put("schema.registry.url", registryUrl);
    config.put("embedding.dimensions", "384");
    return config;
  }

  private static Map<String, String> topologyEnv(
      String bootstrap, String registryUrl, AiSimulator simulator, Path dir, String run) {
    return Map.ofEntries(
        Map.entry("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
        Map.entry("SCHEMA_REGISTRY_URL", registryUrl),
        Map.entry("OPENAI_BASE_URL", simulator.baseUrl()),
        Map.entry("OPENAI_API_KEY", "test-key"),
        Map.entry("OPENAI_REQUESTS_PER_MINUTE", "6000000"),
        Map.entry("OPENAI_TOKENS_PER_MINUTE", "6000000000"),
        Map.entry("CALLSTREAM_APPLICATION_ID", "committed-rows-" + run),
        Map.entry("CALLSTREAM_INSTANCE_ID", "committed-rows-1"),
        Map.entry("CALLSTREAM_STATE_DIR", dir.resolve("streams").toString()),
        Map.entry("CALLSTREAM_TOPOLOGY_PORT", "0"),
        Map.entry("CALLSTREAM_CAPACITY", "8"));
  }

  private static Process startTopology(Map<String, String> env, Path log) throws Exception {
    return ChildJvm.start(TopologyMain.class, env, log, "768m");
  }
}
