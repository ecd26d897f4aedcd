package io.callstream.topology;

import io.callstream.config.EnvironmentReader;
import io.callstream.schemas.topics.SizeLimits;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.enrich.EnrichmentProcessor.Mode;
import io.callstream.topology.errors.UnwritableRecords;
import io.callstream.topology.retry.RetryPolicy;
import io.callstream.topology.retry.RetryTier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.processor.assignment.assignors.StickyTaskAssignor;

/**
 * The topology's configuration, read from the environment and checked at start.
 *
 * @param applicationId {@code CALLSTREAM_APPLICATION_ID}, default callstream-topology
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, required
 * @param schemaRegistryUrl {@code SCHEMA_REGISTRY_URL}, required
 * @param stateDir {@code CALLSTREAM_STATE_DIR}, default .callstream/streams
 * @param processingGuarantee {@code CALLSTREAM_PROCESSING_GUARANTEE}: exactly_once_v2 (default) or
 *     at_least_once
 * @param streamThreads {@code CALLSTREAM_STREAM_THREADS}, default 6, one per call partition: a task
 *     waiting at capacity holds up only its own thread
 * @param mode {@code CALLSTREAM_ENRICHMENT_MODE}: async (default), or sync, the benchmark baseline
 * @param capacity {@code CALLSTREAM_CAPACITY}: stages in flight per task, default 64
 * @param drainEvery {@code CALLSTREAM_DRAIN_INTERVAL}: how often finished stages are forwarded when
 *     no record arrives, default 20ms
 * @param dedupeTtl {@code CALLSTREAM_DEDUPE_TTL}: how long an event id is remembered, default 7d
 * @param callFactsRetention {@code CALLSTREAM_CALL_FACTS_RETENTION}: how long a call's own facts
 *     (agent, direction, parties, times) are kept for its recordings, and a recording that came
 *     first for its call, default 7d
 * @param cacheMaxAge {@code CALLSTREAM_AI_CACHE_MAX_AGE}: how long an AI result is reused, default
 *     30d
 * @param retry {@code CALLSTREAM_RETRY_DELAYS} (the delays of the 30s, 5m and 1h tiers, default
 *     30s,5m,1h) and {@code CALLSTREAM_MAX_ATTEMPTS} (default 5)
 * @param retryCheckEvery {@code CALLSTREAM_RETRY_CHECK_INTERVAL}: how often the tiers release due
 *     items, default 1s
 * @param callbackCheckEvery {@code CALLSTREAM_CALLBACK_CHECK_INTERVAL}: how often due callbacks
 *     fire, default 1s
 * @param piiRedactedTenants {@code CALLSTREAM_PII_REDACT_TENANTS}: tenants whose calls are redacted
 *     before any AI call, comma-separated ({@code *} for all)
 * @param chunkTokens {@code CALLSTREAM_CHUNK_TOKENS}: target chunk size, default 160
 * @param chunkOverlapTokens {@code CALLSTREAM_CHUNK_OVERLAP_TOKENS}, default 24
 * @param sessionTimeout {@code CALLSTREAM_SESSION_TIMEOUT}: how long an instance that stopped
 *     answering (killed, cut off) keeps its tasks before the others take them, default 6s, the
 *     shortest a broker allows unless its {@code group.min.session.timeout.ms} is lowered
 *     (heartbeats every twelfth of it, so a rebalance is noticed within half a second)
 * @param commitInterval {@code CALLSTREAM_COMMIT_INTERVAL}: how often each stream thread commits
 *     its transaction, default 100ms (Kafka Streams' own under exactly-once); longer means fewer
 *     transactions for the brokers, and results that become visible that much later
 * @param standbyReplicas {@code CALLSTREAM_STANDBY_REPLICAS}: warm copies of each task's state on
 *     other instances, so a failed instance's tasks restore fast, default 1
 * @param instanceId {@code CALLSTREAM_INSTANCE_ID}: a stable name for this instance (static group
 *     membership), so a restarted instance takes its tasks straight back without a rebalance; unset
 *     by default
 * @param lagGroups {@code CALLSTREAM_LAG_GROUPS}: consumer groups besides the topology's own whose
 *     lag {@code /metrics} reports, comma-separated, default the two sink connectors' ({@code
 *     connect-callstream-postgres,connect-callstream-pgvector})
 * @param httpHost {@code CALLSTREAM_TOPOLOGY_HOST}: where health and metrics listen, default
 *     0.0.0.0
 * @param httpPort {@code CALLSTREAM_TOPOLOGY_PORT}: their port, default 8081 (0 picks a free one)
 */
public record TopologyConfig(
    String applicationId,
    String bootstrapServers,
    String schemaRegistryUrl,
    Path stateDir,
    String processingGuarantee,
    int streamThreads,
    Mode mode,
    int capacity,
    Duration drainEvery,
    Duration dedupeTtl,
    Duration callFactsRetention,
    Duration cacheMaxAge,
    RetryPolicy retry,
    Duration retryCheckEvery,
    Duration callbackCheckEvery,
    Set<String> piiRedactedTenants,
    int chunkTokens,
    int chunkOverlapTokens,
    Duration sessionTimeout,
    Duration commitInterval,
    int standbyReplicas,
    String instanceId,
    List<String> lagGroups,
    String httpHost,
    int httpPort) {

  private static final List<String> TIER_TOPICS =
      List.of(Topics.CALLS_RETRY_30S, Topics.CALLS_RETRY_5M, Topics.CALLS_RETRY_1H);

  public static TopologyConfig fromEnv(Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    EnvironmentReader read = new EnvironmentReader(env, problems);
    List<String> delays = read.list("CALLSTREAM_RETRY_DELAYS");
    List<RetryTier> tiers = new ArrayList<>();
    for (int i = 0; i < TIER_TOPICS.size(); i++) {
      Duration fallback = RetryPolicy.defaults().tiers().get(i).delay();
      Duration delay = fallback;
      if (delays.size() > i) {
        try {
          delay = EnvironmentReader.parseDuration(delays.get(i));
        } catch (IllegalArgumentException e) {
          problems.add("CALLSTREAM_RETRY_DELAYS has '" + delays.get(i) + "', not a duration");
        }
      }
      tiers.add(new RetryTier(TIER_TOPICS.get(i), delay));
    }
    if (delays.size() > TIER_TOPICS.size()) {
      problems.add("CALLSTREAM_RETRY_DELAYS names more than the three retry tiers");
    }
    TopologyConfig config =
        new TopologyConfig(
            read.text("CALLSTREAM_APPLICATION_ID", "callstream-topology"),
            read.required("KAFKA_BOOTSTRAP_SERVERS"),
            read.url("SCHEMA_REGISTRY_URL", true),
            Path.of(read.text("CALLSTREAM_STATE_DIR", ".callstream/streams")),
            read.oneOf(
                "CALLSTREAM_PROCESSING_GUARANTEE",
                StreamsConfig.EXACTLY_ONCE_V2,
                List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)),
            (int) read.number("CALLSTREAM_STREAM_THREADS", TopicCatalog.CALL_PARTITIONS, 1, 256),
            Mode.valueOf(
                read.oneOf("CALLSTREAM_ENRICHMENT_MODE", "async", List.of("async", "sync"))
                    .toUpperCase(Locale.ROOT)),
            (int) read.number("CALLSTREAM_CAPACITY", 64, 1, 100_000),
            read.duration("CALLSTREAM_DRAIN_INTERVAL", Duration.ofMillis(20)),
            read.duration("CALLSTREAM_DEDUPE_TTL", Duration.ofDays(7)),
            read.duration("CALLSTREAM_CALL_FACTS_RETENTION", Duration.ofDays(7)),
            read.duration("CALLSTREAM_AI_CACHE_MAX_AGE", Duration.ofDays(30)),
            new RetryPolicy(tiers, (int) read.number("CALLSTREAM_MAX_ATTEMPTS", 5, 1, 100)),
            read.duration("CALLSTREAM_RETRY_CHECK_INTERVAL", Duration.ofSeconds(1)),
            read.duration("CALLSTREAM_CALLBACK_CHECK_INTERVAL", Duration.ofSeconds(1)),
            Set.copyOf(read.list("CALLSTREAM_PII_REDACT_TENANTS")),
            (int) read.number("CALLSTREAM_CHUNK_TOKENS", 160, 16, 8_000),
            (int) read.number("CALLSTREAM_CHUNK_OVERLAP_TOKENS", 24, 0, 4_000),
            read.duration("CALLSTREAM_SESSION_TIMEOUT", Duration.ofSeconds(6)),
            read.duration("CALLSTREAM_COMMIT_INTERVAL", Duration.ofMillis(100)),
            (int) read.number("CALLSTREAM_STANDBY_REPLICAS", 1, 0, 5),
            read.text("CALLSTREAM_INSTANCE_ID", null),
            Arrays.stream(
                    read.text(
                            "CALLSTREAM_LAG_GROUPS",
                            "connect-callstream-postgres,connect-callstream-pgvector")
                        .split(","))
                .map(String::trim)
                .filter(group -> !group.isEmpty())
                .toList(),
            read.text("CALLSTREAM_TOPOLOGY_HOST", "0.0.0.0"),
            (int) read.number("CALLSTREAM_TOPOLOGY_PORT", 8081, 0, 65_535));
    read.check("the topology");
    return config;
  }

  public boolean redacts(String tenantId) {
    return piiRedactedTenants.contains("*") || piiRedactedTenants.contains(tenantId);
  }

  /** The Kafka Streams properties of this configuration. */
  public Properties streamsProperties() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
    // Undecodable records go to Kafka Streams' own dead-letter queue and processing goes on.
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TOPOLOGY_DLQ);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        LogAndContinueExceptionHandler.class);
    // A record that cannot be written or processed is skipped with a note, never killing a thread.
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, UnwritableRecords.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, UnwritableRecords.class);
    // Every record up to callstream's limit fits the producers, the changelogs and the
    // repartitions.
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        SizeLimits.MAX_RECORD_BYTES);
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG),
        SizeLimits.PRODUCER_BUFFER_BYTES);
    props.put(
        StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
        Integer.toString(SizeLimits.MAX_RECORD_BYTES));
    props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 500);
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        (int) sessionTimeout.toMillis());
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        (int) Math.max(250, sessionTimeout.toMillis() / 12));
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
    // Tasks stay where they run. Kafka Streams' default assignor spreads tasks afresh at every
    // rebalance and moves any whose new owner holds a standby, so when an instance left, the others
    // also traded tasks among themselves, which cost a second round of revoking and assigning
    // before its tasks ran again. The sticky one only hands out the tasks that lost their owner
    // (to their standby's instance where that has room), in one round.
    props.put(StreamsConfig.TASK_ASSIGNOR_CLASS_CONFIG, StickyTaskAssignor.class.getName());
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
    if (instanceId != null) {
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
    }
    return props;
  }
}
