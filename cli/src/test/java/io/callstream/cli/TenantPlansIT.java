package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.sinks.read.CallFilter;
import io.callstream.sinks.read.CallReads;
import io.callstream.testkit.LocalServices;
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
 * A tenant's analysis plan, set with {@code callstream tenants set}, followed end to end: the
 * OpenAI analyzer sends it, the AI simulator answers it, the extracted data and criteria results
 * reach Postgres and can be filtered on, and after a plan change a replay re-analyses that tenant's
 * calls and serves every other tenant's from the AI result cache. All real but the AI service.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantPlansIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CALLS = 10;
  private static final String PLANNED = "plan-tenant";
  private static final String PLAIN = "plain-tenant";

  private SimulatedPipeline pipeline;
  private Path schemaFile;
  private final List<UUID> probes = new ArrayList<>();

  @BeforeAll
  void startPipeline(KafkaService kafka, SchemaRegistryService schemas, PostgresService postgres)
      throws Exception {
    pipeline = SimulatedPipeline.start(kafka, schemas, postgres, "tenant-plans");
    schemaFile = Files.createTempFile("extraction-", ".json");
    Files.writeString(
        schemaFile,
        """
        {"type": "object", "required": ["reason"],
         "properties": {"reason": {"type": "string", "description": "why the customer called"}}}
        """);
  }

  @AfterAll
  void stopPipeline() {
    pipeline.close();
  }

  @Test
  void aPlanReachesPostgresAndAChangedPlanReanalysesOnlyItsTenantOnReplay() throws Exception {
    CommandTesting.Run set =
        run(
            "tenants",
            "set",
            PLANNED,
            "--extraction-schema",
            schemaFile.toString(),
            "--data-field",
            "visits:integer=how many visits were booked",
            "--criterion",
            "resolved=the customer's problem was solved on the call",
            "--criterion",
            "callback_offered=the agent offered to call back",
            "--success",
            "the visit is booked");
    assertThat(set.code()).as(set.output() + set.errors()).isZero();
    JsonNode shown = settingsOf(PLANNED);
    String version = shown.path("plan").path("version").asText();
    assertThat(version).startsWith("plan-");
    assertThat(shown.path("plan").path("evaluation_criteria").has("resolved")).isTrue();
    assertThat(shown.path("plan").path("extraction_schema").path("required").get(0).asText())
        .isEqualTo("reason");
    awaitPlanFollowed(PLANNED, version);

    Instant start = Instant.now().minusSeconds(1);
    List<UUID> planned = produceCalls(PLANNED, CALLS);
    List<UUID> plain = produceCalls(PLAIN, CALLS);
    List<UUID> all = new ArrayList<>(planned);
    all.addAll(plain);
    awaitRows(all, PLANNED, version);

    // the plan's fields in Postgres: extracted data fitting the schema and its data field, one
    // result per criterion; the other tenant's calls have none
    for (UUID id : planned) {
      JsonNode row = row(id);
      assertThat(row.path("plan_version").asText()).isEqualTo(version);
      assertThat(row.path("extracted").has("reason")).isTrue();
      assertThat(row.path("extracted").path("visits").isNumber()).isTrue();
      assertThat(row.path("evaluation"))
          .extracting(result -> result.path("name").asText())
          .containsExactly("resolved", "callback_offered");
    }
    for (UUID id : plain) {
      assertThat(row(id).path("plan_version").isNull()).isTrue();
      assertThat(row(id).path("evaluation")).isEmpty();
    }
    // and the read side filters on them, within the tenant (its calls and the probes above)
    List<UUID> tenantCalls = new ArrayList<>(planned);
    tenantCalls.addAll(probes);
    String verdict = row(planned.get(0)).path("evaluation").get(0).path("verdict").asText();
    List<String> withVerdict =
        tenantCalls.stream()
            .filter(
                id -> row(id).path("evaluation").path(0).path("verdict").asText().equals(verdict))
            .map(UUID::toString)
            .toList();
    assertThat(listed(PLANNED, new CallFilter.Match("resolved", verdict), null))
        .containsExactlyInAnyOrderElementsOf(withVerdict);
    assertThat(listed(PLANNED, null, new CallFilter.Match("visits", "0")))
        .hasSize(tenantCalls.size());
    assertThat(listed(PLAIN, null, new CallFilter.Match("visits", "0"))).isEmpty();

    // a changed plan: a replay of both tenants' calls asks the AI again for the planned tenant's
    // only
    assertThat(run("tenants", "set", PLANNED, "--success", "the visit is booked and paid").code())
        .isZero();
    String changed = settingsOf(PLANNED).path("plan").path("version").asText();
    assertThat(changed).isNotEqualTo(version);
    awaitPlanFollowed(PLANNED, changed);
    long chatBefore = pipeline.simulator.requests(AiSimulator.CHAT);
    Map<UUID, String> plainBefore = written(plain);
    List<String> args =
        new ArrayList<>(List.of("replay", "--from", start.toString(), "--wait", "3m", "--call"));
    all.forEach(id -> args.add(id.toString()));

    CommandTesting.Run replay = run(args.toArray(String[]::new));

    assertThat(replay.code()).as(replay.output()).isZero();
    assertThat(replay.output())
        .contains(
            "enriched "
                + 2 * CALLS
                + ": "
                + CALLS
                + " served from the AI result cache (no AI call), "
                + CALLS
                + " by an AI call");
    assertThat(pipeline.simulator.requests(AiSimulator.CHAT)).isEqualTo(chatBefore + CALLS);
    awaitRows(planned, PLANNED, changed);
    pipeline.awaitSinksCaughtUp();
    assertThat(written(plain)).isEqualTo(plainBefore);
  }

  @Test
  void anInvalidSchemaOrAnUnknownOptionIsRefusedAndNothingIsWritten() throws Exception {
    Path broken = Files.createTempFile("broken-", ".json");
    Files.writeString(
        broken, "{\"type\": \"object\", \"properties\": {\"a\": {\"minLength\": -1}}}");
    String tenant = "refused-tenant";

    CommandTesting.Run invalid =
        run("tenants", "set", tenant, "--extraction-schema", broken.toString());
    CommandTesting.Run unknown = run("tenants", "set", tenant, "--sucess", "typo");
    CommandTesting.Run badField =
        run("tenants", "set", tenant, "--data-field", "visits:float=visits");
    CommandTesting.Run badPii = run("tenants", "set", tenant, "--pii", "maybe");

    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.errors()).contains("is not a valid JSON Schema").contains("minLength");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.errors()).contains("--sucess");
    assertThat(badField.errors())
        .contains("'float' is not one of string, number, integer, boolean");
    assertThat(badPii.errors()).contains("--pii 'maybe' is neither on nor off");
    assertThat(run("tenants", "show", tenant).output())
        .contains("tenant " + tenant + " has no settings: the defaults apply");
  }

  /** Posts a probe call of {@code tenant} until one is analysed with the plan {@code version}. */
  private void awaitPlanFollowed(String tenant, String version) {
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<UUID> probe = produceCalls(tenant, 1);
              probes.addAll(probe);
              await().atMost(Duration.ofSeconds(30)).until(() -> row(probe.get(0)) != null);
              return version.equals(row(probe.get(0)).path("plan_version").asText(null));
            });
  }

  private void awaitRows(List<UUID> ids, String tenant, String version) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                ids.stream()
                    .allMatch(
                        id -> {
                          JsonNode row = row(id);
                          return row != null
                              && (!row.path("tenant_id").asText().equals(tenant)
                                  || version.equals(row.path("plan_version").asText(null)));
                        }));
  }

  private JsonNode settingsOf(String tenant) throws Exception {
    CommandTesting.Run show = run("tenants", "show", tenant);
    assertThat(show.code()).isZero();
    return JSON.readTree(show.output());
  }

  private JsonNode row(UUID id) {
    String json =
        pipeline.jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT to_jsonb(c) FROM (SELECT tenant_id, plan_version, extracted, evaluation"
                            + " FROM calls WHERE call_id = :id) c")
                    .bind("id", id)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
    try {
      return json == null ? null : JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> listed(
      String tenant, CallFilter.Match criterion, CallFilter.Match extracted) {
    CallFilter filter =
        new CallFilter(
            tenant, null, null, null, null, null, null, null, null, null, null, criterion,
            extracted);
    return new CallReads(pipeline.jdbi)
        .list(filter, 100, null).calls().stream()
            .map(call -> readTree(call).path("call_id").asText())
            .toList();
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** When each call's row was last written. */
  private Map<UUID, String> written(List<UUID> ids) {
    Map<UUID, String> rows = new HashMap<>();
    ids.forEach(
        id ->
            rows.put(
                id,
                pipeline.jdbi.withHandle(
                    h ->
                        h.createQuery("SELECT written_at::text FROM calls WHERE call_id = :id")
                            .bind("id", id)
                            .mapTo(String.class)
                            .one())));
    return rows;
  }

  private List<UUID> produceCalls(String tenant, int n) throws Exception {
    return pipeline.produceCalls(tenant, n);
  }

  private CommandTesting.Run run(String... args) {
    return pipeline.run(args);
  }
}
