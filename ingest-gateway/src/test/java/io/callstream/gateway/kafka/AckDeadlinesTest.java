package io.callstream.gateway.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Sweeps are called by the test; the sweeper's own tick is an hour away. */
class AckDeadlinesTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Duration NEVER = Duration.ofHours(1);

  @Test
  void failsAWriteStillUnacknowledgedAtItsDeadline() {
    try (AckDeadlines<String> deadlines = new AckDeadlines<>(DEADLINE, NEVER)) {
      CompletableFuture<String> overdue = deadlines.track(startedAgo(DEADLINE.plusMillis(1)));
      CompletableFuture<String> recent = deadlines.track(startedAgo(Duration.ofSeconds(1)));

      deadlines.sweep();

      assertThatThrownBy(overdue::get)
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class)
          .hasMessage("Kafka did not acknowledge the write within 5000 ms");
      assertThat(recent).isNotDone();
      assertThat(deadlines.size()).isEqualTo(1);
    }
  }

  @Test
  void anAcknowledgedWriteKeepsItsAnswerAndLeavesAtTheNextSweep() throws Exception {
    try (AckDeadlines<String> deadlines = new AckDeadlines<>(DEADLINE, NEVER)) {
      CompletableFuture<String> acknowledged = deadlines.track(startedAgo(DEADLINE.plusMillis(1)));
      acknowledged.complete("partition 3, offset 41");

      deadlines.sweep();

      assertThat(acknowledged.get()).isEqualTo("partition 3, offset 41");
      assertThat(deadlines.size()).isZero();
    }
  }

  @Test
  void aSweepStopsAtTheFirstWriteThatIsNeitherAnsweredNorDue() {
    try (AckDeadlines<String> deadlines = new AckDeadlines<>(DEADLINE, NEVER)) {
      CompletableFuture<String> answered = deadlines.track(startedAgo(Duration.ofSeconds(2)));
      CompletableFuture<String> waiting = deadlines.track(startedAgo(Duration.ofSeconds(1)));
      CompletableFuture<String> answeredLater = deadlines.track(startedAgo(Duration.ZERO));
      answered.complete("a");
      answeredLater.complete("c");

      deadlines.sweep();

      assertThat(waiting).isNotDone();
      assertThat(deadlines.size()).isEqualTo(2);

      waiting.complete("b");
      deadlines.sweep();
      assertThat(deadlines.size()).isZero();
    }
  }

  @Test
  void theSweeperRunsOnItsOwn() throws Exception {
    try (AckDeadlines<String> deadlines = new AckDeadlines<>(DEADLINE, Duration.ofMillis(10))) {
      CompletableFuture<String> overdue = deadlines.track(startedAgo(DEADLINE.plusMillis(1)));

      assertThatThrownBy(() -> overdue.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TimeoutException.class);
    }
  }

  private static long startedAgo(Duration ago) {
    return System.nanoTime() - ago.toNanos();
  }
}
