package io.callstream.schemas.topics;

import static io.callstream.schemas.topics.TopicSpec.Cleanup.COMPACT;
import static io.callstream.schemas.topics.TopicSpec.Cleanup.COMPACT_DELETE;
import static io.callstream.schemas.topics.TopicSpec.Cleanup.DELETE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
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

  private static final List<TopicSpec> ALL =
      List.of(
          new TopicSpec(Topics.CALLS_ENDED, CALL_PARTITIONS, DELETE, YEAR),
          new TopicSpec(Topics.RECORDINGS_UPLOADED, CALL_PARTITIONS, DELETE, YEAR),
          new TopicSpec(Topics.TENANTS_AGENTS, 1, COMPACT, null),
          new TopicSpec(Topics.CALLS_TRANSCRIBED, CALL_PARTITIONS, DELETE, MONTH),
          new TopicSpec(Topics.CALLS_ENRICHED, CALL_PARTITIONS, COMPACT_DELETE, YEAR),
          new TopicSpec(Topics.CALLS_CHUNKS, CALL_PARTITIONS, DELETE, MONTH),
          new TopicSpec(Topics.DOCUMENTS_GENERATED, CALL_PARTITIONS, COMPACT_DELETE, YEAR),
          new TopicSpec(Topics.CALLBACKS_SCHEDULED, CALL_PARTITIONS, DELETE, MONTH),
          new TopicSpec(Topics.CALLBACKS_DUE, CALL_PARTITIONS, DELETE, MONTH),
          new TopicSpec(Topics.CALLS_RETRY_30S, CALL_PARTITIONS, DELETE, WEEK),
          new TopicSpec(Topics.CALLS_RETRY_5M, CALL_PARTITIONS, DELETE, WEEK),
          new TopicSpec(Topics.CALLS_RETRY_1H, CALL_PARTITIONS, DELETE, WEEK),
          new TopicSpec(Topics.CALLS_DLT, CALL_PARTITIONS, DELETE, YEAR),
          new TopicSpec(Topics.CALLS_DLT_REDRIVEN, 1, COMPACT, null),
          new TopicSpec(Topics.TENANT_STATS, 3, COMPACT, null),
          new TopicSpec(Topics.TOPOLOGY_DLQ, 1, DELETE, YEAR));

  private TopicCatalog() {}

  /** Every topic callstream owns. */
  public static List<TopicSpec> all() {
    return ALL;
  }

  /** The spec of one topic by name. */
  public static Optional<TopicSpec> find(String name) {
    return ALL.stream().filter(spec -> spec.name().equals(name)).findFirst();
  }

  /**
   * Creates every topic in {@code specs} that does not exist yet and waits until each partition of
   * each of them has a leader answering offset look-ups. Topics that exist are left as they are.
   *
   * @return the names of the topics this call created
   */
  public static List<String> createAll(
      Admin admin, List<TopicSpec> specs, short replicationFactor, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<NewTopic> newTopics = new ArrayList<>();
    for (TopicSpec spec : specs) {
      newTopics.add(
          new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs()));
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
