package io.callstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.testkit.LocalServices;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A group's lag is what it has yet to read of what is committed: records of an open transaction are
 * not lag yet, a group that committed nothing is absent, and lag is summed per topic.
 */
@ExtendWith(LocalServices.class)
class GroupLagIT {

  @Test
  void countsWhatAGroupHasYetToReadOfTheCommittedRecords(KafkaService kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    String topic = "group-lag-" + UUID.randomUUID();
    String group = "group-lag-reader";
    String idle = "group-lag-idle";
    TopicPartition first = new TopicPartition(topic, 0);
    TopicPartition second = new TopicPartition(topic, 1);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(
                Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "group-lag-it"),
                new StringSerializer(),
                new StringSerializer());
        GroupLag lag = new GroupLag(bootstrap, List.of(group, idle))) {
      admin.createTopics(Set.of(new NewTopic(topic, 2, (short) 1))).all().get();
      admin
          .listOffsets(Map.of(first, OffsetSpec.latest(), second, OffsetSpec.latest()))
          .all()
          .get();
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, 0, "k", "committed " + i));
        producer.send(new ProducerRecord<>(topic, 1, "k", "committed " + i));
      }
      producer.commitTransaction(); // 10 records and a commit marker on each partition
      producer.beginTransaction();
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(topic, 0, "k", "open " + i));
      }
      producer.flush(); // written, not committed: not yet anyone's lag

      admin
          .alterConsumerGroupOffsets(
              group, Map.of(first, new OffsetAndMetadata(4), second, new OffsetAndMetadata(11)))
          .all()
          .get();

      assertThat(lag.byGroupAndTopic()).isEqualTo(Map.of(group, Map.of(topic, 7L)));

      producer.commitTransaction(); // the 5 open records and their marker become readable
      assertThat(lag.byGroupAndTopic()).isEqualTo(Map.of(group, Map.of(topic, 13L)));
    }
  }
}
