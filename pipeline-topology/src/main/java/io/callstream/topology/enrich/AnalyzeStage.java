package io.callstream.topology.enrich;

import static io.callstream.topology.enrich.StageResults.NO_PROMPT;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.DocumentWriter;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.LanguageDetection;
import io.callstream.enrichment.text.PiiRedactor.PiiType;
import io.callstream.events.AiUsage;
import io.callstream.events.CallDocument;
import io.callstream.events.CallbackRequest;
import io.callstream.events.CriterionResult;
import io.callstream.events.CriterionVerdict;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Sentiment;
import io.callstream.events.SpeakerRole;
import io.callstream.events.SpeakerSentiment;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.Routed;
import io.callstream.topology.intake.CallView;
import io.callstream.topology.tenant.TenantPolicies;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * ANALYZE: the call's summary, sentiment, success, callback and the rest, and for recordings a
 * written document, from the conversation redacted when the tenant redacts. Emits the enriched
 * call, the platform's own turns as a transcript, and the document.
 */
record AnalyzeStage(
    Analyzer analyzer,
    DocumentWriter documents,
    ChunkStage chunk,
    EmbedStage embed,
    TenantPolicies tenants,
    Clock clock)
    implements EnrichmentStage {
  /** The model named by a transcript made of the platform's own turns. */
  static final String PROVIDER_TRANSCRIPT = "provider";

  @Override
  public Stage stage() {
    return Stage.ANALYZE;
  }

  @Override
  public Stage next() {
    return Stage.CHUNK;
  }

  @Override
  public StageCall call(WorkItem item) {
    Set<PiiType> redact = tenants.redaction(item);
    CallView call = CallView.of(item);
    Conversation conversation = Conversations.of(item, call, redact);
    if (conversation.utterances().isEmpty()) {
      return StageResults.ready(silent(call));
    }
    boolean recording = item.getRecording() != null;
    AnalysisPlan plan = TenantPolicies.plan(item);
    String model = analyzer.model();
    // The tenant's plan is part of the prompt: a changed plan misses the cache.
    String prompt =
        analyzer.promptVersion()
            + (plan == null ? "" : "+" + plan.version())
            + (recording ? "+" + documents.promptVersion() : "");
    String key =
        StageResults.cacheKey(
            Stage.ANALYZE, model, prompt, redactionMark(redact) + conversation.asPrompt());
    return new StageCall(
        key,
        () -> {
          CompletableFuture<Outcome<Analysis>> analysis =
              analyzer.analyze(conversation, plan).toCompletableFuture();
          CompletableFuture<Outcome<Document>> document =
              recording
                  ? documents.write(conversation).toCompletableFuture()
                  : CompletableFuture.completedFuture(null);
          return analysis.thenCombine(
              document, (a, d) -> result(call, !redact.isEmpty(), plan, model, prompt, a, d));
        });
  }

  /**
   * A call's chunks are cut from its own turns, not from the analysis, so they are embedded while
   * the analysis runs. Not for recordings: their chunks include the document this stage writes.
   */
  @Override
  public List<StageCall> prefetch(WorkItem item) {
    if (item.getRecording() != null) {
      return List.of();
    }
    return List.of(embed.call(chunk.write(item, null, false)));
  }

  @Override
  public WorkItem write(WorkItem item, StageResult result, boolean cached) {
    CallView call = CallView.of(item);
    WorkItem.Builder next = WorkItem.newBuilder(item);
    EnrichedCall.Builder enriched = EnrichedCall.newBuilder(result.getEnriched());
    if (cached) {
      call.stamp(enriched);
    }
    AiUsage usage = StageResults.cached(enriched.getUsage(), cached);
    if (result.getDocument() != null) {
      CallDocument.Builder document = CallDocument.newBuilder(result.getDocument());
      next.setDocument((cached ? call.stamp(document) : document).build());
      usage = StageResults.plus(usage, StageResults.cached(document.getUsage(), cached));
    }
    if (item.getTranscript() != null && item.getTranscript().getUsage() != null) {
      usage = StageResults.plus(usage, item.getTranscript().getUsage());
    }
    return next.setEnriched(enriched.setUsage(usage).build()).build();
  }

  @Override
  public List<Routed> outputs(WorkItem item) {
    List<Routed> outputs = new ArrayList<>(3);
    outputs.add(Routed.to(Topics.CALLS_ENRICHED, item.getEnriched()));
    Transcript turns = platformTranscript(item);
    if (turns != null) {
      outputs.add(Routed.to(Topics.CALLS_TRANSCRIBED, turns));
    }
    if (item.getDocument() != null) {
      outputs.add(Routed.to(Topics.DOCUMENTS_GENERATED, item.getDocument()));
    }
    return outputs;
  }

  /** How the cache key tells redacted text apart: every kind, some kinds, or none. */
  private static String redactionMark(Set<PiiType> redact) {
    if (redact.isEmpty()) {
      return "";
    }
    return redact.equals(TenantPolicies.EVERY_KIND)
        ? "redacted\n"
        : "redacted " + new java.util.TreeSet<>(redact) + "\n";
  }

  private Outcome<StageResult> result(
      CallView call,
      boolean redacted,
      AnalysisPlan plan,
      String model,
      String prompt,
      Outcome<Analysis> analysis,
      Outcome<Document> document) {
    if (!(analysis instanceof Outcome.Success<Analysis> a)) {
      return StageResults.failure(analysis);
    }
    Instant now = clock.instant();
    Usage usage = a.usage();
    CallDocument written = null;
    if (document != null) {
      if (!(document instanceof Outcome.Success<Document> d)) {
        return StageResults.failure(document);
      }
      usage = usage.plus(d.usage());
      written = document(call, d.result(), d.usage(), now);
    }
    return StageResults.success(
        StageResults.result(Stage.ANALYZE, model, prompt, usage, now)
            .setEnriched(enriched(call, a.result(), plan, a.usage(), redacted, now))
            .setDocument(written)
            .build());
  }

  /** An enriched call with nothing to analyse (no words were said): no AI is asked. */
  private StageResult silent(CallView call) {
    Instant now = clock.instant();
    EnrichedCall enriched =
        call.stamp(
                EnrichedCall.newBuilder()
                    .setAnalyzer("none")
                    .setModel("none")
                    .setPromptVersion("none")
                    .setUsage(StageResults.usage(Usage.NONE))
                    .setEnrichedAt(now))
            .build();
    return StageResults.result(Stage.ANALYZE, "none", NO_PROMPT, Usage.NONE, now)
        .setEnriched(enriched)
        .build();
  }

  private static EnrichedCall enriched(
      CallView call,
      Analysis analysis,
      AnalysisPlan plan,
      Usage usage,
      boolean redacted,
      Instant at) {
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
    CallbackRequest callback =
        analysis.callback() == null
            ? null
            : new CallbackRequest(
                analysis.callback().dueAt(),
                call.timeZone().getId(),
                analysis.callback().reason(),
                analysis.callback().phrase(),
                null);
    return call.stamp(
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
                .setEvaluation(
                    analysis.evaluations().stream()
                        .map(
                            r ->
                                new CriterionResult(
                                    r.name(),
                                    CriterionVerdict.valueOf(r.verdict().name()),
                                    r.rationale()))
                        .toList())
                .setPlanVersion(plan == null ? null : plan.version())
                .setPiiRedacted(redacted)
                .setAnalyzer(analysis.analyzer())
                .setModel(analysis.model())
                // the plan is part of the prompt: a call analysed again after a plan change
                // replaces its row, as after a prompt change
                .setPromptVersion(
                    plan == null
                        ? analysis.promptVersion()
                        : analysis.promptVersion() + "+" + plan.version())
                .setUsage(StageResults.usage(usage))
                .setEnrichedAt(at))
        .build();
  }

  private static CallDocument document(CallView call, Document document, Usage usage, Instant at) {
    return call.stamp(
            CallDocument.newBuilder()
                .setTitle(document.title())
                .setMarkdown(document.markdown())
                .setModel(document.model())
                .setPromptVersion(document.promptVersion())
                .setUsage(StageResults.usage(usage))
                .setGeneratedAt(at))
        .build();
  }

  /**
   * The platform's turns of a call analysed from them, as the transcript the read side shows
   * (redacted as they were analysed; model {@code provider}; its language detected); null for a
   * call analysed from a recording, whose transcript was emitted when it was made, or one without
   * turns.
   */
  private Transcript platformTranscript(WorkItem item) {
    EnrichedCall enriched = item.getEnriched();
    if (item.getTranscript() != null || item.getCall() == null || enriched == null) {
      return null;
    }
    List<Utterance> turns =
        Conversations.of(item, enriched.getPiiRedacted() ? tenants.redaction(item) : Set.of())
            .utterances();
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
        .setLanguage(
            TenantPolicies.language(item) != null
                ? TenantPolicies.language(item)
                : LanguageDetection.get().of(text.toString()))
        .setDurationMs(enriched.getDurationMs())
        .setText(text.toString())
        .setSegments(segments)
        .setModel(PROVIDER_TRANSCRIPT)
        .setTranscribedAt(enriched.getEnrichedAt())
        .build();
  }

  private static Sentiment sentimentOf(double score) {
    return score > 0.2 ? Sentiment.POSITIVE : score < -0.2 ? Sentiment.NEGATIVE : Sentiment.NEUTRAL;
  }
}
