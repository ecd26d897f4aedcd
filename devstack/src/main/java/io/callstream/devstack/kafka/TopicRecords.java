package io.callstream.devstack.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What tests sharing one broker need to start from nothing on the topics they read, and to know
 * when a consumer group has read everything.
 */
public final class TopicRecords {
  private TopicRecords() {}

  /**
   * The end offset of every partition of {@code topics}; listing them before anyone produces also
   * keeps the first writes clear of KAFKA-15591.
   */
  public static Map<TopicPartition, Long> latest(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get()
        .forEach(
            (name, description) ->
                description
                    .partitions()
                    .forEach(
                        p ->
                            latest.put(
                                new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin
        .listOffsets(latest)
        .all()
        .get()
        .forEach((partition, end) -> ends.put(partition, end.offset()));
    return ends;
  }

  /** Deletes every record {@code topics} hold now (a new application reads none of them). */
  public static void deleteAll(String bootstrapServers, String... topics)
      throws ExecutionException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
      latest(admin, List.of(topics))
          .forEach((partition, end) -> delete.put(partition, RecordsToDelete.beforeOffset(end)));
      admin.deleteRecords(delete).all().get();
    }
  }

  /**
   * Whether a consumer group at {@code committed} has nothing left to read on {@code partitions}:
   * from those offsets (a partition without one, from its beginning) a read_committed reader
   * reaches the end without a record. Comparing offsets with the end would not do: a group's
   * committed offset stops short of a transaction's commit marker, and of aborted records no
   * consumer is ever given.
   */
  public static boolean nothingLeftToRead(
      String bootstrapServers,
      Collection<TopicPartition> partitions,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> assigned = new ArrayList<>(partitions);
      reader.assign(assigned);
      for (TopicPartition partition : assigned) {
        OffsetAndMetadata offset = committed.get(partition);
        if (offset == null) {
          reader.seekToBeginning(List.of(partition));
        } else {
          reader.seek(partition, offset.offset());
        }
      }
      Map<TopicPartition, Long> ends = reader.endOffsets(assigned);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (assigned.stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
        if (!reader.poll(Duration.ofMillis(200)).isEmpty() || System.nanoTime() > deadline) {
          return false;
        }
      }
      return true;
    }
  }
}
