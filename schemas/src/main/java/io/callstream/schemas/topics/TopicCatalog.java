package io.callstream.schemas.topics;

import static io.callstream.schemas.topics.KeyFormat.AGENT_ID;
import static io.callstream.schemas.topics.KeyFormat.AS_RECEIVED;
import static io.callstream.schemas.topics.KeyFormat.CALL_ID;
import static io.callstream.schemas.topics.KeyFormat.DEAD_LETTER_ID;
import static io.callstream.schemas.topics.KeyFormat.TENANT_HOUR;
import static io.callstream.schemas.topics.KeyFormat.TENANT_ID;
import static io.callstream.schemas.topics.TopicSpec.Cleanup.COMPACT;
import static io.callstream.schemas.topics.TopicSpec.Cleanup.COMPACT_DELETE;
import static io.callstream.schemas.topics.TopicSpec.Cleanup.DELETE;

import io.callstream.events.AgentTenant;
import io.callstream.events.CallChunk;
import io.callstream.events.CallDocument;
import io.callstream.events.CallEnded;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.TenantSettings;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.WorkItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Every topic callstream owns, with its layout, and the one way to create them: idempotently, then
 * waiting until every partition has a leader that answers offset look-ups, so the first producer
 * never writes into a partition that is not ready yet.
 */
public final class TopicCatalog {

  /** Partitions of every topic keyed by call id; they must all match for per-call order. */
  public static final int CALL_PARTITIONS = 6;

  private static final Duration YEAR = Duration.ofDays(365);
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration MONTH = Duration.ofDays(30);

  public static final Topic<CallEnded> CALLS_ENDED =
      byCall(Topics.CALLS_ENDED, CallEnded.class, DELETE, YEAR);
  public static final Topic<RecordingUploaded> RECORDINGS_UPLOADED =
      byCall(Topics.RECORDINGS_UPLOADED, RecordingUploaded.class, DELETE, YEAR);
  public static final Topic<AgentTenant> TENANTS_AGENTS =
      new Topic<>(
          new TopicSpec(Topics.TENANTS_AGENTS, 1, COMPACT, null), AGENT_ID, AgentTenant.class);
  public static final Topic<TenantSettings> TENANTS_SETTINGS =
      new Topic<>(
          new TopicSpec(Topics.TENANTS_SETTINGS, 1, COMPACT, null),
          TENANT_ID,
          TenantSettings.class);
  public static final Topic<Transcript> CALLS_TRANSCRIBED =
      byCall(Topics.CALLS_TRANSCRIBED, Transcript.class, DELETE, MONTH);
  public static final Topic<EnrichedCall> CALLS_ENRICHED =
      byCall(Topics.CALLS_ENRICHED, EnrichedCall.class, COMPACT_DELETE, YEAR);
  public static final Topic<CallChunk> CALLS_CHUNKS =
      byCall(Topics.CALLS_CHUNKS, CallChunk.class, DELETE, MONTH);
  public static final Topic<CallDocument> DOCUMENTS_GENERATED =
      byCall(Topics.DOCUMENTS_GENERATED, CallDocument.class, COMPACT_DELETE, YEAR);
  public static final Topic<Callback> CALLBACKS_SCHEDULED =
      byCall(Topics.CALLBACKS_SCHEDULED, Callback.class, DELETE, MONTH);
  public static final Topic<Callback> CALLBACKS_DUE =
      byCall(Topics.CALLBACKS_DUE, Callback.class, DELETE, MONTH);
  public static final Topic<WorkItem> CALLS_RETRY_30S =
      byCall(Topics.CALLS_RETRY_30S, WorkItem.class, DELETE, WEEK);
  public static final Topic<WorkItem> CALLS_RETRY_5M =
      byCall(Topics.CALLS_RETRY_5M, WorkItem.class, DELETE, WEEK);
  public static final Topic<WorkItem> CALLS_RETRY_1H =
      byCall(Topics.CALLS_RETRY_1H, WorkItem.class, DELETE, WEEK);
  public static final Topic<WorkItem> CALLS_DLT =
      byCall(Topics.CALLS_DLT, WorkItem.class, DELETE, YEAR);

  /** Values: the redrive time as ISO-8601 text. */
  public static final Topic<String> CALLS_DLT_REDRIVEN =
      new Topic<>(
          new TopicSpec(Topics.CALLS_DLT_REDRIVEN, 1, COMPACT, null), DEAD_LETTER_ID, String.class);

  public static final Topic<TenantStats> TENANT_STATS =
      new Topic<>(
          new TopicSpec(Topics.TENANT_STATS, 3, COMPACT, null), TENANT_HOUR, TenantStats.class);

  /** Values: the undecodable record's own bytes, with the error in headers. */
  public static final Topic<byte[]> TOPOLOGY_DLQ =
      new Topic<>(new TopicSpec(Topics.TOPOLOGY_DLQ, 1, DELETE, YEAR), AS_RECEIVED, byte[].class);

  private static final List<Topic<?>> TOPICS =
      List.of(
          CALLS_ENDED,
          RECORDINGS_UPLOADED,
          TENANTS_AGENTS,
          TENANTS_SETTINGS,
          CALLS_TRANSCRIBED,
          CALLS_ENRICHED,
          CALLS_CHUNKS,
          DOCUMENTS_GENERATED,
          CALLBACKS_SCHEDULED,
          CALLBACKS_DUE,
          CALLS_RETRY_30S,
          CALLS_RETRY_5M,
          CALLS_RETRY_1H,
          CALLS_DLT,
          CALLS_DLT_REDRIVEN,
          TENANT_STATS,
          TOPOLOGY_DLQ);

  private static final List<TopicSpec> ALL = TOPICS.stream().map(Topic::spec).toList();

  /** A topic keyed by call id, with the partition count every such topic shares. */
  private static <V extends SpecificRecord> Topic<V> byCall(
      String name, Class<V> values, TopicSpec.Cleanup cleanup, Duration retention) {
    return new Topic<>(new TopicSpec(name, CALL_PARTITIONS, cleanup, retention), CALL_ID, values);
  }

  private TopicCatalog() {}

  /** Every topic callstream owns. */
  public static List<TopicSpec> all() {
    return ALL;
  }

  /** The spec of one topic by name. */
  public static Optional<TopicSpec> find(String name) {
    return topic(name).map(Topic::spec);
  }

  /** Every topic callstream owns, typed. */
  public static List<Topic<?>> topics() {
    return TOPICS;
  }

  /** One topic by name, typed. */
  public static Optional<Topic<?>> topic(String name) {
    return TOPICS.stream().filter(topic -> topic.name().equals(name)).findFirst();
  }

  /** One topic by name, typed; a name that is not callstream's is a bug. */
  public static Topic<?> named(String name) {
    return topic(name)
        .orElseThrow(() -> new IllegalArgumentException(name + " is not a callstream topic"));
  }

  /**
   * Creates every topic in {@code specs} that does not exist yet, {@code replicationFactor} times
   * replicated with {@code min.insync.replicas} 2 when that is 3 or more (else 1), and waits until
   * each partition of each of them has a leader answering offset look-ups. Topics that exist are
   * left as they are.
   *
   * @return the names of the topics this call created
   */
  public static List<String> createAll(
      Admin admin, List<TopicSpec> specs, short replicationFactor, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      Map<String, String> configs = new HashMap<>(spec.configs());
      // replicated three times or more, a write is acknowledged once two replicas have it
      configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, replicationFactor >= 3 ? "2" : "1");
      newTopics.add(
          new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(configs));
    }
    List<String> created = new ArrayList<>();
    Map<String, KafkaFuture<Void>> results = admin.createTopics(newTopics).values();
    for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
      try {
        result.getValue().get(remaining(deadline), TimeUnit.NANOSECONDS);
        created.add(result.getKey());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "creating topic " + result.getKey() + " failed: " + e.getCause().getMessage(),
              e.getCause());
        }
      }
    }
    awaitLeaders(admin, specs.stream().map(TopicSpec::name).toList(), deadline);
    return created;
  }

  /** {@link #createAll(Admin, List, short, Duration)} for every topic in the catalog. */
  public static List<String> createAll(Admin admin, short replicationFactor, Duration timeout)
      throws InterruptedException, TimeoutException {
    return createAll(admin, ALL, replicationFactor, timeout);
  }

  /**
   * Waits until every partition of {@code topics} answers a latest-offset look-up, which needs an
   * elected leader. A freshly created topic can take a moment to get there, and an idempotent
   * producer that writes before may lose records (KAFKA-15591).
   */
  public static void awaitLeaders(Admin admin, List<String> topics, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    Exception last = null;
    while (System.nanoTime() < deadlineNanos) {
      try {
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(topics)
                .allTopicNames()
                .get(remaining(deadlineNanos), TimeUnit.NANOSECONDS);
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        descriptions.forEach(
            (name, description) ->
                description
                    .partitions()
                    .forEach(
                        p ->
                            partitions.put(
                                new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(partitions).all().get(remaining(deadlineNanos), TimeUnit.NANOSECONDS);
        return;
      } catch (ExecutionException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    TimeoutException timeout =
        new TimeoutException("partitions of " + topics + " got no leader in time");
    if (last != null) {
      timeout.initCause(last.getCause());
    }
    throw timeout;
  }

  private static long remaining(long deadlineNanos) throws TimeoutException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new TimeoutException("timed out creating topics");
    }
    return left;
  }
}
