package io.callstream.topology;

import io.callstream.enrichment.text.Chunker;
import io.callstream.events.AgentTenant;
import io.callstream.events.CallEnded;
import io.callstream.events.CallFacts;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.StageResult;
import io.callstream.events.TenantStats;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.analytics.TenantStatsAggregation;
import io.callstream.topology.callback.CallbackScheduler;
import io.callstream.topology.dedupe.DedupeProcessor;
import io.callstream.topology.enrich.EnrichmentProcessor;
import io.callstream.topology.enrich.FailureRouter;
import io.callstream.topology.enrich.StageRunner;
import io.callstream.topology.retry.DelayProcessor;
import io.callstream.topology.retry.RetryTier;
import io.callstream.topology.source.CallFactsProcessor;
import io.callstream.topology.source.SourceEvents;
import io.callstream.topology.tenant.TenantResolution;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The callstream topology, assembled in one place: source events become work items, duplicates
 * fold, recordings are given their call's own facts, tenants resolve against the agent map, the
 * async enrichment processor runs the AI stages (with the retry tiers feeding items back to it),
 * and its outputs go to their topics, with callbacks scheduled and tenant statistics aggregated
 * from the enriched calls.
 */
public final class CallstreamTopology {
  public static final String DEDUPE_STORE = "dedupe-events";
  public static final String CALL_FACTS_STORE = "call-facts";
  public static final String EARLY_RECORDINGS_STORE = "call-early-recordings";
  public static final String INFLIGHT_STORE = "enrichment-inflight";
  public static final String AI_CACHE_STORE = "ai-results";
  public static final String AGENTS_STORE = "tenants-agents";
  public static final String CALLBACKS_BY_CALL_STORE = "callbacks-by-call";
  public static final String CALLBACKS_BY_DUE_STORE = "callbacks-by-due";

  private CallstreamTopology() {}

  public static void build(
      StreamsBuilder builder, TopologyConfig config, TopologyServices services) {
    SchemaRegistry registry = services.registry();
    PipelineMetrics metrics = services.metrics();
    Serde<String> keys = Serdes.String();
    Serde<WorkItem> items = AvroSerde.forValues(WorkItem.class, registry);

    // 1. Source events become work items; a provider's retried webhook folds into one.
    builder.addStateStore(DedupeProcessor.store(DEDUPE_STORE, config.dedupeTtl()));
    KStream<String, WorkItem> calls =
        builder.stream(
                Topics.CALLS_ENDED,
                Consumed.with(keys, AvroSerde.forValues(CallEnded.class, registry)))
            .processValues(() -> SourceEvents.calls(metrics));
    KStream<String, WorkItem> recordings =
        builder.stream(
                Topics.RECORDINGS_UPLOADED,
                Consumed.with(keys, AvroSerde.forValues(RecordingUploaded.class, registry)))
            .processValues(() -> SourceEvents.recordings(metrics));
    KStream<String, WorkItem> accepted =
        calls
            .merge(recordings)
            .process(
                () ->
                    new DedupeProcessor<>(
                        DEDUPE_STORE,
                        config.dedupeTtl(),
                        SourceEvents::dedupeId,
                        metrics::duplicate),
                DEDUPE_STORE);

    // 2. Items come back from the retry tiers when their delay is over.
    KStream<String, WorkItem> work = accepted;
    for (RetryTier tier : config.retry().tiers()) {
      String store = "retry-" + tier.topic();
      builder.addStateStore(DelayProcessor.store(store, items));
      work =
          work.merge(
              builder.stream(tier.topic(), Consumed.with(keys, items))
                  .process(
                      () -> new DelayProcessor(store, tier.delay(), config.retryCheckEvery()),
                      store));
    }

    // 3. A call's own facts are kept for its recordings, whose events do not carry them, and a
    // recording that came first is kept for its call.
    Duration factsRetention = config.callFactsRetention();
    builder.addStateStore(
        CallFactsProcessor.store(
            CALL_FACTS_STORE, factsRetention, AvroSerde.forValues(CallFacts.class, registry)));
    builder.addStateStore(
        CallFactsProcessor.store(
            EARLY_RECORDINGS_STORE,
            factsRetention,
            AvroSerde.forValues(RecordingUploaded.class, registry)));
    work =
        work.processValues(
            () -> new CallFactsProcessor(CALL_FACTS_STORE, EARLY_RECORDINGS_STORE, factsRetention),
            CALL_FACTS_STORE,
            EARLY_RECORDINGS_STORE);

    // 4. Every item gets its tenant and time zone from the agent map.
    GlobalKTable<String, AgentTenant> agents =
        builder.globalTable(
            Topics.TENANTS_AGENTS,
            Consumed.with(keys, AvroSerde.forValues(AgentTenant.class, registry)),
            Materialized.as(AGENTS_STORE));
    TenantResolution tenants = new TenantResolution(services.clock());
    KStream<String, WorkItem> routed =
        work.leftJoin(agents, (callId, item) -> TenantResolution.agentOf(item), tenants::resolve);

    // 5. The async enrichment processor: stages, outputs, retry tiers, dead letters.
    builder.addStateStore(
        EnrichmentProcessor.inflightStore(INFLIGHT_STORE, items, services.maxRecordBytes()));
    builder.addStateStore(
        EnrichmentProcessor.resultCacheStore(
            AI_CACHE_STORE,
            config.cacheMaxAge(),
            AvroSerde.forValues(StageResult.class, registry),
            services.maxRecordBytes()));
    EnrichmentProcessor.Settings settings =
        new EnrichmentProcessor.Settings(
            config.mode(),
            config.capacity(),
            config.drainEvery(),
            INFLIGHT_STORE,
            AI_CACHE_STORE,
            config.cacheMaxAge());
    StageRunner stages =
        new StageRunner(
            services.ai(),
            new Chunker(config.chunkTokens(), config.chunkOverlapTokens()),
            config::redacts,
            services.clock());
    FailureRouter failures = new FailureRouter(config.retry());
    KStream<String, Routed> outputs =
        routed.process(
            () -> new EnrichmentProcessor(settings, stages, failures, metrics),
            INFLIGHT_STORE,
            AI_CACHE_STORE);

    // 6. Callbacks: scheduled when found, sent when due.
    KStream<String, EnrichedCall> enriched =
        outputs
            .filter((callId, out) -> out.value() instanceof EnrichedCall)
            .mapValues(out -> (EnrichedCall) out.value());
    Serde<Callback> callbacks = AvroSerde.forValues(Callback.class, registry);
    builder.addStateStore(CallbackScheduler.byCallStore(CALLBACKS_BY_CALL_STORE, callbacks));
    builder.addStateStore(CallbackScheduler.byDueStore(CALLBACKS_BY_DUE_STORE, callbacks));
    KStream<String, Routed> scheduled =
        enriched.process(
            () ->
                new CallbackScheduler(
                    CALLBACKS_BY_CALL_STORE, CALLBACKS_BY_DUE_STORE, config.callbackCheckEvery()),
            CALLBACKS_BY_CALL_STORE,
            CALLBACKS_BY_DUE_STORE);

    outputs
        .merge(scheduled)
        .to((callId, out, context) -> out.topic(), Produced.with(keys, new RoutedSerde(registry)));

    // 7. Analytics per tenant and hour.
    TenantStatsAggregation.build(
        builder,
        AvroSerde.forValues(EnrichedCall.class, registry),
        AvroSerde.forValues(TenantStats.class, registry),
        services.clock());
  }
}
