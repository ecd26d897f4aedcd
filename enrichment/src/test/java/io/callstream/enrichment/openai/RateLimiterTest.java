package io.callstream.enrichment.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Test
  void pacesPermitsEvenlyWithoutABurst() {
    RateLimiter limiter = new RateLimiter(600, null, now::get); // 10 per second
    assertThat(limiter.reserve(1)).isZero();
    assertThat(limiter.reserve(1)).isEqualTo(100_000_000L);
    assertThat(limiter.reserve(1)).isEqualTo(200_000_000L);
    now.addAndGet(1_000_000_000L); // a quiet second stores nothing up
    assertThat(limiter.reserve(1)).isZero();
    assertThat(limiter.reserve(1)).isEqualTo(100_000_000L);
  }

  @Test
  void aLargeRequestGoesThroughAndTheNextOnePaysForIt() {
    RateLimiter tokens = new RateLimiter(60_000, null, now::get); // 1000 tokens per second
    assertThat(tokens.reserve(5_000)).isZero();
    assertThat(tokens.reserve(10)).isEqualTo(5_000_000_000L);
  }

  @Test
  void rejectsANonPositiveRate() {
    assertThatThrownBy(() -> new RateLimiter(0, null, now::get))
        .hasMessageContaining("must be positive");
  }
}
