package io.callstream.schemas.topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far consumer groups are behind, per topic: for every partition a group has committed, the
 * committed end of the partition (its last stable offset: what a read_committed reader can reach)
 * minus the group's committed offset. The topology reports its own group and the sink connectors'
 * ({@code connect-<name>}), so one scrape shows the lag of the pipeline end to end.
 *
 * <p>Lag is counted in offsets, as Kafka's own tools count it. A transaction's commit marker takes
 * an offset too: Kafka Streams commits past it, but a Connect sink commits after the last record it
 * was given, so a sink that is caught up on a partition whose last record came in a transaction
 * shows 1 there until the next record.
 */
public final class GroupLag implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupLag.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Admin admin;
  private final List<String> groups;

  public GroupLag(String bootstrapServers, List<String> groups) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()));
    this.groups = List.copyOf(groups);
  }

  /**
   * Lag by group, then topic (sorted). A group that has committed nothing is absent; a group whose
   * lag cannot be read within 5 s is left out of this answer and logged.
   */
  public Map<String, Map<String, Long>> byGroupAndTopic() {
    Map<String, Map<String, Long>> lag = new TreeMap<>();
    for (String group : groups) {
      try {
        Map<String, Long> topics = topicLag(group);
        if (!topics.isEmpty()) {
          lag.put(group, topics);
        }
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("cannot read the lag of consumer group {}: {}", group, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return lag;
  }

  private Map<String, Long> topicLag(String group)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    committed.forEach(
        (partition, offset) -> {
          if (offset != null) {
            ends.put(partition, OffsetSpec.latest());
          }
        });
    if (ends.isEmpty()) {
      return Map.of();
    }
    var stable =
        admin
            .listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
            .all()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<String, Long> byTopic = new TreeMap<>();
    stable.forEach(
        (partition, end) ->
            byTopic.merge(
                partition.topic(),
                Math.max(0, end.offset() - committed.get(partition).offset()),
                Long::sum));
    return byTopic;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
