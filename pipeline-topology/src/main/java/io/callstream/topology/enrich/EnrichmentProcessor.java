package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.PipelineMetrics;
import io.callstream.topology.Routed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enriches work items through the AI stages without ever waiting on an AI call on the stream thread
 * (unless in {@link Mode#SYNC}, the baseline). {@code process} queues an item behind its call's
 * earlier items in the changelogged inflight store and submits its stage; completions land on a
 * queue that only the stream thread drains (in {@code process} and in a short wall-clock
 * punctuator), which forwards each stage's outputs, moves the item to its next stage, and hands
 * failures to the {@link FailureRouter}. At capacity, {@code process} drains completions until a
 * slot frees. On {@code init}, every item left in flight by a crash or rebalance is submitted
 * again.
 */
public final class EnrichmentProcessor implements Processor<String, WorkItem, String, Routed> {
  private static final Logger LOG = LoggerFactory.getLogger(EnrichmentProcessor.class);
  private static final Duration MAX_CAPACITY_WAIT = Duration.ofSeconds(2);

  /** How stages run: submitted and completed later, or (the baseline only) inline. */
  public enum Mode {
    ASYNC,
    SYNC
  }

  /**
   * @param capacity stages in flight at once in one task
   * @param drainEvery how often the punctuator forwards finished stages when no record arrives
   * @param cacheMaxAge how long an AI result may be reused
   */
  public record Settings(
      Mode mode,
      int capacity,
      Duration drainEvery,
      String inflightStore,
      String cacheStore,
      Duration cacheMaxAge) {}

  /**
   * The store of items in flight, one queue per call. An item over {@code maxRecordBytes} is
   * refused before it is written, and its call dead-lettered, since its changelog record could
   * never be.
   */
  public static StoreBuilder<KeyValueStore<Bytes, WorkItem>> inflightStore(
      String name, Serde<WorkItem> items, int maxRecordBytes) {
    return InflightStore.builder(name, OversizedRecord.limiting(items, maxRecordBytes));
  }

  /** The store of the AI result cache; a result over {@code maxRecordBytes} is not cached. */
  public static StoreBuilder<WindowStore<String, StageResult>> resultCacheStore(
      String name, Duration maxAge, Serde<StageResult> results, int maxRecordBytes) {
    return ResultCache.builder(name, maxAge, OversizedRecord.limiting(results, maxRecordBytes));
  }

  /** A finished stage of {@code item}, or (item null) a finished embedding prefetch. */
  private record Completion(
      WorkItem item, String cacheKey, boolean cached, Outcome<StageResult> outcome) {}

  private final Settings settings;
  private final Stages stages;
  private final FailureRouter failures;
  private final PipelineMetrics metrics;

  /**
   * Where this incarnation's AI calls report. Kafka Streams closes a task's processors when the
   * task is suspended or its standby is promoted and then initialises the same instances again, so
   * each {@code init} starts a new queue: a call of an earlier incarnation reports to a queue
   * nobody reads, while the new incarnation resubmits what was in flight.
   */
  private BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

  private final Map<String, CompletableFuture<Outcome<StageResult>>> prefetching = new HashMap<>();
  private ProcessorContext<String, Routed> context;
  private InflightStore inflight;
  private ResultCache cache;
  private int running;
  private StageTraces traces = new StageTraces();

  public EnrichmentProcessor(
      Settings settings, Stages stages, FailureRouter failures, PipelineMetrics metrics) {
    this.settings = settings;
    this.stages = stages;
    this.failures = failures;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.completions = new LinkedBlockingQueue<>();
    this.traces = new StageTraces();
    this.running = 0;
    this.prefetching.clear();
    this.inflight = new InflightStore(context.getStateStore(settings.inflightStore()));
    this.cache =
        new ResultCache(context.getStateStore(settings.cacheStore()), settings.cacheMaxAge());
    context.schedule(settings.drainEvery(), PunctuationType.WALL_CLOCK_TIME, now -> drain());
    for (WorkItem head : inflight.heads()) {
      if (head.getDueAt() == null) {
        start(head); // was running when the last owner stopped: run it again
      }
    }
  }

  @Override
  public void process(Record<String, WorkItem> record) {
    WorkItem item = record.value();
    if (item.getDeadLetterReason() != null) {
      deadLetter(item); // marked before enrichment (an unknown agent)
    } else if (item.getDueAt() != null && isParkedHead(item)) {
      WorkItem resumed = WorkItem.newBuilder(item).setDueAt(null).build();
      inflight.updateHead(resumed);
      Header tier = record.headers().lastHeader(EventHeaders.RETRY_TIER);
      start(resumed, tier == null ? null : new String(tier.value(), StandardCharsets.UTF_8));
    } else {
      // a new event, or an item redriven from the dead-letter topic
      WorkItem fresh =
          item.getDueAt() == null ? item : WorkItem.newBuilder(item).setDueAt(null).build();
      boolean head;
      try {
        head = inflight.enqueue(fresh);
      } catch (OversizedRecord e) {
        deadLetter(
            failures.tooLarge(
                FailureRouter.lean(fresh),
                e,
                Instant.ofEpochMilli(now()))); // never stored: nothing in flight to clear
        return;
      }
      if (head) {
        start(fresh);
      }
    }
    awaitCapacity();
    drain();
  }

  @Override
  public void close() {
    // completions still arriving belong to whoever owns the task next: init starts a new queue
    completions = new LinkedBlockingQueue<>();
    traces.closeAll();
  }

  /** True when {@code item}, back from a retry tier, is the parked head of its call. */
  private boolean isParkedHead(WorkItem item) {
    WorkItem head = inflight.head(item.getCallId());
    return head != null
        && head.getDueAt() != null
        && head.getEventId().equals(item.getEventId())
        && head.getStage() == item.getStage();
  }

  private void start(WorkItem item) {
    start(item, null);
  }

  /** Runs {@code item}'s stage; {@code retryTier} is the retry topic it came back from, or null. */
  private void start(WorkItem item, String retryTier) {
    EnrichmentStage stage = stages.of(item.getStage());
    StageCall call = stage.call(item);
    traces.stageStarted(item, retryTier);
    if (call == null) { // a stage without AI runs at once
      advance(stage.write(item, null, false));
      return;
    }
    running++;
    StageResult cached = call.cacheKey() == null ? null : cache.get(call.cacheKey(), now());
    CompletableFuture<Outcome<StageResult>> prefetched =
        call.cacheKey() == null ? null : prefetching.get(call.cacheKey());
    traces.aiCallStarted(item, cached != null);
    if (cached != null) {
      metrics.cacheHit();
      completions.add(
          new Completion(item, call.cacheKey(), true, Outcome.success(cached, Usage.NONE)));
    } else if (prefetched != null) {
      // the prefetch's own completion fills the cache
      WorkItem waiting = item;
      BlockingQueue<Completion> to = completions;
      prefetched.whenComplete(
          (outcome, error) ->
              to.add(new Completion(waiting, null, false, outcome(outcome, error))));
    } else {
      submit(item, call);
    }
    if (settings.mode() == Mode.SYNC) {
      while (running > 0) {
        handle(take());
      }
    } else {
      stage.prefetch(item).forEach(this::prefetch);
    }
  }

  private void submit(WorkItem item, StageCall call) {
    BlockingQueue<Completion> to = completions;
    run(call)
        .whenComplete(
            (outcome, error) ->
                to.add(new Completion(item, call.cacheKey(), false, outcome(outcome, error))));
  }

  /**
   * Starts an AI call that a later stage will ask for (see {@link EnrichmentStage#prefetch}): an AI
   * request beyond the item's slot, bounded by the AI client's own concurrency limit. Not in sync
   * mode, the one-call-at-a-time baseline.
   */
  private void prefetch(StageCall call) {
    String key = call.cacheKey();
    if (key == null || prefetching.containsKey(key) || cache.get(key, now()) != null) {
      return;
    }
    CompletableFuture<Outcome<StageResult>> result = run(call).toCompletableFuture();
    prefetching.put(key, result);
    BlockingQueue<Completion> to = completions;
    result.whenComplete(
        (outcome, error) -> to.add(new Completion(null, key, false, outcome(outcome, error))));
  }

  private CompletionStage<Outcome<StageResult>> run(StageCall call) {
    metrics.aiCall();
    try {
      return call.run().get();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(unexpected(e));
    }
  }

  private static Outcome<StageResult> outcome(Outcome<StageResult> outcome, Throwable error) {
    return error == null ? outcome : unexpected(error);
  }

  private static Outcome<StageResult> unexpected(Throwable error) {
    Throwable cause =
        error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause()
            : error;
    return Outcome.transientFailure(
        "unexpected: " + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
        Duration.ZERO);
  }

  /** Forwards every stage finished so far. */
  private void drain() {
    Completion done;
    while ((done = completions.poll()) != null) {
      handle(done);
    }
  }

  /**
   * Backpressure: while every slot is taken, handle completions as they come. The wait is bounded
   * so that a stalled AI service cannot hold the task's transaction open until the broker aborts
   * it; past the bound the task goes on one item over capacity, and waits again at the next record.
   */
  private void awaitCapacity() {
    long deadline = System.nanoTime() + MAX_CAPACITY_WAIT.toNanos();
    while (running >= settings.capacity()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        LOG.warn(
            "{} stages still in flight after waiting {} for a slot; going on over capacity",
            running,
            MAX_CAPACITY_WAIT);
        return;
      }
      try {
        Completion done = completions.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
        if (done != null) {
          handle(done);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Completion take() {
    try {
      return completions.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.streams.errors.StreamsException("interrupted while enriching", e);
    }
  }

  private void handle(Completion done) {
    WorkItem item = done.item();
    if (item == null) { // a prefetch: cache what it brought for the item that will ask
      prefetching.remove(done.cacheKey());
      if (done.outcome() instanceof Outcome.Success<StageResult> success) {
        cache(done.cacheKey(), success.result());
      }
      return;
    }
    running--;
    traces.aiCallDone(item, done.outcome());
    switch (done.outcome()) {
      case Outcome.Success<StageResult> success -> {
        if (!done.cached() && done.cacheKey() != null) {
          cache(done.cacheKey(), success.result());
        }
        advance(stages.of(item.getStage()).write(item, success.result(), done.cached()));
      }
      case Outcome.Transient<StageResult> t -> fail(item, t);
      case Outcome.Permanent<StageResult> p -> fail(item, p);
    }
  }

  /**
   * Moves the item on and emits what the finished stage produced. The item is kept for its next
   * stage first, so an item grown too large to keep is dead-lettered before any of its outputs are
   * written: a stage's results are written whole or not at all.
   */
  private void advance(WorkItem item) {
    EnrichmentStage stage = stages.of(item.getStage());
    Stage next = stage.next();
    WorkItem moved = null;
    WorkItem following = null;
    String traceparent = traces.stageDone(item.getCallId(), null);
    if (next == Stage.DONE) {
      following = inflight.finishHead(item.getCallId());
    } else {
      moved = WorkItem.newBuilder(item).setStage(next).setAttempt(0).build();
      if (!keep(moved)) {
        return;
      }
    }
    long at = item.getAcceptedAt().toEpochMilli();
    stage.outputs(item).forEach(output -> forward(output, item, at, traceparent));
    if (moved == null) {
      metrics.completed();
      startNext(following);
    } else {
      start(moved);
    }
  }

  /**
   * Replaces the head of the item's call with {@code item}. An item too large for a Kafka record
   * cannot be kept (its changelog record would never be written): its call is dead-lettered as it
   * last stood, with the reason, and the call's next item starts.
   */
  private boolean keep(WorkItem item) {
    try {
      inflight.updateHead(item);
      return true;
    } catch (OversizedRecord e) {
      // as it last stood: at the stage whose output could not be kept, which a redrive runs again
      deadLetter(
          failures.tooLarge(inflight.head(item.getCallId()), e, Instant.ofEpochMilli(now())));
      startNext(inflight.finishHead(item.getCallId()));
      return false;
    }
  }

  /** Caches a result for later replays, unless it is too large for a Kafka record. */
  private void cache(String key, StageResult result) {
    try {
      cache.put(key, result, now());
    } catch (OversizedRecord e) {
      LOG.warn("an AI result is not cached: {}", e.getMessage());
    }
  }

  private void fail(WorkItem item, Outcome<StageResult> failure) {
    LOG.warn("call {} failed at {}: {}", item.getCallId(), item.getStage(), failure);
    switch (failures.route(item, failure, Instant.ofEpochMilli(now()))) {
      case FailureRouter.Route.Retry retry -> {
        traces.retried(item.getCallId(), retry.tier().topic());
        traces.stageDone(item.getCallId(), failure.toString());
        if (keep(retry.item())) { // parked: later events of the call keep waiting
          metrics.retried(retry.tier().topic());
          forward(Routed.to(retry.tier().topic(), retry.item()), retry.item(), now(), null);
        }
      }
      case FailureRouter.Route.DeadLetter dead -> {
        traces.stageDone(item.getCallId(), failure.toString());
        deadLetter(dead.item());
        startNext(inflight.finishHead(item.getCallId()));
      }
    }
  }

  private void deadLetter(WorkItem item) {
    metrics.deadLettered(item.getDeadLetterReason());
    context.forward(
        new Record<>(
            item.getCallId().toString(),
            Routed.to(Topics.CALLS_DLT, item),
            now(),
            FailureRouter.deadLetterHeaders(item)));
  }

  private void startNext(WorkItem next) {
    if (next != null) {
      start(next);
    }
  }

  /** Forwards an output, carrying {@code traceparent} (its stage's span) when tracing is on. */
  private void forward(Routed routed, WorkItem item, long timestamp, String traceparent) {
    RecordHeaders headers = new RecordHeaders();
    if (traceparent != null) {
      headers.add(EventHeaders.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
    }
    context.forward(new Record<>(item.getCallId().toString(), routed, timestamp, headers));
  }

  private long now() {
    return context.currentSystemTimeMs();
  }
}
