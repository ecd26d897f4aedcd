package io.callstream.topology.retry;

import io.callstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;

/**
 * Where a transiently failed item goes: the tier for its attempt (the first failure waits in the
 * first tier, the second in the next, the rest in the last), pushed to a later tier when the AI
 * service asked for a longer wait than the tier's delay, and to the dead-letter topic once {@code
 * maxAttempts} tries have failed.
 */
public record RetryPolicy(List<RetryTier> tiers, int maxAttempts) {

  /** What to do with an item after its {@code failedAttempts}-th failure. */
  public sealed interface Decision {
    record Retry(RetryTier tier) implements Decision {}

    record Exhausted(int attempts) implements Decision {}
  }

  public RetryPolicy {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("a retry policy needs at least one tier");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    tiers = List.copyOf(tiers);
  }

  /** 30 s, 5 min, 1 h; five tries in all. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(
        List.of(
            new RetryTier(Topics.CALLS_RETRY_30S, Duration.ofSeconds(30)),
            new RetryTier(Topics.CALLS_RETRY_5M, Duration.ofMinutes(5)),
            new RetryTier(Topics.CALLS_RETRY_1H, Duration.ofHours(1))),
        5);
  }

  public Decision afterFailure(int failedAttempts, Duration retryAfter) {
    if (failedAttempts >= maxAttempts) {
      return new Decision.Exhausted(failedAttempts);
    }
    int index = Math.min(Math.max(failedAttempts, 1), tiers.size()) - 1;
    while (index < tiers.size() - 1 && tiers.get(index).delay().compareTo(retryAfter) < 0) {
      index++;
    }
    return new Decision.Retry(tiers.get(index));
  }
}
