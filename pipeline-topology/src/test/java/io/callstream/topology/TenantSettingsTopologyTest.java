package io.callstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.AnalysisPlan;
import io.callstream.events.CallEnded;
import io.callstream.events.CriterionResult;
import io.callstream.events.CriterionVerdict;
import io.callstream.events.DataField;
import io.callstream.events.EnrichedCall;
import io.callstream.events.EvaluationCriterion;
import io.callstream.events.PiiRedaction;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TenantSettings;
import io.callstream.events.Transcript;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.topology.support.Events;
import io.callstream.topology.support.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tenant's settings (tenants.settings.v1) as the topology follows them. */
class TenantSettingsTopologyTest {
  private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
  private TopologyHarness topology = new TopologyHarness(TopologyHarness.config(), T0);

  @AfterEach
  void close() {
    topology.close();
  }

  @Test
  void aTenantsPlanIsFollowedAndRecordedWithItsVersion() {
    settings("acme", plan("the customer agreed to a date"), null, null);
    CallEnded call = Events.call("conv-plan-1", T0).build();
    pipe(call, false);

    EnrichedCall enriched = topology.enriched().readValue();
    String version =
        io.callstream.topology.tenant.TenantPolicies.plan(workItemOf(enriched)).version();
    assertThat(enriched.getPlanVersion()).isEqualTo(version);
    assertThat(enriched.getEvaluation())
        .extracting(CriterionResult::getName, CriterionResult::getVerdict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("agreed", CriterionVerdict.SUCCESS),
            org.assertj.core.groups.Tuple.tuple("polite", CriterionVerdict.SUCCESS));
    assertThat(enriched.getExtractedJson()).contains(version);
    assertThat(topology.ai.calls()).contains("analyze:" + call.getCallId() + "@" + version);
  }

  @Test
  void aChangedPlanReanalysesThatTenantsCallsOnReplayAndNoOtherTenants() {
    settings("acme", plan("the customer agreed to a date"), null, null);
    CallEnded acme = Events.call("conv-plan-2", T0).build();
    CallEnded globex = Events.call("conv-plan-3", T0).setTenantId("globex").build();
    pipe(acme, false);
    pipe(globex, false);
    assertThat(topology.ai.count("analyze:")).isEqualTo(2);
    topology.enriched().readValuesToList();

    settings("acme", plan("the customer paid"), null, null);
    pipe(acme, true);
    pipe(globex, true);

    assertThat(topology.ai.count("analyze:")).isEqualTo(3);
    Map<String, EnrichedCall> replayed = new java.util.HashMap<>();
    topology.enriched().readValuesToList().forEach(e -> replayed.put(e.getTenantId(), e));
    assertThat(replayed.get("acme").getUsage().getCached()).isFalse();
    assertThat(replayed.get("acme").getPlanVersion()).isNotNull();
    assertThat(replayed.get("globex").getUsage().getCached()).isTrue();
    assertThat(replayed.get("globex").getPlanVersion()).isNull();
  }

  @Test
  void redactionLanguageAndTimeZoneComeFromTheSettingsWhenSet() {
    // the pipeline's default redacts acme entirely; its settings redact e-mail addresses only
    topology.close();
    topology =
        new TopologyHarness(
            TopologyHarness.config(Map.of("CALLSTREAM_PII_REDACT_TENANTS", "acme")), T0);
    settings("acme", null, new PiiRedaction(true, List.of("EMAIL")), "de");
    pipe(
        Events.call("conv-plan-4", T0)
            .setTurns(
                List.of(
                    Events.turn(
                        SpeakerRole.USER,
                        "Rufen Sie mich an unter +1 415 555 0123 oder schreiben Sie an dana@example.com."),
                    Events.turn(SpeakerRole.AGENT, "Gern, wir melden uns.")))
            .build(),
        false);

    EnrichedCall enriched = topology.enriched().readValue();
    assertThat(enriched.getPiiRedacted()).isTrue();
    assertThat(enriched.getPlanVersion()).isNull();
    assertThat(topology.ai.texts())
        .anySatisfy(t -> assertThat(t).contains("[EMAIL]").contains("+1 415 555 0123"));
    Transcript shown = topology.transcribed().readValue();
    assertThat(shown.getLanguage()).isEqualTo("de");
    assertThat(shown.getText()).contains("[EMAIL]").contains("555 0123");
  }

  private void settings(String tenant, AnalysisPlan plan, PiiRedaction pii, String language) {
    topology.settings.pipeInput(
        tenant,
        TenantSettings.newBuilder()
            .setTenantId(tenant)
            .setPlan(plan)
            .setPiiRedaction(pii)
            .setLanguage(language)
            .setUpdatedAt(T0)
            .build());
  }

  private static AnalysisPlan plan(String success) {
    return AnalysisPlan.newBuilder()
        .setVersion("set-by-the-cli")
        .setSuccessCriteria(success)
        .setDataCollection(List.of(new DataField("order_id", "string", "the order's number")))
        .setEvaluationCriteria(
            List.of(
                new EvaluationCriterion("agreed", "the customer agreed to a date"),
                new EvaluationCriterion("polite", "the agent was courteous")))
        .build();
  }

  private static io.callstream.events.WorkItem workItemOf(EnrichedCall enriched) {
    return io.callstream.events.WorkItem.newBuilder()
        .setCallId(enriched.getCallId())
        .setEventId("e")
        .setStage(io.callstream.events.Stage.ANALYZE)
        .setAcceptedAt(T0)
        .setSettings(
            TenantSettings.newBuilder()
                .setTenantId("acme")
                .setPlan(plan("the customer agreed to a date"))
                .setUpdatedAt(T0)
                .build())
        .build();
  }

  private void pipe(CallEnded call, boolean replay) {
    topology.calls.pipeInput(
        new TestRecord<>(
            call.getCallId().toString(),
            call,
            replay
                ? new RecordHeaders().add(EventHeaders.REPLAY, "1".getBytes(StandardCharsets.UTF_8))
                : new RecordHeaders(),
            call.getReceivedAt()));
  }
}
