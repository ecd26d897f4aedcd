package io.callstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.devstack.kafka.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The topic catalog on a three-node cluster (each node its own JVM): every topic three times
 * replicated with two replicas in sync required; an acknowledged write survives a SIGKILL of the
 * broker that leads the most partitions, and with two brokers down a write is refused, never
 * acknowledged on one copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicatedTopicsIT {
  private static final int RECORDS = 3_000;
  private KafkaCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = KafkaCluster.startTemporary(3);
    try (Admin admin = admin()) {
      TopicCatalog.createAll(admin, (short) 3, Duration.ofSeconds(60));
    }
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  @Test
  void everyTopicHasThreeReplicasAndNeedsTwoInSync() throws Exception {
    try (Admin admin = admin()) {
      List<String> names = TopicCatalog.all().stream().map(TopicSpec::name).toList();
      Map<String, TopicDescription> described =
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
      described.values().stream()
          .flatMap(topic -> topic.partitions().stream())
          .forEach(partition -> assertThat(partition.replicas()).hasSize(3));
      for (String name : names) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, name);
        assertThat(
                admin
                    .describeConfigs(List.of(topic))
                    .all()
                    .get()
                    .get(topic)
                    .get("min.insync.replicas")
                    .value())
            .as(name)
            .isEqualTo("2");
      }
    }
  }

  @Test
  void acknowledgedWritesSurviveTheLossOfTheBusiestLeaderAndTwoLostBrokersRefuseWrites()
      throws Exception {
    String topic = Topics.CALLS_ENDED;
    Map<String, Future<RecordMetadata>> sent = new HashMap<>();
    int killed = -1;
    try (KafkaProducer<String, byte[]> producer = producer(Duration.ofSeconds(60))) {
      for (int i = 0; i < RECORDS; i++) {
        if (i == RECORDS / 3) {
          killed = cluster.leaderOfMostPartitions(List.of(topic));
          cluster.kill(killed);
        }
        String key = "replicated-" + i;
        sent.put(
            key,
            producer.send(
                new ProducerRecord<>(
                    topic, key, ("record " + i).getBytes(StandardCharsets.UTF_8))));
        if (i % 100 == 0) {
          Thread.sleep(20);
        }
      }
      producer.flush();
    }
    // The promise is about acknowledged writes: each one is kept, exactly once. A write that timed
    // out while its leader was lost was never acknowledged and may or may not have been kept.
    Set<String> acknowledged = new HashSet<>();
    for (Map.Entry<String, Future<RecordMetadata>> write : sent.entrySet()) {
      try {
        write.getValue().get();
        acknowledged.add(write.getKey());
      } catch (ExecutionException e) {
        assertThat(e.getCause())
            .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      }
    }
    assertThat(acknowledged).as("writes acknowledged").hasSizeGreaterThan(RECORDS / 3);
    // Every partition has a leader again: a new producer's write to each is acknowledged.
    try (KafkaProducer<String, byte[]> probe = producer(Duration.ofSeconds(60));
        Admin admin = admin()) {
      for (int partition = 0; partition < TopicCatalog.CALL_PARTITIONS; partition++) {
        Future<RecordMetadata> ack =
            probe.send(new ProducerRecord<>(topic, partition, "probe", new byte[] {2}));
        try {
          ack.get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw new AssertionError(
              "partition "
                  + partition
                  + " took no write after node "
                  + killed
                  + " was killed: "
                  + admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic),
              e);
        }
      }
    }

    // With two of three brokers down no write is acknowledged: min.insync.replicas is 2.
    int second = killed == 1 ? 2 : 1;
    // the producer gets its id first: with two of three nodes down the controllers have no quorum
    // to hand out producer ids, and a write waiting for one never even starts to time out
    KafkaProducer<String, byte[]> refusing = producer(Duration.ofSeconds(8));
    refusing.send(new ProducerRecord<>(topic, "before", new byte[] {0})).get(60, TimeUnit.SECONDS);
    cluster.kill(second);
    try {
      Future<RecordMetadata> refused =
          refusing.send(new ProducerRecord<>(topic, "refused", new byte[] {1}));
      assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(
              e ->
                  assertThat(e.getCause())
                      .isInstanceOfAny(
                          NotEnoughReplicasException.class,
                          org.apache.kafka.common.errors.TimeoutException.class));
    } finally {
      refusing.close(Duration.ofSeconds(5)); // the quorum is lost too: do not wait for it
    }
    cluster.start(second);
    cluster.start(killed);

    Map<String, Integer> seen = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!seen.keySet().containsAll(acknowledged) && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().startsWith("replicated-")) {
            seen.merge(record.key(), 1, Integer::sum);
          }
        }
      }
    }
    assertThat(seen.keySet()).as("acknowledged writes kept").containsAll(acknowledged);
    assertThat(seen.values()).as("records written twice").allMatch(n -> n == 1);
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
  }

  private KafkaProducer<String, byte[]> producer(Duration deliveryTimeout) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            (int) Math.min(5_000, deliveryTimeout.toMillis() - 1_000),
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            (int) deliveryTimeout.toMillis()),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private KafkaConsumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "replicated-topics-it",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new StringDeserializer(),
        new ByteArrayDeserializer());
  }
}
