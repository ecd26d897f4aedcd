package io.callstream.gateway.kafka;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gives every write a deadline with one thread for all of them. A request thread waiting with a
 * timeout of its own costs a timer per request (a virtual thread's timed park schedules and cancels
 * a task each time), which took a fifth of the gateway's CPU when measured; here a write costs one
 * queue entry, and a sweeper fails those still unacknowledged at their deadline, within one tick.
 *
 * <p>Every write has the same deadline, so entries join the queue in the order they fall due, and a
 * sweep stops at the first one that is neither acknowledged nor due.
 */
final class AckDeadlines<T> implements AutoCloseable {
  private record Pending<T>(long dueNanos, CompletableFuture<T> ack) {}

  private final Duration deadline;
  private final String overdueMessage;
  private final Queue<Pending<T>> pending = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService sweeper;

  AckDeadlines(Duration deadline, Duration tick) {
    this.deadline = deadline;
    this.overdueMessage =
        "Kafka did not acknowledge the write within " + deadline.toMillis() + " ms";
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable ->
                Thread.ofPlatform().name("gateway-ack-deadlines").daemon().unstarted(runnable));
    sweeper.scheduleAtFixedRate(this::sweep, tick.toNanos(), tick.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * A future for a write that started at {@code startNanos}: completed by the caller with the
   * broker's answer, or failed with a {@link TimeoutException} once the deadline has passed.
   */
  CompletableFuture<T> track(long startNanos) {
    CompletableFuture<T> ack = new CompletableFuture<>();
    pending.add(new Pending<>(startNanos + deadline.toNanos(), ack));
    return ack;
  }

  /** Writes tracked and not yet swept; acknowledged ones leave at the next tick. */
  int size() {
    return pending.size();
  }

  void sweep() {
    long now = System.nanoTime();
    for (Pending<T> head = pending.peek(); head != null; head = pending.peek()) {
      boolean answered = head.ack().isDone();
      if (!answered && now - head.dueNanos() < 0) {
        return;
      }
      pending.poll();
      if (!answered) {
        // Only an overdue write gets an exception; nearly every entry swept was acknowledged.
        head.ack().completeExceptionally(new TimeoutException(overdueMessage));
      }
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }
}
