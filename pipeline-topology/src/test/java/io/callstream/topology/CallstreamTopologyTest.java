package io.callstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.AgentTenant;
import io.callstream.events.CallChunk;
import io.callstream.events.CallEnded;
import io.callstream.events.Callback;
import io.callstream.events.CallbackStatus;
import io.callstream.events.ChunkSource;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.ErrorClass;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.Sentiment;
import io.callstream.events.Stage;
import io.callstream.events.StageError;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSource;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.support.Events;
import io.callstream.topology.support.TopologyHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallstreamTopologyTest {
  private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
  private TopologyHarness topology = new TopologyHarness(TopologyHarness.config(), T0);

  @AfterEach
  void close() {
    topology.close();
  }

  @Test
  void aCallIsAnalyzedThenChunkedAndEmbedded() {
    CallEnded call = Events.call("conv-1", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    List<EnrichedCall> enriched = topology.enriched().readValuesToList();
    assertThat(enriched).hasSize(1);
    EnrichedCall result = enriched.get(0);
    assertThat(result.getCallId()).isEqualTo(call.getCallId());
    assertThat(result.getTenantId()).isEqualTo("acme");
    assertThat(result.getProvider()).isEqualTo(Provider.ELEVENLABS);
    assertThat(result.getVersion()).isEqualTo(call.getReceivedAt().toEpochMilli());
    assertThat(result.getTranscriptSource()).isEqualTo(TranscriptSource.PROVIDER);
    assertThat(result.getSummary()).isNotBlank();
    assertThat(result.getSentiment()).isNotEqualTo(Sentiment.UNKNOWN);
    assertThat(result.getPromptVersion()).isEqualTo("test-prompt-v1");
    assertThat(result.getUsage().getInputTokens()).isEqualTo(100);
    assertThat(result.getCallback().getPhoneNumber()).isEqualTo("+14155550123");

    List<CallChunk> chunks = topology.chunks().readValuesToList();
    assertThat(chunks).isNotEmpty();
    assertThat(chunks)
        .allSatisfy(
            chunk -> {
              assertThat(chunk.getCallId()).isEqualTo(call.getCallId());
              assertThat(chunk.getChunkCount()).isEqualTo(chunks.size());
              assertThat(chunk.getSource()).isEqualTo(ChunkSource.TRANSCRIPT);
              assertThat(chunk.getDims()).isEqualTo(4);
              assertThat(chunk.getEmbedding().get(0)).isEqualTo((float) chunk.getText().length());
            });
    assertThat(chunks).extracting(CallChunk::getChunkIndex).containsExactly(range(chunks.size()));
    // the platform's turns, as the read side shows them
    Transcript turns = topology.transcribed().readValue();
    assertThat(turns.getModel()).isEqualTo("provider");
    assertThat(turns.getLanguage()).isEqualTo("en");
    assertThat(turns.getSegments()).hasSize(call.getTurns().size());
    assertThat(turns.getSegments().get(0).getText()).isEqualTo(call.getTurns().get(0).getText());
    assertThat(topology.transcribed().isEmpty()).isTrue();
    assertThat(topology.ai.calls())
        .containsExactly("analyze:" + call.getCallId(), "embed:" + chunks.size());
    assertThat(topology.metrics.completedCount()).isEqualTo(1);
  }

  @Test
  void aRecordingIsTranscribedThenAnalyzedWithADocument() {
    var recording = Events.recording("conv-2", T0).build();
    topology.recordings.pipeInput(recording.getCallId().toString(), recording, T0);

    var transcripts = topology.transcribed().readValuesToList();
    assertThat(transcripts).hasSize(1);
    assertThat(transcripts.get(0).getSegments().get(0).getWords()).isNotEmpty();
    EnrichedCall enriched = topology.enriched().readValue();
    assertThat(enriched.getTranscriptSource()).isEqualTo(TranscriptSource.RECORDING);
    assertThat(enriched.getUsage().getAudioMs()).isGreaterThan(0);
    var document = topology.documents().readValue();
    assertThat(document.getCallId()).isEqualTo(recording.getCallId());
    assertThat(document.getMarkdown()).contains("call me back");
    List<CallChunk> chunks = topology.chunks().readValuesToList();
    assertThat(chunks)
        .extracting(CallChunk::getSource)
        .contains(ChunkSource.RECORDING, ChunkSource.DOCUMENT);
    assertThat(topology.ai.calls())
        .containsExactly(
            "transcribe", "analyze:" + recording.getCallId(), "document", "embed:" + chunks.size());
  }

  @Test
  void aRecordingTakesItsCallsAgentDirectionPartiesAndEndTime() {
    mapAgent("agent-bo", "globex", "America/New_York");
    CallEnded call = outboundCallOfAgentBo("conv-20").build();
    pipe(call);
    topology.enriched().readValue();
    RecordingUploaded recording =
        twilioLikeRecording("conv-20").setReceivedAt(T0.plusSeconds(60)).build();
    topology.recordings.pipeInput(
        recording.getCallId().toString(), recording, recording.getReceivedAt());

    EnrichedCall enriched = topology.enriched().readValue();
    assertThat(enriched.getTranscriptSource()).isEqualTo(TranscriptSource.RECORDING);
    assertThat(enriched.getVersion()).isGreaterThan(call.getReceivedAt().toEpochMilli());
    assertHasTheFactsOfTheOutboundCallOfAgentBo(enriched);
    assertThat(enriched.getStartedAt()).isEqualTo(call.getStartedAt());
    assertThat(enriched.getDurationMs()).isEqualTo(95_000L);
    assertThat(enriched.getEndedAt()).isEqualTo(T0);
  }

  @Test
  void aRecordingLongAfterItsCallsFactsAgedOutKnowsOnlyItself() {
    topology.close();
    topology =
        new TopologyHarness(
            TopologyHarness.config(java.util.Map.of("CALLSTREAM_CALL_FACTS_RETENTION", "1h")), T0);
    pipe(Events.call("conv-21", T0).build());
    topology.enriched().readValue();
    topology.advance(Duration.ofHours(2));
    RecordingUploaded recording = Events.recording("conv-21", T0.minusSeconds(95)).build();
    topology.recordings.pipeInput(
        recording.getCallId().toString(), recording, recording.getReceivedAt());

    EnrichedCall enriched = topology.enriched().readValue();
    assertThat(enriched.getDirection()).isEqualTo(Direction.UNKNOWN);
    assertThat(enriched.getParties()).isEmpty();
    assertThat(enriched.getDurationMs()).isEqualTo(recording.getDurationMs());
    assertThat(enriched.getCallback().getPhoneNumber()).isNull();
  }

  @Test
  void aCallWithoutATranscriptGoesOnWithTheRecordingThatCameFirst() {
    mapAgent("agent-bo", "globex", "America/New_York");
    RecordingUploaded recording = twilioLikeRecording("conv-22").build();
    topology.recordings.pipeInput(
        recording.getCallId().toString(), recording, recording.getReceivedAt());
    assertThat(topology.enriched().isEmpty()).isTrue();
    // then the call's status callback, with no transcript of its own
    CallEnded call = outboundCallOfAgentBo("conv-22").setTurns(List.of()).build();
    pipe(call);

    List<EnrichedCall> enriched = topology.enriched().readValuesToList();
    assertThat(enriched).hasSize(1);
    EnrichedCall result = enriched.get(0);
    assertThat(result.getVersion()).isEqualTo(call.getReceivedAt().toEpochMilli());
    assertThat(result.getTranscriptSource()).isEqualTo(TranscriptSource.RECORDING);
    assertHasTheFactsOfTheOutboundCallOfAgentBo(result);
    assertThat(topology.transcribed().readValue().getRecordingId())
        .isEqualTo(recording.getRecordingId());
    assertThat(topology.documents().readValue().getVersion()).isEqualTo(result.getVersion());
  }

  @Test
  void aCallWithATranscriptOfItsOwnLeavesAnEarlierRecordingAlone() {
    RecordingUploaded recording = Events.recording("conv-23", T0.minusSeconds(95)).build();
    topology.recordings.pipeInput(
        recording.getCallId().toString(), recording, recording.getReceivedAt());
    assertThat(topology.enriched().readValue().getTranscriptSource())
        .isEqualTo(TranscriptSource.RECORDING);
    topology.transcribed().readValuesToList();

    pipe(Events.call("conv-23", T0).build());

    assertThat(topology.enriched().readValue().getTranscriptSource())
        .isEqualTo(TranscriptSource.PROVIDER);
    // the recording is not transcribed again: the only transcript is the call's own turns
    assertThat(topology.transcribed().readValuesToList())
        .extracting(Transcript::getModel)
        .containsExactly("provider");
  }

  @Test
  void aRetriedWebhookIsEnrichedOnce() {
    CallEnded call = Events.call("conv-3", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);
    topology.calls.pipeInput(call.getCallId().toString(), call, T0.plusSeconds(20));

    assertThat(topology.enriched().readValuesToList()).hasSize(1);
    assertThat(topology.metrics.duplicateCount()).isEqualTo(1);
  }

  @Test
  void anAgentsTenantAndTimeZoneComeFromTheAgentMap() {
    mapAgent("agent-bo", "globex", "America/New_York");
    CallEnded call = Events.call("conv-4", T0).setTenantId(null).setAgentId("agent-bo").build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    EnrichedCall enriched = topology.enriched().readValue();
    assertThat(enriched.getTenantId()).isEqualTo("globex");
    // "tomorrow at 3 pm" for a call that ended at 10:00 in New York
    assertThat(enriched.getCallback().getDueAt()).isEqualTo(Instant.parse("2026-03-11T19:00:00Z"));
    assertThat(enriched.getCallback().getTimeZone()).isEqualTo("America/New_York");
  }

  @Test
  void anUnknownAgentIsDeadLetteredBeforeAnyAiCall() {
    CallEnded call = Events.call("conv-5", T0).setTenantId(null).setAgentId("agent-x").build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    var dead = topology.workItems(Topics.CALLS_DLT).readRecord();
    assertThat(dead.value().getDeadLetterReason()).isEqualTo("unknown_agent");
    assertThat(dead.value().getStage()).isEqualTo(Stage.ROUTE);
    assertThat(dead.value().getErrors())
        .extracting(StageError::getReason)
        .containsExactly("unknown_agent");
    assertThat(header(dead, EventHeaders.DLT_SOURCE_TOPIC)).isEqualTo(Topics.CALLS_ENDED);
    assertThat(header(dead, EventHeaders.DLT_SOURCE_OFFSET)).isEqualTo("0");
    assertThat(topology.enriched().isEmpty()).isTrue();
    assertThat(topology.ai.calls()).isEmpty();
    assertThat(topology.metrics.deadLetteredByReason()).containsEntry("unknown_agent", 1L);
  }

  @Test
  void aLaterEventOfACallWaitsForTheEarlierOne() {
    topology.ai.hold();
    CallEnded first = Events.call("conv-6", T0).build();
    CallEnded second =
        Events.call("conv-6", T0)
            .setEventId("evt-conv-6-analyzed")
            .setReceivedAt(T0.plusSeconds(30))
            .setTurns(
                List.of(
                    Events.turn(
                        io.callstream.events.SpeakerRole.USER,
                        "Thanks, the order arrived after all.")))
            .build();
    CallEnded other = Events.call("conv-7", T0).build();
    String key = first.getCallId().toString();
    topology.calls.pipeInput(key, first, T0);
    topology.calls.pipeInput(key, second, T0.plusSeconds(30));
    topology.calls.pipeInput(other.getCallId().toString(), other, T0.plusSeconds(31));

    // the other call runs beside the first; the second event of conv-6 waits
    assertThat(topology.ai.calls().stream().filter(c -> c.startsWith("analyze")))
        .containsExactly("analyze:" + first.getCallId(), "analyze:" + other.getCallId());
    topology.ai.release();
    topology.advance(Duration.ofMillis(50));

    List<EnrichedCall> conv6 =
        topology.enriched().readValuesToList().stream()
            .filter(e -> e.getCallId().equals(first.getCallId()))
            .toList();
    assertThat(conv6)
        .extracting(EnrichedCall::getVersion)
        .containsExactly(
            first.getReceivedAt().toEpochMilli(), second.getReceivedAt().toEpochMilli());
    assertThat(topology.ai.count("analyze:" + first.getCallId())).isEqualTo(2);
  }

  @Test
  void aTransientFailureWaitsOnTheFirstTierAndResumesAtTheFailedStage() {
    topology.ai.failAnalyses(Outcome.transientFailure("timeout after 60s", Duration.ZERO));
    CallEnded call = Events.call("conv-8", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    WorkItem waiting = topology.workItems(Topics.CALLS_RETRY_30S).readValue();
    assertThat(waiting.getStage()).isEqualTo(Stage.ANALYZE);
    assertThat(waiting.getDueAt()).isEqualTo(T0.plusSeconds(30));
    assertThat(waiting.getErrors()).extracting(StageError::getReason).containsExactly("timeout");

    topology.advance(Duration.ofSeconds(28));
    assertThat(topology.enriched().isEmpty()).isTrue();
    topology.advance(Duration.ofSeconds(3)); // one punctuation interval (1 s) past due
    assertThat(topology.enriched().readValuesToList()).hasSize(1);
    assertThat(topology.ai.count("analyze:")).isEqualTo(2);
    assertThat(topology.metrics.retriedByTier()).containsEntry(Topics.CALLS_RETRY_30S, 1L);
  }

  @Test
  void eachRetryTierHoldsItsItemForItsDelay() {
    topology.ai.failAnalyses(
        Outcome.transientFailure("timeout a", Duration.ZERO),
        Outcome.transientFailure("timeout b", Duration.ZERO),
        Outcome.transientFailure("timeout c", Duration.ZERO));
    pipe(Events.call("conv-21", T0).build());
    assertThat(topology.ai.count("analyze:")).isEqualTo(1);

    // 30 s tier
    topology.advance(Duration.ofSeconds(29));
    assertThat(topology.ai.count("analyze:")).isEqualTo(1);
    topology.advance(Duration.ofSeconds(2));
    assertThat(topology.ai.count("analyze:")).isEqualTo(2);
    // 5 min tier, from the second failure at T0 + 31 s
    topology.advance(Duration.ofSeconds(297));
    assertThat(topology.ai.count("analyze:")).isEqualTo(2);
    topology.advance(Duration.ofSeconds(4));
    assertThat(topology.ai.count("analyze:")).isEqualTo(3);
    // 1 h tier, from the third failure at T0 + 332 s
    topology.advance(Duration.ofSeconds(3596));
    assertThat(topology.ai.count("analyze:")).isEqualTo(3);
    topology.advance(Duration.ofSeconds(5));
    assertThat(topology.ai.count("analyze:")).isEqualTo(4);
    assertThat(topology.enriched().readValuesToList()).hasSize(1);
  }

  @Test
  void aRedactingTenantsWordsReachTheAiWithoutPersonalData() {
    topology.close();
    topology =
        new TopologyHarness(
            TopologyHarness.config(java.util.Map.of("CALLSTREAM_PII_REDACT_TENANTS", "acme")), T0);
    List<io.callstream.events.TranscriptTurn> turns =
        List.of(
            Events.turn(
                io.callstream.events.SpeakerRole.USER,
                "Call me on +1 415 555 0123 or write to dana.whitfield@example.com please."),
            Events.turn(io.callstream.events.SpeakerRole.AGENT, "Noted, we will be in touch."));
    pipe(Events.call("conv-22", T0).setTurns(turns).build());
    pipe(Events.call("conv-23", T0).setTenantId("globex").setTurns(turns).build());

    List<EnrichedCall> enriched = topology.enriched().readValuesToList();
    assertThat(enriched)
        .extracting(EnrichedCall::getTenantId, EnrichedCall::getPiiRedacted)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme", true),
            org.assertj.core.groups.Tuple.tuple("globex", false));
    List<String> acmeTexts =
        topology.ai.texts().stream().filter(t -> t.contains("[EMAIL]")).toList();
    assertThat(acmeTexts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("555 0123"));
    assertThat(topology.ai.texts().stream().filter(t -> t.contains("dana.whitfield@example.com")))
        .as("only the tenant that does not redact sends the address")
        .hasSize(2); // its conversation and its chunk
    List<CallChunk> chunks = topology.chunks().readValuesToList();
    assertThat(chunks.stream().filter(c -> c.getTenantId().equals("acme")))
        .allSatisfy(c -> assertThat(c.getText()).doesNotContain("example.com"));
    // the turns the read side shows are the redacted ones too
    Map<String, String> shown = new java.util.HashMap<>();
    topology.transcribed().readValuesToList().forEach(t -> shown.put(t.getTenantId(), t.getText()));
    assertThat(shown.get("acme")).contains("[EMAIL]").doesNotContain("example.com");
    assertThat(shown.get("globex")).contains("dana.whitfield@example.com");
  }

  @Test
  void retryAfterLongerThanATierPushesTheItemToALaterTier() {
    topology.ai.failAnalyses(Outcome.transientFailure("429 slow down", Duration.ofMinutes(10)));
    CallEnded call = Events.call("conv-9", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    assertThat(topology.workItems(Topics.CALLS_RETRY_30S).isEmpty()).isTrue();
    WorkItem waiting = topology.workItems(Topics.CALLS_RETRY_1H).readValue();
    assertThat(waiting.getDueAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(waiting.getErrors().get(0).getReason()).isEqualTo("http_429");
  }

  @Test
  void anExhaustedItemIsDeadLetteredWithItsWholeHistory() {
    topology.ai.failAnalyses(
        Outcome.transientFailure("500 a", Duration.ZERO),
        Outcome.transientFailure("500 b", Duration.ZERO),
        Outcome.transientFailure("500 c", Duration.ZERO),
        Outcome.transientFailure("500 d", Duration.ZERO),
        Outcome.transientFailure("500 e", Duration.ZERO));
    CallEnded call = Events.call("conv-10", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);
    for (int i = 0; i < 5; i++) {
      topology.advance(Duration.ofMinutes(61));
    }

    WorkItem dead = topology.workItems(Topics.CALLS_DLT).readValue();
    assertThat(dead.getDeadLetterReason()).isEqualTo("exhausted");
    assertThat(dead.getErrors()).hasSize(5);
    assertThat(dead.getErrors()).extracting(StageError::getAttempt).containsExactly(1, 2, 3, 4, 5);
    assertThat(dead.getErrors().get(4).getErrorClass()).isEqualTo(ErrorClass.EXHAUSTED);
    assertThat(topology.ai.count("analyze:")).isEqualTo(5);
    assertThat(topology.enriched().isEmpty()).isTrue();
  }

  @Test
  void aPermanentFailureIsDeadLetteredAtOnceAndFreesTheCall() {
    topology.ai.failAnalyses(Outcome.permanentFailure("400 context too long"));
    CallEnded first = Events.call("conv-11", T0).build();
    CallEnded second =
        Events.call("conv-11", T0).setEventId("evt-2").setReceivedAt(T0.plusSeconds(5)).build();
    topology.calls.pipeInput(first.getCallId().toString(), first, T0);
    topology.calls.pipeInput(second.getCallId().toString(), second, T0.plusSeconds(5));

    WorkItem dead = topology.workItems(Topics.CALLS_DLT).readValue();
    assertThat(dead.getDeadLetterReason()).isEqualTo("http_400");
    assertThat(dead.getErrors().get(0).getErrorClass()).isEqualTo(ErrorClass.PERMANENT);
    assertThat(topology.enriched().readValue().getVersion())
        .isEqualTo(second.getReceivedAt().toEpochMilli());
  }

  // The record itself lands on the Streams dead-letter topic; TopologyIT shows that on a broker.
  @Test
  void anUndecodableRecordDoesNotStopProcessing() {
    topology.rawCalls.pipeInput("poison", "not avro at all".getBytes(StandardCharsets.UTF_8), T0);
    CallEnded call = Events.call("conv-12", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    assertThat(topology.enriched().readValuesToList()).hasSize(1);
  }

  @Test
  void aCallbackIsScheduledAndSentAtItsDueTime() {
    CallEnded call = Events.call("conv-13", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);

    Callback scheduled = topology.callbacks(Topics.CALLBACKS_SCHEDULED).readValue();
    assertThat(scheduled.getStatus()).isEqualTo(CallbackStatus.SCHEDULED);
    assertThat(scheduled.getDueAt()).isEqualTo(Instant.parse("2026-03-11T15:00:00Z"));
    assertThat(scheduled.getPhoneNumber()).isEqualTo("+14155550123");

    topology.advance(Duration.between(T0, scheduled.getDueAt()).minusSeconds(5));
    assertThat(topology.callbacks(Topics.CALLBACKS_DUE).isEmpty()).isTrue();
    topology.advance(Duration.ofSeconds(6));
    Callback due = topology.callbacks(Topics.CALLBACKS_DUE).readValue();
    assertThat(due.getStatus()).isEqualTo(CallbackStatus.DUE);
    assertThat(due.getCallbackId()).isEqualTo(scheduled.getCallbackId());
  }

  @Test
  void aNewerAnalysisWithoutACallbackCancelsTheScheduledOne() {
    CallEnded call = Events.call("conv-14", T0).build();
    topology.calls.pipeInput(call.getCallId().toString(), call, T0);
    CallEnded updated =
        Events.call("conv-14", T0)
            .setEventId("evt-conv-14-b")
            .setReceivedAt(T0.plusSeconds(60))
            .setTurns(
                List.of(Events.turn(io.callstream.events.SpeakerRole.USER, "All sorted, thanks.")))
            .build();
    topology.calls.pipeInput(call.getCallId().toString(), updated, T0.plusSeconds(60));

    assertThat(topology.callbacks(Topics.CALLBACKS_SCHEDULED).readValuesToList())
        .extracting(Callback::getStatus)
        .containsExactly(CallbackStatus.SCHEDULED, CallbackStatus.CANCELED);
    topology.advance(Duration.ofDays(2));
    assertThat(topology.callbacks(Topics.CALLBACKS_DUE).isEmpty()).isTrue();
  }

  @Test
  void aReplayAfterAPromptChangeReschedulesAWaitingCallbackButNotASentOne() {
    CallEnded call = Events.call("conv-22", T0).build();
    pipe(call);
    Callback first = topology.callbacks(Topics.CALLBACKS_SCHEDULED).readValue();
    assertThat(first.getDueAt()).isEqualTo(Instant.parse("2026-03-11T15:00:00Z"));

    topology.ai.promptVersion("test-prompt-v2");
    topology.ai.reviseCallbacks(later(Duration.ofHours(1)));
    pipeReplay(call);
    pipeReplay(call); // the same prompt again: served from the cache, nothing changes
    List<Callback> rescheduled = topology.callbacks(Topics.CALLBACKS_SCHEDULED).readValuesToList();
    assertThat(rescheduled).hasSize(1);
    assertThat(rescheduled.get(0).getStatus()).isEqualTo(CallbackStatus.SCHEDULED);
    assertThat(rescheduled.get(0).getCallbackId()).isEqualTo(first.getCallbackId());
    assertThat(rescheduled.get(0).getDueAt()).isEqualTo(Instant.parse("2026-03-11T16:00:00Z"));

    topology.advance(Duration.between(T0, Instant.parse("2026-03-11T15:30:00Z")));
    assertThat(topology.callbacks(Topics.CALLBACKS_DUE).isEmpty())
        .as("not at the old time")
        .isTrue();
    topology.advance(Duration.ofMinutes(31));
    assertThat(topology.callbacks(Topics.CALLBACKS_DUE).readValuesToList())
        .extracting(Callback::getDueAt)
        .containsExactly(Instant.parse("2026-03-11T16:00:00Z"));

    topology.ai.promptVersion("test-prompt-v3");
    topology.ai.reviseCallbacks(later(Duration.ofHours(2)));
    pipeReplay(call);
    assertThat(topology.callbacks(Topics.CALLBACKS_SCHEDULED).isEmpty())
        .as("a callback already sent stays sent")
        .isTrue();
  }

  @Test
  void aReplayAfterAPromptChangeThatFindsNoCallbackCancelsTheWaitingOne() {
    CallEnded call = Events.call("conv-23", T0).build();
    pipe(call);
    topology.ai.promptVersion("test-prompt-v2");
    topology.ai.reviseCallbacks(found -> null);
    pipeReplay(call);

    assertThat(topology.callbacks(Topics.CALLBACKS_SCHEDULED).readValuesToList())
        .extracting(Callback::getStatus)
        .containsExactly(CallbackStatus.SCHEDULED, CallbackStatus.CANCELED);
    topology.advance(Duration.ofDays(2));
    assertThat(topology.callbacks(Topics.CALLBACKS_DUE).isEmpty()).isTrue();
  }

  @Test
  void tenantStatsCountEachCallOnceInTheHourItEnded() {
    pipe(Events.call("conv-15", T0.plusSeconds(60)).build());
    pipe(Events.call("conv-16", T0.plusSeconds(1800)).setDurationMs(5_000L).build());
    pipe(Events.call("conv-17", T0.plusSeconds(3700)).build());
    // a replay of conv-15 replaces its contribution instead of adding to it
    pipeReplay(Events.call("conv-15", T0.plusSeconds(60)).build());

    var latest = new java.util.HashMap<String, TenantStats>();
    topology.tenantStats().readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
    TenantStats firstHour = latest.get("acme|" + T0.toEpochMilli());
    assertThat(firstHour.getCalls()).isEqualTo(2);
    assertThat(firstHour.getTotalDurationMs()).isEqualTo(100_000);
    assertThat(firstHour.getCallbacks()).isEqualTo(2);
    assertThat(firstHour.getInputTokens()).isEqualTo(200);
    assertThat(firstHour.getWindowEnd()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(latest.get("acme|" + T0.plus(Duration.ofHours(1)).toEpochMilli()).getCalls())
        .isEqualTo(1);
  }

  @Test
  void aReplayIsServedFromTheCacheUntilThePromptVersionChanges() {
    CallEnded call = Events.call("conv-18", T0).build();
    pipe(call);
    pipeReplay(call);

    assertThat(topology.ai.count("analyze:")).isEqualTo(1);
    assertThat(topology.ai.count("embed:")).isEqualTo(1);
    List<EnrichedCall> enriched = topology.enriched().readValuesToList();
    assertThat(enriched).hasSize(2);
    assertThat(enriched.get(1).getSummary()).isEqualTo(enriched.get(0).getSummary());
    assertThat(enriched.get(1).getUsage().getCached()).isTrue();
    assertThat(topology.metrics.cacheHitCount()).isEqualTo(2);

    topology.ai.promptVersion("test-prompt-v2");
    pipeReplay(call);
    assertThat(topology.ai.count("analyze:")).isEqualTo(2);
    assertThat(topology.ai.count("embed:")).isEqualTo(1); // the chunks did not change
    assertThat(topology.enriched().readValue().getPromptVersion()).isEqualTo("test-prompt-v2");
  }

  @Test
  void syncModeProducesTheSameOutputs() {
    topology.close();
    topology =
        new TopologyHarness(
            TopologyHarness.config(java.util.Map.of("CALLSTREAM_ENRICHMENT_MODE", "sync")), T0);
    pipe(Events.call("conv-19", T0).build());

    assertThat(topology.enriched().readValuesToList()).hasSize(1);
    assertThat(topology.chunks().readValuesToList()).isNotEmpty();
  }

  private static java.util.function.UnaryOperator<CallbackRequest> later(Duration by) {
    return found ->
        new CallbackRequest(
            found.dueAt().plus(by), found.timeStated(), found.phrase(), found.reason());
  }

  private void mapAgent(String agent, String tenant, String timeZone) {
    topology.agents.pipeInput(
        agent,
        AgentTenant.newBuilder()
            .setAgentId(agent)
            .setTenantId(tenant)
            .setTimeZone(timeZone)
            .setUpdatedAt(T0)
            .build());
  }

  private static final List<Party> OUTBOUND_PARTIES =
      List.of(
          new Party(PartyRole.CALLER, "+14155550999", "Acme"),
          new Party(PartyRole.CALLEE, "+14155550777", "Dana"));

  /** An outbound call of agent-bo, which names no tenant. */
  private static CallEnded.Builder outboundCallOfAgentBo(String providerCallId) {
    return Events.call(providerCallId, T0)
        .setTenantId(null)
        .setAgentId("agent-bo")
        .setDirection(Direction.OUTBOUND)
        .setParties(OUTBOUND_PARTIES);
  }

  /** Like Twilio's recording callback: no tenant, no agent, no parties. */
  private static RecordingUploaded.Builder twilioLikeRecording(String providerCallId) {
    return Events.recording(providerCallId, T0.minusSeconds(95)).setTenantId(null).setAgentId(null);
  }

  /** Agent-bo's tenant, the call's direction and parties, and the callback in New York time. */
  private static void assertHasTheFactsOfTheOutboundCallOfAgentBo(EnrichedCall enriched) {
    assertThat(enriched.getTenantId()).isEqualTo("globex");
    assertThat(enriched.getAgentId()).isEqualTo("agent-bo");
    assertThat(enriched.getDirection()).isEqualTo(Direction.OUTBOUND);
    assertThat(enriched.getParties()).isEqualTo(OUTBOUND_PARTIES);
    // "tomorrow at 3 pm" for a call that ended at 10:00 in New York, to the callee of an outbound
    // call
    assertThat(enriched.getCallback().getDueAt()).isEqualTo(Instant.parse("2026-03-11T19:00:00Z"));
    assertThat(enriched.getCallback().getPhoneNumber()).isEqualTo("+14155550777");
  }

  private void pipe(CallEnded call) {
    topology.calls.pipeInput(call.getCallId().toString(), call, call.getReceivedAt());
  }

  private void pipeReplay(CallEnded call) {
    topology.calls.pipeInput(
        new TestRecord<>(
            call.getCallId().toString(),
            call,
            new RecordHeaders().add(EventHeaders.REPLAY, "1".getBytes(StandardCharsets.UTF_8)),
            call.getReceivedAt()));
  }

  private static String header(TestRecord<String, ?> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static Integer[] range(int n) {
    Integer[] values = new Integer[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return values;
  }
}
