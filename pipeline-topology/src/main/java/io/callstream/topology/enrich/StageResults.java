package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.events.AiUsage;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * What the stages share about their results: the {@link StageResult} the AI result cache keeps, the
 * key it is kept under, and the turn of an AI outcome into a stage outcome.
 */
final class StageResults {
  /** The prompt version of a stage that sends no prompt. */
  static final String NO_PROMPT = "none";

  private StageResults() {}

  static StageResult.Builder result(
      Stage stage, String model, String prompt, Usage usage, Instant at) {
    return StageResult.newBuilder()
        .setStage(stage)
        .setModel(model)
        .setPromptVersion(prompt)
        .setUsage(usage(usage))
        .setProducedAt(at);
  }

  /** A stage that needs no AI this time: its result is ready and is not cached. */
  static StageCall ready(StageResult result) {
    return new StageCall(null, () -> CompletableFuture.completedFuture(success(result)));
  }

  /** The stage's result on success; the AI's failure, unchanged, otherwise. */
  static <T> Outcome<StageResult> map(
      Outcome<T> outcome, BiFunction<T, Usage, StageResult.Builder> onSuccess) {
    return switch (outcome) {
      case Outcome.Success<T> s -> success(onSuccess.apply(s.result(), s.usage()).build());
      default -> failure(outcome);
    };
  }

  static Outcome<StageResult> success(StageResult result) {
    return Outcome.success(result, Usage.NONE);
  }

  static Outcome<StageResult> failure(Outcome<?> outcome) {
    return switch (outcome) {
      case Outcome.Transient<?> t -> Outcome.transientFailure(t.reason(), t.retryAfter());
      case Outcome.Permanent<?> p -> Outcome.permanentFailure(p.reason());
      case Outcome.Success<?> s -> throw new IllegalArgumentException("not a failure");
    };
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

  /** {@code usage}, marked as served from the cache when it was. */
  static AiUsage cached(AiUsage usage, boolean cached) {
    if (!cached || usage == null) {
      return usage;
    }
    return AiUsage.newBuilder(usage).setCached(true).build();
  }

  static String cacheKey(Stage stage, String model, String prompt, String input) {
    return stage + "|" + model + "|" + prompt + "|" + sha256(input);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
