package io.callstream.cli;

import io.callstream.cli.dev.DevStack;
import io.callstream.cli.dev.SinkConnectors;
import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.openai.OpenAiClient;
import io.callstream.enrichment.openai.OpenAiLimits;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.CallEnded;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.topology.TopologyApp;
import io.callstream.topology.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.jdbi.v3.core.Jdbi;

/**
 * The pipeline the operator's commands are tried against: every topic, a Connect worker with both
 * sinks into a fresh database, and a topology on the OpenAI path with the AI simulator standing in
 * for the AI service (the one stand-in).
 */
final class SimulatedPipeline implements AutoCloseable {
  static final int DIMENSIONS = 64;

  final String bootstrap;
  final String registryUrl;
  final SchemaRegistryClient registry;
  final AiSimulator simulator;
  final Jdbi jdbi;
  private final ConnectWorker connect;
  private final String name;
  private final Path stateDir;
  private TopologyApp topology;

  private SimulatedPipeline(
      KafkaService kafka, SchemaRegistryService schemas, PostgresService postgres, String name)
      throws Exception {
    this.name = name;
    bootstrap = kafka.bootstrapServers();
    registryUrl = schemas.url();
    registry = new SchemaRegistryClient(registryUrl);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
      TopicCatalog.createAll(
          admin, SinkConnectors.DEAD_LETTER_TOPICS, (short) 1, Duration.ofSeconds(30));
    }
    DevStack.Database database =
        new DevStack.Database(
            postgres.freshDatabase(name.replace('-', '_')), postgres.user(), postgres.password());
    jdbi = Jdbi.create(database.url(), database.user(), database.password());
    simulator =
        AiSimulator.start(
            0,
            new AiSimulator.Latency(Duration.ofMillis(5), Duration.ofMillis(40)),
            AiSimulator.Faults.NONE);
    connect = ConnectWorker.start(bootstrap);
    SinkConnectors.configs(database, registryUrl, DIMENSIONS).forEach(connect::create);
    stateDir = Files.createTempDirectory(name + "-");
    topology = startTopology(null);
  }

  /** Starts it all; {@code name} names the topology's application and the database. */
  static SimulatedPipeline start(
      KafkaService kafka, SchemaRegistryService schemas, PostgresService postgres, String name)
      throws Exception {
    return new SimulatedPipeline(kafka, schemas, postgres, name);
  }

  /** Restarts the topology with the analysis prompt {@code promptFile} (null: the built-in). */
  void restartTopology(Path promptFile) {
    topology.close();
    topology = startTopology(promptFile);
  }

  CommandTesting.Run run(String... args) {
    return CommandTesting.run(bootstrap, registryUrl, args);
  }

  void produce(CallEnded... calls) throws Exception {
    CommandTesting.produce(bootstrap, registry, calls);
  }

  /** Produces {@code n} calls of {@code tenant} (agents agent-0 to agent-6); their ids. */
  List<UUID> produceCalls(String tenant, int n) throws Exception {
    List<CallEnded> calls = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    String run = UUID.randomUUID().toString().substring(0, 8);
    for (int i = 0; i < n; i++) {
      UUID id = UUID.nameUUIDFromBytes((run + "-" + i).getBytes(StandardCharsets.UTF_8));
      ids.add(id);
      calls.add(CommandTesting.call(id, tenant + "-" + run + "-" + i, tenant, "agent-" + (i % 7)));
    }
    produce(calls.toArray(CallEnded[]::new));
    return ids;
  }

  void awaitSinksCaughtUp() throws Exception {
    CommandTesting.awaitSinksCaughtUp(bootstrap);
  }

  long count(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  @Override
  public void close() {
    topology.close();
    connect.close();
    simulator.close();
  }

  private TopologyApp startTopology(Path promptFile) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.put("CALLSTREAM_APPLICATION_ID", name);
    env.put("CALLSTREAM_STATE_DIR", stateDir.toString());
    env.put("CALLSTREAM_STREAM_THREADS", "2");
    env.put("CALLSTREAM_RETRY_CHECK_INTERVAL", "200ms");
    Enrichers.OpenAiModels defaults = Enrichers.OpenAiModels.defaults();
    Enrichers.OpenAiModels models =
        new Enrichers.OpenAiModels(
            defaults.chat(),
            defaults.embedding(),
            DIMENSIONS,
            defaults.transcription(),
            defaults.inputPricePerMillion(),
            defaults.outputPricePerMillion(),
            defaults.audioPricePerMinute(),
            defaults.embeddingBatchInputs(),
            defaults.embeddingBatchTokens(),
            promptFile);
    return TopologyApp.start(
        TopologyConfig.fromEnv(env::get),
        Enrichers.openAi(
            new OpenAiClient(simulator.baseUrl(), "test-key", OpenAiLimits.defaults()), models),
        registry);
  }
}
