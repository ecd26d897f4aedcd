package io.callstream.enrichment.outcome;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of an AI call, as a value rather than an exception: it succeeded, failed in a way a
 * retry may cure, or failed for good. Callers switch on it; nothing is thrown across threads.
 */
public sealed interface Outcome<T> {

  /** The call succeeded with {@code result}, consuming {@code usage}. */
  record Success<T>(T result, Usage usage) implements Outcome<T> {
    public Success {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(usage, "usage");
    }
  }

  /**
   * A failure a retry may cure (timeout, 429, 5xx, circuit open), with how long the AI service
   * asked to wait, or {@link Duration#ZERO} when it did not say.
   */
  record Transient<T>(String reason, Duration retryAfter) implements Outcome<T> {}

  /** A failure no retry will cure (invalid input, a 4xx other than 429, a refusal). */
  record Permanent<T>(String reason) implements Outcome<T> {}

  static <T> Outcome<T> success(T result, Usage usage) {
    return new Success<>(result, usage);
  }

  static <T> Outcome<T> transientFailure(String reason, Duration retryAfter) {
    return new Transient<>(reason, retryAfter);
  }

  static <T> Outcome<T> permanentFailure(String reason) {
    return new Permanent<>(reason);
  }
}
