package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.events.StageResult;
import io.callstream.events.WorkItem;
import io.callstream.topology.PipelineMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * The AI calls of one incarnation of a task's {@link EnrichmentProcessor}: stages submitted,
 * embeddings prefetched for later stages, and the queue their completions land on, which only the
 * stream thread reads. Kafka Streams closes a task's processors when the task is suspended or its
 * standby is promoted and then initialises the same instances again, so each {@code init} starts a
 * new one: a call of an earlier incarnation reports to a queue nobody reads, while the new
 * incarnation resubmits what was in flight.
 */
final class AiCalls {
  /** A finished stage of {@code item}, or (item null) a finished embedding prefetch. */
  record Completion(WorkItem item, String cacheKey, boolean cached, Outcome<StageResult> outcome) {}

  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final Map<String, CompletableFuture<Outcome<StageResult>>> prefetching = new HashMap<>();
  private final PipelineMetrics metrics;
  private int running;

  AiCalls(PipelineMetrics metrics) {
    this.metrics = metrics;
  }

  /** Stages submitted and not yet handled. */
  int running() {
    return running;
  }

  /** {@code item}'s stage answered from the cache: it completes at the next drain. */
  void answered(WorkItem item, String cacheKey, StageResult cached) {
    running++;
    metrics.cacheHit();
    completions.add(new Completion(item, cacheKey, true, Outcome.success(cached, Usage.NONE)));
  }

  /** Runs {@code item}'s stage, or waits for the prefetch of the same request if one is running. */
  void submit(WorkItem item, StageCall call) {
    running++;
    CompletableFuture<Outcome<StageResult>> prefetched =
        call.cacheKey() == null ? null : prefetching.get(call.cacheKey());
    if (prefetched != null) {
      // the prefetch's own completion fills the cache
      prefetched.whenComplete(
          (outcome, error) ->
              completions.add(new Completion(item, null, false, of(outcome, error))));
    } else {
      run(call)
          .whenComplete(
              (outcome, error) ->
                  completions.add(
                      new Completion(item, call.cacheKey(), false, of(outcome, error))));
    }
  }

  /**
   * Starts an AI call that a later stage will ask for (see {@link EnrichmentStage#prefetch}),
   * unless it is {@code known} already: an AI request beyond the item's slot, bounded by the AI
   * client's own concurrency limit.
   */
  void prefetch(StageCall call, Predicate<String> known) {
    String key = call.cacheKey();
    if (key == null || prefetching.containsKey(key) || known.test(key)) {
      return;
    }
    CompletableFuture<Outcome<StageResult>> result = run(call).toCompletableFuture();
    prefetching.put(key, result);
    result.whenComplete(
        (outcome, error) -> completions.add(new Completion(null, key, false, of(outcome, error))));
  }

  /** Hands every completion that has arrived to {@code handle}. */
  void drain(Consumer<Completion> handle) {
    Completion done;
    while ((done = completions.poll()) != null) {
      handle.accept(settled(done));
    }
  }

  /**
   * Backpressure: while {@code capacity} stages are running, hands completions to {@code handle} as
   * they come, for at most {@code atMost}. Returns false if no slot freed in that time.
   */
  boolean awaitSlot(int capacity, Duration atMost, Consumer<Completion> handle) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (running >= capacity) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        Completion done = completions.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
        if (done != null) {
          handle.accept(settled(done));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return true;
  }

  /** The sync baseline: hands completions to {@code handle} until no stage is running. */
  void awaitAll(Consumer<Completion> handle) {
    while (running > 0) {
      try {
        handle.accept(settled(completions.take()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StreamsException("interrupted while enriching", e);
      }
    }
  }

  private Completion settled(Completion done) {
    if (done.item() == null) {
      prefetching.remove(done.cacheKey());
    } else {
      running--;
    }
    return done;
  }

  private CompletionStage<Outcome<StageResult>> run(StageCall call) {
    metrics.aiCall();
    try {
      return call.run().get();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(unexpected(e));
    }
  }

  private static Outcome<StageResult> of(Outcome<StageResult> outcome, Throwable error) {
    return error == null ? outcome : unexpected(error);
  }

  private static Outcome<StageResult> unexpected(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return Outcome.transientFailure(
        "unexpected: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
        Duration.ZERO);
  }
}
