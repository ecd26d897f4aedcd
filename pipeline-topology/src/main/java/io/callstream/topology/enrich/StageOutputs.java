package io.callstream.topology.enrich;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.events.AiUsage;
import io.callstream.events.CallDocument;
import io.callstream.events.CallEnded;
import io.callstream.events.CallFacts;
import io.callstream.events.CallStatus;
import io.callstream.events.CallbackRequest;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.Sentiment;
import io.callstream.events.SpeakerRole;
import io.callstream.events.SpeakerSentiment;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.TranscriptSource;
import io.callstream.events.TranscriptWord;
import io.callstream.events.WorkItem;
import io.callstream.topology.source.CallFactsProcessor;
import io.callstream.topology.tenant.TenantResolution;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Avro records the stages emit, built from what the AI returned and what the work item knows
 * about its call. The call's own fields (ids, tenant, times, parties) are always taken from the
 * item, so a cached result made for one call never carries another call's identity; a recording's
 * come from its call's facts when the pipeline has seen the call.
 */
final class StageOutputs {
  private StageOutputs() {}

  /** The version of a call's state: the receive time of the source event it was computed from. */
  static long version(WorkItem item) {
    return item.getCall() != null
        ? item.getCall().getReceivedAt().toEpochMilli()
        : item.getRecording().getReceivedAt().toEpochMilli();
  }

  static AiUsage usage(Usage usage) {
    return new AiUsage(
        usage.inputTokens(), usage.outputTokens(), usage.audioMillis(), usage.costUsd(), false);
  }

  static AiUsage plus(AiUsage a, AiUsage b) {
    if (a == null) {
      return b;
    }
    return new AiUsage(
        a.getInputTokens() + b.getInputTokens(),
        a.getOutputTokens() + b.getOutputTokens(),
        a.getAudioMs() + b.getAudioMs(),
        a.getCostUsd() + b.getCostUsd(),
        a.getCached() && b.getCached());
  }

  static Transcript transcript(
      WorkItem item, Transcription transcription, Usage usage, Instant at) {
    List<TranscriptSegment> segments = new ArrayList<>();
    for (Transcription.Segment segment : transcription.segments()) {
      List<TranscriptWord> words = new ArrayList<>();
      segment
          .words()
          .forEach(w -> words.add(new TranscriptWord(w.text(), w.startMs(), w.endMs(), null)));
      segments.add(
          new TranscriptSegment(
              segment.index(),
              null,
              segment.text(),
              segment.startMs(),
              segment.endMs(),
              segment.confidence(),
              words));
    }
    return withCallFields(
            Transcript.newBuilder()
                .setCallId(item.getCallId())
                .setTenantId(item.getTenantId())
                .setLanguage(transcription.language())
                .setDurationMs(transcription.durationMs())
                .setText(transcription.text())
                .setSegments(segments)
                .setModel(transcription.model())
                .setUsage(usage(usage))
                .setTranscribedAt(at),
            item)
        .build();
  }

  static Transcript.Builder withCallFields(Transcript.Builder transcript, WorkItem item) {
    return transcript
        .setCallId(item.getCallId())
        .setTenantId(item.getTenantId())
        .setRecordingId(item.getRecording() == null ? null : item.getRecording().getRecordingId());
  }

  static EnrichedCall enriched(
      WorkItem item, Analysis analysis, Usage usage, boolean redacted, Instant at) {
    List<SpeakerSentiment> speakers = new ArrayList<>();
    for (Map.Entry<Speaker, Double> score : analysis.speakerScores().entrySet()) {
      if (score.getKey() != Speaker.UNKNOWN) {
        speakers.add(
            new SpeakerSentiment(
                SpeakerRole.valueOf(score.getKey().name()),
                sentimentOf(score.getValue()),
                score.getValue()));
      }
    }
    ZoneId zone = Conversations.timeZone(item.getTimeZone());
    CallbackRequest callback =
        analysis.callback() == null
            ? null
            : new CallbackRequest(
                analysis.callback().dueAt(),
                zone.getId(),
                analysis.callback().reason(),
                analysis.callback().phrase(),
                null);
    EnrichedCall.Builder enriched =
        EnrichedCall.newBuilder()
            .setTitle(analysis.title())
            .setSummary(analysis.summary())
            .setSentiment(Sentiment.valueOf(analysis.sentiment().name()))
            .setSentimentScore(analysis.sentimentScore())
            .setSpeakerSentiments(speakers)
            .setSuccess(SuccessVerdict.valueOf(analysis.success().name()))
            .setSuccessReason(analysis.successReason())
            .setCallback(callback)
            .setTopics(analysis.topics())
            .setActionItems(analysis.actionItems())
            .setExtractedJson(analysis.extractedJson())
            .setPiiRedacted(redacted)
            .setAnalyzer(analysis.analyzer())
            .setModel(analysis.model())
            .setPromptVersion(analysis.promptVersion())
            .setUsage(usage(usage))
            .setEnrichedAt(at);
    return withCallFields(enriched, item).build();
  }

  /** An enriched call with nothing to analyse (no words were said): no AI is asked. */
  static EnrichedCall silent(WorkItem item, Instant at) {
    EnrichedCall.Builder enriched =
        EnrichedCall.newBuilder()
            .setAnalyzer("none")
            .setModel("none")
            .setPromptVersion("none")
            .setUsage(new AiUsage(0L, 0L, 0L, 0.0, false))
            .setEnrichedAt(at);
    return withCallFields(enriched, item).build();
  }

  /** Sets every field that describes the call itself from {@code item}. */
  /**
   * The platform's turns of a call analysed from them, as the transcript the read side shows
   * (redacted as they were analysed; model {@code provider}); null for a call analysed from a
   * recording, whose transcript was emitted when it was made, or one without turns.
   */
  static Transcript providerTranscript(WorkItem item) {
    EnrichedCall enriched = item.getEnriched();
    if (item.getTranscript() != null || item.getCall() == null || enriched == null) {
      return null;
    }
    List<Utterance> turns = Conversations.of(item, enriched.getPiiRedacted()).utterances();
    if (turns.isEmpty()) {
      return null;
    }
    List<TranscriptSegment> segments = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Utterance turn : turns) {
      long start = turn.startMs() == null ? 0 : turn.startMs();
      segments.add(
          TranscriptSegment.newBuilder()
              .setIndex(segments.size())
              .setSpeaker(turn.speaker().name().toLowerCase(Locale.ROOT))
              .setText(turn.text())
              .setStartMs(start)
              .setEndMs(turn.endMs() == null ? start : turn.endMs())
              .build());
      text.append(text.isEmpty() ? "" : "\n").append(turn.text());
    }
    return Transcript.newBuilder()
        .setCallId(item.getCallId())
        .setTenantId(enriched.getTenantId())
        .setDurationMs(enriched.getDurationMs())
        .setText(text.toString())
        .setSegments(segments)
        .setModel(PROVIDER_TRANSCRIPT)
        .setTranscribedAt(enriched.getEnrichedAt())
        .build();
  }

  /** The model named by a transcript made of the platform's own turns. */
  static final String PROVIDER_TRANSCRIPT = "provider";

  static EnrichedCall.Builder withCallFields(EnrichedCall.Builder enriched, WorkItem item) {
    CallEnded call = item.getCall();
    RecordingUploaded recording = item.getRecording();
    enriched
        .setCallId(item.getCallId())
        .setTenantId(item.getTenantId())
        .setVersion(version(item))
        .setEndedAt(Conversations.endedAt(item))
        .setTranscriptSource(
            item.getTranscript() != null
                ? TranscriptSource.RECORDING
                : call != null && !call.getTurns().isEmpty()
                    ? TranscriptSource.PROVIDER
                    : TranscriptSource.NONE);
    enriched
        .setAgentId(TenantResolution.agentOf(item))
        .setProvider(call != null ? call.getProvider() : recording.getProvider())
        .setProviderCallId(call != null ? call.getProviderCallId() : recording.getProviderCallId());
    CallFacts facts = CallFactsProcessor.of(item);
    if (facts != null) {
      enriched
          .setDirection(facts.getDirection())
          .setStatus(facts.getStatus())
          .setStartedAt(facts.getStartedAt())
          .setDurationMs(facts.getDurationMs())
          .setParties(facts.getParties());
    } else {
      // a recording whose call the pipeline has not seen
      enriched
          .setDirection(Direction.UNKNOWN)
          .setStatus(CallStatus.COMPLETED)
          .setStartedAt(recording.getRecordedAt())
          .setDurationMs(recording.getDurationMs())
          .setParties(List.of());
    }
    if (enriched.getCallback() != null) {
      enriched
          .getCallback()
          .setPhoneNumber(callbackNumber(enriched.getDirection(), enriched.getParties()));
    }
    return enriched;
  }

  static CallDocument document(WorkItem item, Document document, Usage usage, Instant at) {
    return withCallFields(
            CallDocument.newBuilder()
                .setTitle(document.title())
                .setMarkdown(document.markdown())
                .setModel(document.model())
                .setPromptVersion(document.promptVersion())
                .setUsage(usage(usage))
                .setGeneratedAt(at),
            item)
        .build();
  }

  static CallDocument.Builder withCallFields(CallDocument.Builder document, WorkItem item) {
    return document
        .setCallId(item.getCallId())
        .setTenantId(item.getTenantId())
        .setVersion(version(item));
  }

  /** The other side of the call: the caller of an inbound call, the callee of an outbound one. */
  private static String callbackNumber(Direction direction, List<Party> parties) {
    PartyRole wanted = direction == Direction.OUTBOUND ? PartyRole.CALLEE : PartyRole.CALLER;
    return parties.stream()
        .filter(party -> party.getRole() == wanted)
        .map(Party::getPhoneNumber)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private static Sentiment sentimentOf(double score) {
    return score > 0.2 ? Sentiment.POSITIVE : score < -0.2 ? Sentiment.NEGATIVE : Sentiment.NEUTRAL;
  }
}
