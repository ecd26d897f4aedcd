package io.callstream.enrichment.openai;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces permits (requests, or tokens) to a steady rate without blocking a thread: each caller
 * reserves its permits at the next free moment and gets a future that completes then. There is no
 * burst, so over any window the rate stays at the limit; a request for more permits than a second
 * holds is let through and the following callers pay for it.
 */
final class RateLimiter {
  private final double nanosPerPermit;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier nanoClock;
  private long nextFree;

  RateLimiter(double permitsPerMinute, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
    if (permitsPerMinute <= 0) {
      throw new IllegalArgumentException("a rate limit must be positive, got " + permitsPerMinute);
    }
    this.nanosPerPermit = 60e9 / permitsPerMinute;
    this.scheduler = scheduler;
    this.nanoClock = nanoClock;
    this.nextFree = nanoClock.getAsLong();
  }

  /**
   * How long the caller must wait, in nanoseconds, for {@code permits}; the permits are reserved.
   */
  synchronized long reserve(double permits) {
    long now = nanoClock.getAsLong();
    long start = Math.max(now, nextFree);
    nextFree = start + (long) (permits * nanosPerPermit);
    return start - now;
  }

  /** Completes when {@code permits} may be used. */
  CompletableFuture<Void> acquire(double permits) {
    long wait = reserve(permits);
    if (wait <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> ready = new CompletableFuture<>();
    scheduler.schedule(() -> ready.complete(null), wait, TimeUnit.NANOSECONDS);
    return ready;
  }
}
