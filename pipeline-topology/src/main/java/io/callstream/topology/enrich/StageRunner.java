package io.callstream.topology.enrich;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.Chunk;
import io.callstream.enrichment.text.Chunker;
import io.callstream.enrichment.text.TextSpan;
import io.callstream.events.AiUsage;
import io.callstream.events.CallChunk;
import io.callstream.events.CallDocument;
import io.callstream.events.ChunkSource;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.Transcript;
import io.callstream.events.WorkItem;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * What each enrichment stage does to a work item: which AI call it makes and under which cache key
 * ({@link #prepare}), and how the result lands in the item ({@link #apply}). CHUNK needs no AI and
 * runs inline ({@link #chunk}). Holds no state, so it is safe to share between tasks.
 */
public final class StageRunner {
  private static final String NO_PROMPT = "none";

  private final Enrichers ai;
  private final Chunker chunker;
  private final Predicate<String> redactsTenant;
  private final Clock clock;

  public StageRunner(Enrichers ai, Chunker chunker, Predicate<String> redactsTenant, Clock clock) {
    this.ai = ai;
    this.chunker = chunker;
    this.redactsTenant = redactsTenant;
    this.clock = clock;
  }

  /** The AI call for the item's stage (TRANSCRIBE, ANALYZE or EMBED). */
  StageCall prepare(WorkItem item) {
    return switch (item.getStage()) {
      case TRANSCRIBE -> transcribe(item);
      case ANALYZE -> analyze(item);
      case EMBED -> embed(item);
      default -> throw new IllegalArgumentException("stage " + item.getStage() + " calls no AI");
    };
  }

  private StageCall transcribe(WorkItem item) {
    String model = ai.transcriber().model();
    String audio = item.getRecording().getAudioUrl();
    return new StageCall(
        cacheKey(Stage.TRANSCRIBE, model, NO_PROMPT, audio),
        () ->
            ai.transcriber()
                .transcribe(URI.create(audio))
                .thenApply(
                    outcome ->
                        map(
                            outcome,
                            (transcription, usage) ->
                                result(Stage.TRANSCRIBE, model, NO_PROMPT, usage)
                                    .setTranscript(
                                        StageOutputs.transcript(
                                            item, transcription, usage, clock.instant())))));
  }

  private StageCall analyze(WorkItem item) {
    boolean redact = redactsTenant.test(item.getTenantId());
    Conversation conversation = Conversations.of(item, redact);
    if (conversation.utterances().isEmpty()) {
      StageResult silent =
          result(Stage.ANALYZE, "none", NO_PROMPT, Usage.NONE)
              .setEnriched(StageOutputs.silent(item, clock.instant()))
              .build();
      return new StageCall(null, () -> CompletableFuture.completedFuture(success(silent)));
    }
    boolean recording = item.getRecording() != null;
    String model = ai.analyzer().model();
    String prompt =
        ai.analyzer().promptVersion() + (recording ? "+" + ai.documents().promptVersion() : "");
    String key =
        cacheKey(
            Stage.ANALYZE, model, prompt, (redact ? "redacted\n" : "") + conversation.asPrompt());
    return new StageCall(
        key,
        () -> {
          CompletableFuture<Outcome<Analysis>> analysis =
              ai.analyzer().analyze(conversation).toCompletableFuture();
          CompletableFuture<Outcome<Document>> document =
              recording
                  ? ai.documents().write(conversation).toCompletableFuture()
                  : CompletableFuture.completedFuture(null);
          return analysis.thenCombine(
              document, (a, d) -> analysisResult(item, redact, model, prompt, a, d));
        });
  }

  private Outcome<StageResult> analysisResult(
      WorkItem item,
      boolean redacted,
      String model,
      String prompt,
      Outcome<Analysis> analysis,
      Outcome<Document> document) {
    if (!(analysis instanceof Outcome.Success<Analysis> a)) {
      return failure(analysis);
    }
    Instant now = clock.instant();
    Usage usage = a.usage();
    CallDocument written = null;
    if (document != null) {
      if (!(document instanceof Outcome.Success<Document> d)) {
        return failure(document);
      }
      usage = usage.plus(d.usage());
      written = StageOutputs.document(item, d.result(), d.usage(), now);
    }
    return success(
        result(Stage.ANALYZE, model, prompt, usage)
            .setEnriched(StageOutputs.enriched(item, a.result(), a.usage(), redacted, now))
            .setDocument(written)
            .build());
  }

  private StageCall embed(WorkItem item) {
    List<CallChunk> chunks = item.getChunks();
    String model = ai.embedder().model();
    if (chunks.isEmpty()) {
      StageResult none = result(Stage.EMBED, model, NO_PROMPT, Usage.NONE).build();
      return new StageCall(null, () -> CompletableFuture.completedFuture(success(none)));
    }
    List<String> texts = chunks.stream().map(CallChunk::getText).toList();
    return new StageCall(
        cacheKey(Stage.EMBED, model, NO_PROMPT, chunks.get(0).getSetHash()),
        () ->
            ai.embedder()
                .embed(texts)
                .thenApply(
                    outcome ->
                        map(
                            outcome,
                            (vectors, usage) -> {
                              List<List<Float>> embeddings = new ArrayList<>(vectors.size());
                              for (float[] vector : vectors) {
                                embeddings.add(floats(vector));
                              }
                              return result(Stage.EMBED, model, NO_PROMPT, usage)
                                  .setEmbeddings(embeddings);
                            })));
  }

  /** The item with its stage's result in place; the stage itself is not advanced. */
  WorkItem apply(WorkItem item, StageResult result, boolean cached) {
    WorkItem.Builder next = WorkItem.newBuilder(item);
    switch (item.getStage()) {
      case TRANSCRIBE ->
          next.setTranscript(
              StageOutputs.withCallFields(Transcript.newBuilder(result.getTranscript()), item)
                  .build());
      case ANALYZE -> {
        EnrichedCall.Builder enriched =
            StageOutputs.withCallFields(EnrichedCall.newBuilder(result.getEnriched()), item);
        AiUsage usage = markCached(enriched.getUsage(), cached);
        if (result.getDocument() != null) {
          next.setDocument(
              StageOutputs.withCallFields(CallDocument.newBuilder(result.getDocument()), item)
                  .build());
          usage = StageOutputs.plus(usage, markCached(result.getDocument().getUsage(), cached));
        }
        if (item.getTranscript() != null && item.getTranscript().getUsage() != null) {
          usage = StageOutputs.plus(usage, item.getTranscript().getUsage());
        }
        next.setEnriched(enriched.setUsage(usage).build());
      }
      case EMBED -> {
        List<CallChunk> chunks = new ArrayList<>(item.getChunks().size());
        for (int i = 0; i < item.getChunks().size(); i++) {
          List<Float> vector = result.getEmbeddings().get(i);
          chunks.add(
              CallChunk.newBuilder(item.getChunks().get(i))
                  .setEmbedding(vector)
                  .setDims(vector.size())
                  .build());
        }
        next.setChunks(chunks);
      }
      default -> throw new IllegalArgumentException("stage " + item.getStage() + " has no result");
    }
    return next.build();
  }

  /**
   * The item's searchable chunks: transcript turns (or recording segments) and, for recordings, the
   * document's sections; all cut from the redacted text when the tenant redacts.
   */
  WorkItem chunk(WorkItem item) {
    boolean redact = redactsTenant.test(item.getTenantId());
    Conversation conversation = Conversations.of(item, redact);
    List<TextSpan> spans = new ArrayList<>();
    for (Conversation.Utterance utterance : conversation.utterances()) {
      spans.add(
          TextSpan.turn(
              utterance.speaker() == Conversation.Speaker.UNKNOWN
                  ? null
                  : utterance.speaker().name().toLowerCase(java.util.Locale.ROOT),
              utterance.text(),
              utterance.startMs(),
              utterance.endMs()));
    }
    boolean recording = item.getRecording() != null;
    List<Chunk> pieces = new ArrayList<>(spans.isEmpty() ? List.of() : chunker.chunk(spans));
    int transcriptChunks = pieces.size();
    if (item.getDocument() != null) {
      pieces.addAll(chunker.chunkMarkdown(item.getDocument().getMarkdown()));
    }
    String model = ai.embedder().model();
    String setHash = setHash(model, pieces);
    long version = StageOutputs.version(item);
    Instant now = clock.instant();
    List<CallChunk> chunks = new ArrayList<>(pieces.size());
    for (int i = 0; i < pieces.size(); i++) {
      Chunk piece = pieces.get(i);
      chunks.add(
          CallChunk.newBuilder()
              .setCallId(item.getCallId())
              .setTenantId(item.getTenantId())
              .setVersion(version)
              .setChunkIndex(i)
              .setChunkCount(pieces.size())
              .setSetHash(setHash)
              .setText(piece.text())
              .setSource(
                  i >= transcriptChunks
                      ? ChunkSource.DOCUMENT
                      : recording ? ChunkSource.RECORDING : ChunkSource.TRANSCRIPT)
              .setSpeaker(piece.speaker())
              .setStartMs(piece.startMs())
              .setEndMs(piece.endMs())
              .setEmbeddingModel(model)
              .setCreatedAt(now)
              .build());
    }
    return WorkItem.newBuilder(item).setChunks(chunks).build();
  }

  private static AiUsage markCached(AiUsage usage, boolean cached) {
    if (!cached || usage == null) {
      return usage;
    }
    return AiUsage.newBuilder(usage).setCached(true).build();
  }

  private StageResult.Builder result(Stage stage, String model, String prompt, Usage usage) {
    return StageResult.newBuilder()
        .setStage(stage)
        .setModel(model)
        .setPromptVersion(prompt)
        .setUsage(StageOutputs.usage(usage))
        .setProducedAt(clock.instant());
  }

  private static <T> Outcome<StageResult> map(
      Outcome<T> outcome, java.util.function.BiFunction<T, Usage, StageResult.Builder> onSuccess) {
    return switch (outcome) {
      case Outcome.Success<T> s -> success(onSuccess.apply(s.result(), s.usage()).build());
      default -> failure(outcome);
    };
  }

  private static Outcome<StageResult> success(StageResult result) {
    return Outcome.success(result, Usage.NONE);
  }

  private static Outcome<StageResult> failure(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Transient<?> t -> Outcome.transientFailure(t.reason(), t.retryAfter());
      case Outcome.Permanent<?> p -> Outcome.permanentFailure(p.reason());
      case Outcome.Success<?> s -> throw new IllegalArgumentException("not a failure");
    };
  }

  private static List<Float> floats(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float value : vector) {
      list.add(value);
    }
    return list;
  }

  static String cacheKey(Stage stage, String model, String prompt, String input) {
    return stage + "|" + model + "|" + prompt + "|" + sha256(input);
  }

  /** Equal for equal chunk texts cut for equal models: the sinks skip unchanged sets by it. */
  static String setHash(String model, List<Chunk> chunks) {
    StringBuilder all = new StringBuilder(model).append('\n');
    for (Chunk chunk : chunks) {
      all.append(chunk.text()).append('\u0000');
    }
    return sha256(all.toString());
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
