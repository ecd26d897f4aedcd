package io.callstream.devstack.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/** What tests sharing one broker need to start from nothing on the topics they read. */
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
}
