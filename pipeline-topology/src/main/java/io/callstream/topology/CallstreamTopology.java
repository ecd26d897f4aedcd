package io.callstream.topology;

import io.callstream.enrichment.text.Chunker;
import io.callstream.events.AgentTenant;
import io.callstream.events.CallFacts;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.StageResult;
import io.callstream.events.TenantSettings;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.Topic;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.analytics.TenantStatsAggregation;
import io.callstream.topology.callback.CallbackScheduler;
import io.callstream.topology.dedupe.DedupeProcessor;
import io.callstream.topology.enrich.EnrichmentProcessor;
import io.callstream.topology.enrich.FailureRouter;
import io.callstream.topology.enrich.Stages;
import io.callstream.topology.intake.CallFactsProcessor;
import io.callstream.topology.intake.CallView;
import io.callstream.topology.intake.Intake;
import io.callstream.topology.retry.DelayProcessor;
import io.callstream.topology.retry.RetryTier;
import io.callstream.topology.tenant.TenantPolicies;
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
 * The callstream topology, assembled in one place: input events become work items, duplicates fold,
 * recordings are given their call's own facts, tenants resolve against the agent map, the async
 * enrichment processor runs the AI stages (with the retry tiers feeding items back to it), and its
 * outputs go to their topics, with callbacks scheduled and tenant statistics aggregated from the
 * enriched calls.
 */
public final class CallstreamTopology {
  public static final String DEDUPE_STORE = "dedupe-events";
  public static final String CALL_FACTS_STORE = "call-facts";
  public static final String EARLY_RECORDINGS_STORE = "call-early-recordings";
  public static final String INFLIGHT_STORE = "enrichment-inflight";
  public static final String AI_CACHE_STORE = "ai-results";
  public static final String AGENTS_STORE = "tenants-agents";
  public static final String SETTINGS_STORE = "tenants-settings";
  public static final String CALLBACKS_BY_CALL_STORE = "callbacks-by-call";
  public static final String CALLBACKS_BY_DUE_STORE = "callbacks-by-due";

  private CallstreamTopology() {}

  public static void build(
      StreamsBuilder builder, TopologyConfig config, TopologyServices services) {
    SchemaRegistry registry = services.registry();
    PipelineMetrics metrics = services.metrics();
    Serde<String> keys = Serdes.String();
    // the values of the retry tiers and the dead-letter topic, and of the in-flight store
    Serde<WorkItem> items = TopicCatalog.CALLS_DLT.valueSerde(registry);

    // 1. Input events become work items; a provider's retried webhook folds into one.
    builder.addStateStore(DedupeProcessor.store(DEDUPE_STORE, config.dedupeTtl()));
    KStream<String, WorkItem> calls =
        builder.stream(Topics.CALLS_ENDED, consumed(TopicCatalog.CALLS_ENDED, registry))
            .processValues(() -> Intake.calls(metrics));
    KStream<String, WorkItem> recordings =
        builder.stream(
                Topics.RECORDINGS_UPLOADED, consumed(TopicCatalog.RECORDINGS_UPLOADED, registry))
            .processValues(() -> Intake.recordings(metrics));
    KStream<String, WorkItem> accepted =
        calls
            .merge(recordings)
            .process(
                () ->
                    new DedupeProcessor<>(
                        DEDUPE_STORE, config.dedupeTtl(), Intake::dedupeId, metrics::duplicate),
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
                      () ->
                          new DelayProcessor(
                              store, tier.topic(), tier.delay(), config.retryCheckEvery()),
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
            TopicCatalog.RECORDINGS_UPLOADED.valueSerde(registry)));
    work =
        work.processValues(
            () -> new CallFactsProcessor(CALL_FACTS_STORE, EARLY_RECORDINGS_STORE, factsRetention),
            CALL_FACTS_STORE,
            EARLY_RECORDINGS_STORE);

    // 4. Every item gets its tenant and time zone from the agent map.
    GlobalKTable<String, AgentTenant> agents =
        builder.globalTable(
            Topics.TENANTS_AGENTS,
            consumed(TopicCatalog.TENANTS_AGENTS, registry),
            Materialized.as(AGENTS_STORE));
    TenantResolution tenants = new TenantResolution(services.clock());
    KStream<String, WorkItem> routed =
        work.leftJoin(agents, (callId, item) -> CallView.agentOf(item), tenants::resolve);

    // ... and the tenant's settings (redaction, language, analysis plan), which travel with it.
    GlobalKTable<String, TenantSettings> settingsTable =
        builder.globalTable(
            Topics.TENANTS_SETTINGS,
            consumed(TopicCatalog.TENANTS_SETTINGS, registry),
            Materialized.as(SETTINGS_STORE));
    routed =
        routed.leftJoin(
            settingsTable,
            (callId, item) -> TenantPolicies.settingsKey(item),
            TenantPolicies::withSettings);

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
    Stages stages =
        new Stages(
            services.ai(),
            new Chunker(config.chunkTokens(), config.chunkOverlapTokens()),
            new TenantPolicies(config::redacts),
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
    Serde<Callback> callbacks = TopicCatalog.CALLBACKS_SCHEDULED.valueSerde(registry);
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
        TopicCatalog.CALLS_ENRICHED.valueSerde(registry),
        TopicCatalog.TENANT_STATS.valueSerde(registry),
        services.clock());
  }

  private static <V> Consumed<String, V> consumed(Topic<V> topic, SchemaRegistry registry) {
    return Consumed.with(topic.keySerde(), topic.valueSerde(registry));
  }
}
