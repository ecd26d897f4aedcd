package io.callstream.topology.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = RetryPolicy.defaults();

  @Test
  void eachFailureWaitsInTheTierForItsAttempt() {
    assertThat(tierAfter(1, Duration.ZERO)).isEqualTo(Topics.CALLS_RETRY_30S);
    assertThat(tierAfter(2, Duration.ZERO)).isEqualTo(Topics.CALLS_RETRY_5M);
    assertThat(tierAfter(3, Duration.ZERO)).isEqualTo(Topics.CALLS_RETRY_1H);
    assertThat(tierAfter(4, Duration.ZERO)).isEqualTo(Topics.CALLS_RETRY_1H);
  }

  @Test
  void aLongerRetryAfterPushesTheItemToALaterTier() {
    assertThat(tierAfter(1, Duration.ofSeconds(30))).isEqualTo(Topics.CALLS_RETRY_30S);
    assertThat(tierAfter(1, Duration.ofSeconds(31))).isEqualTo(Topics.CALLS_RETRY_5M);
    assertThat(tierAfter(1, Duration.ofMinutes(20))).isEqualTo(Topics.CALLS_RETRY_1H);
    assertThat(tierAfter(1, Duration.ofHours(3)))
        .as("nothing waits longer than the last tier")
        .isEqualTo(Topics.CALLS_RETRY_1H);
    assertThat(tierAfter(3, Duration.ofSeconds(1)))
        .as("Retry-After never pulls an item earlier")
        .isEqualTo(Topics.CALLS_RETRY_1H);
  }

  @Test
  void theLastAllowedFailureExhaustsTheItem() {
    assertThat(policy.afterFailure(5, Duration.ZERO))
        .isEqualTo(new RetryPolicy.Decision.Exhausted(5));
    assertThat(
            new RetryPolicy(List.of(new RetryTier("t", Duration.ofSeconds(1))), 1)
                .afterFailure(1, Duration.ZERO))
        .isInstanceOf(RetryPolicy.Decision.Exhausted.class);
  }

  @Test
  void rejectsAPolicyWithoutTiersOrAttempts() {
    assertThatThrownBy(() -> new RetryPolicy(List.of(), 3))
        .hasMessageContaining("at least one tier");
    assertThatThrownBy(() -> new RetryPolicy(RetryPolicy.defaults().tiers(), 0))
        .hasMessageContaining("maxAttempts");
  }

  private String tierAfter(int failures, Duration retryAfter) {
    return ((RetryPolicy.Decision.Retry) policy.afterFailure(failures, retryAfter)).tier().topic();
  }
}
