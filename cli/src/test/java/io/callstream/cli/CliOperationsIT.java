package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.CallEnded;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's commands against a running pipeline, all real (broker, registry, topology, Connect
 * worker with both sinks, Postgres with pgvector) and the AI provider simulated: replay with the AI
 * result cache, and dead letters redriven after their agent is mapped.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliOperationsIT {
  private static final int CALLS = 500;
  private static final String TENANT = "replay-tenant";

  private SimulatedPipeline pipeline;

  @BeforeAll
  void startPipeline(KafkaService kafka, SchemaRegistryService schemas, PostgresService postgres)
      throws Exception {
    pipeline = SimulatedPipeline.start(kafka, schemas, postgres, "cli-operations");
  }

  @AfterAll
  void stopPipeline() {
    pipeline.close();
  }

  @Test
  void replayIsServedFromTheCacheUntilThePromptVersionChanges() throws Exception {
    Instant start = Instant.now().minusSeconds(1);
    List<UUID> ids = produceCalls(CALLS);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> count("SELECT count(*) FROM calls WHERE tenant_id = '" + TENANT + "'") == CALLS);
    awaitSinksCaughtUp();
    Map<UUID, String> rowsBefore = rows();
    long chatBefore = pipeline.simulator.requests(AiSimulator.CHAT);
    long embeddingsBefore = pipeline.simulator.requests(AiSimulator.EMBEDDINGS);

    CommandTesting.Run replay =
        run("replay", "--from", start.toString(), "--tenant", TENANT, "--wait", "3m");

    assertThat(replay.code()).as(replay.output()).isZero();
    assertThat(replay.output())
        .contains("replayed " + CALLS + " events of " + CALLS + " calls")
        .contains("enriched " + CALLS + ": " + CALLS + " served from the AI result cache");
    awaitSinksCaughtUp();
    assertThat(pipeline.simulator.requests(AiSimulator.CHAT)).isEqualTo(chatBefore);
    assertThat(pipeline.simulator.requests(AiSimulator.EMBEDDINGS)).isEqualTo(embeddingsBefore);
    assertThat(rows()).isEqualTo(rowsBefore);

    // A new prompt version: replaying 50 calls enriches exactly those 50 again.
    Path prompt = Files.createTempDirectory("prompts-").resolve("analyze-v2.txt");
    Files.writeString(prompt, resource("/prompts/analyze-v1.txt") + "\nKeep the summary short.\n");
    pipeline.restartTopology(prompt);
    List<UUID> fifty = ids.subList(100, 150);
    List<String> args =
        new ArrayList<>(List.of("replay", "--from", start.toString(), "--wait", "3m", "--call"));
    fifty.forEach(id -> args.add(id.toString()));

    CommandTesting.Run again = run(args.toArray(String[]::new));

    assertThat(again.code()).as(again.output()).isZero();
    assertThat(again.output())
        .contains("replayed 50 events of 50 calls")
        .contains("enriched 50: 0 served from the AI result cache (no AI call), 50 by an AI call");
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> count("SELECT count(*) FROM calls WHERE prompt_version = 'analyze-v2'") == 50);
    awaitSinksCaughtUp();
    assertThat(pipeline.simulator.requests(AiSimulator.CHAT)).isEqualTo(chatBefore + 50);
    assertThat(pipeline.simulator.requests(AiSimulator.EMBEDDINGS)).isEqualTo(embeddingsBefore);
    Map<UUID, String> rowsAfter = rows();
    List<UUID> changed =
        rowsAfter.keySet().stream()
            .filter(id -> !rowsAfter.get(id).equals(rowsBefore.get(id)))
            .toList();
    assertThat(changed).containsExactlyInAnyOrderElementsOf(fifty);
    List<UUID> reEnriched =
        pipeline.jdbi.withHandle(
            h ->
                h.createQuery("SELECT call_id FROM calls WHERE prompt_version = 'analyze-v2'")
                    .mapTo(UUID.class)
                    .list());
    assertThat(reEnriched).containsExactlyInAnyOrderElementsOf(fifty);
  }

  @Test
  void anUnknownAgentsCallIsDeadLetteredThenRedrivenOnceTheAgentIsMapped() throws Exception {
    String agent = "agent-unmapped-" + UUID.randomUUID();
    UUID callId = UUID.randomUUID();
    produce(CommandTesting.call(callId, "orphan-" + callId, null, agent));

    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                run("dlt", "list", "--reason", "unknown_agent")
                    .output()
                    .contains(callId.toString()));
    CommandTesting.Run list = run("dlt", "list", "--reason", "unknown_agent");
    String line =
        list.output().lines().filter(l -> l.contains(callId.toString())).findFirst().orElseThrow();
    assertThat(line).contains("ROUTE").contains("unknown_agent");
    String id = line.split("\\s+")[0];
    assertThat(run("dlt", "show", id).output())
        .contains("reason     unknown_agent")
        .contains("source     " + Topics.CALLS_ENDED);

    assertThat(
            run("tenants", "map-agent", agent, "late-tenant", "--time-zone", "Europe/Paris").code())
        .isZero();
    assertThat(run("tenants", "list").output()).contains(agent).contains("late-tenant");
    CommandTesting.Run redrive =
        run("dlt", "redrive", "--reason", "unknown_agent", "--call", callId.toString());
    assertThat(redrive.code()).as(redrive.output()).isZero();
    assertThat(redrive.output()).contains("1 dead letter(s) redriven");

    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM calls WHERE call_id = '"
                            + callId
                            + "' AND tenant_id = 'late-tenant'")
                    == 1);
    assertThat(run("dlt", "list").output()).doesNotContain(callId.toString());
    assertThat(run("dlt", "redrive", "--call", callId.toString()).output())
        .contains("0 dead letter(s) redriven");
  }

  @Test
  void topicsAndSchemasAreCreatedOnceAndAnIncompatibleChangeIsNamedByItsField() throws Exception {
    CommandTesting.Run topics = run("topics", "create");
    assertThat(topics.code()).as(topics.errors()).isZero();
    assertThat(topics.output())
        .contains("0 created, " + TopicCatalog.all().size() + " already there");

    CommandTesting.Run register = run("schemas", "register");
    assertThat(register.code()).as(register.errors()).isZero();
    assertThat(register.output()).contains("calls.enriched.v1-value").contains("EnrichedCall");
    Path schemas = Path.of("..", "schemas", "src", "main", "avro");
    CommandTesting.Run same = run("schemas", "check", "--dir", schemas.toString());
    assertThat(same.code()).as(same.output()).isZero();
    assertThat(same.output()).doesNotContain("NOT BACKWARD COMPATIBLE");

    // A new field without a default cannot read what is already written.
    Path changed = Files.createTempDirectory("avro-");
    try (var files = Files.walk(schemas)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path copy = changed.resolve(schemas.relativize(file));
        Files.createDirectories(copy.getParent());
        String text = Files.readString(file);
        if (file.getFileName().toString().equals("EnrichedCall.avsc")) {
          text =
              text.replaceFirst(
                  "\\{\\s*\"name\":\\s*\"summary\"",
                  "{\"name\": \"priority\", \"type\": \"int\", \"doc\": \"new\"},\n    {\"name\": \"summary\"");
          assertThat(text).contains("\"priority\"");
        }
        Files.writeString(copy, text);
      }
    }
    CommandTesting.Run incompatible = run("schemas", "check", "--dir", changed.toString());
    assertThat(incompatible.code()).isEqualTo(1);
    assertThat(incompatible.output())
        .contains("calls.enriched.v1-value")
        .contains(
            "NOT BACKWARD COMPATIBLE: field EnrichedCall.priority: READER_FIELD_MISSING_DEFAULT");
  }

  @Test
  void badInputIsRefusedWithAMessage() {
    CommandTesting.Run badTime = run("replay", "--from", "yesterday-ish");
    assertThat(badTime.code()).isEqualTo(2);
    assertThat(badTime.errors()).contains("--from takes an instant");
    CommandTesting.Run badId = run("dlt", "show", "not-an-id");
    assertThat(badId.code()).isEqualTo(2);
    assertThat(badId.errors()).contains("partition and offset");
    CommandTesting.Run badZone =
        run("tenants", "map-agent", "a", "t", "--time-zone", "Mars/Olympus");
    assertThat(badZone.code()).isEqualTo(2);
    assertThat(badZone.errors()).contains("is not a time zone");
  }

  private CommandTesting.Run run(String... args) {
    return pipeline.run(args);
  }

  private void produce(CallEnded... calls) throws Exception {
    pipeline.produce(calls);
  }

  private void awaitSinksCaughtUp() throws Exception {
    pipeline.awaitSinksCaughtUp();
  }

  private List<UUID> produceCalls(int n) throws Exception {
    return pipeline.produceCalls(TENANT, n);
  }

  /** Each call row as text, including when it was last written. */
  private Map<UUID, String> rows() {
    Map<UUID, String> rows = new HashMap<>();
    pipeline.jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT call_id, version || '|' || summary || '|' || prompt_version || '|' || written_at"
                        + " FROM calls WHERE tenant_id = :tenant")
                .bind("tenant", TENANT)
                .map((rs, ctx) -> Map.entry(rs.getObject(1, UUID.class), rs.getString(2)))
                .forEach(row -> rows.put(row.getKey(), row.getValue())));
    return rows;
  }

  private long count(String sql) {
    return pipeline.count(sql);
  }

  private static String resource(String name) throws Exception {
    try (var in = io.callstream.enrichment.openai.OpenAiAnalyzer.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
