package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
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

  private final Settings settings;
  private final Stages stages;
  private final FailureRouter failures;
  private final PipelineMetrics metrics;

  /** This incarnation's AI calls: each {@code init} starts anew (see {@link AiCalls}). */
  private AiCalls calls;

  private ProcessorContext<String, Routed> context;
  private InflightStore inflight;
  private ResultCache cache;
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
    this.calls = new AiCalls(metrics);
    this.traces = new StageTraces();
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
    // completions still arriving are left unread: whoever owns the task next resubmits its items
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
    StageResult cached = call.cacheKey() == null ? null : cache.get(call.cacheKey(), now());
    traces.aiCallStarted(item, cached != null);
    if (cached != null) {
      calls.answered(item, call.cacheKey(), cached);
    } else {
      calls.submit(item, call);
    }
    if (settings.mode() == Mode.SYNC) {
      calls.awaitAll(this::handle);
    } else {
      // not in sync mode, the one-call-at-a-time baseline
      stage.prefetch(item).forEach(later -> calls.prefetch(later, this::isCached));
    }
  }

  private boolean isCached(String key) {
    return cache.get(key, now()) != null;
  }

  /** Forwards every stage finished so far. */
  private void drain() {
    calls.drain(this::handle);
  }

  /**
   * Backpressure: while every slot is taken, handle completions as they come. The wait is bounded
   * so that a stalled AI service cannot hold the task's transaction open until the broker aborts
   * it; past the bound the task goes on one item over capacity, and waits again at the next record.
   */
  private void awaitCapacity() {
    if (!calls.awaitSlot(settings.capacity(), MAX_CAPACITY_WAIT, this::handle)) {
      LOG.warn(
          "{} stages still in flight after waiting {} for a slot; going on over capacity",
          calls.running(),
          MAX_CAPACITY_WAIT);
    }
  }

  private void handle(AiCalls.Completion done) {
    WorkItem item = done.item();
    if (item == null) { // a prefetch: cache what it brought for the item that will ask
      if (done.outcome() instanceof Outcome.Success<StageResult> success) {
        cache(done.cacheKey(), success.result());
      }
      return;
    }
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
