package io.callstream.topology.support;

import io.callstream.devstack.kafka.TopicRecords;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics, a producer of input events and committed-only readers, for topology ITs. */
public final class Kafka {
  private Kafka() {}

  public static void createTopics(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicCatalog.createAll(admin, TopicCatalog.all(), (short) 1, Duration.ofSeconds(30));
    }
  }

  /**
   * Writes {@code records} (key and value) to {@code topic} and waits until all are acknowledged.
   */
  /**
   * Deletes every record now in {@code topics}: the ITs of a module share one broker, and a test
   * that counts what a topic holds, or starts an application reading it from the earliest offset,
   * must not see another test's records.
   */
  public static void empty(String bootstrap, String... topics) throws Exception {
    TopicRecords.deleteAll(bootstrap, topics);
  }

  public static <T extends SpecificRecord> void produce(
      String bootstrap,
      SchemaRegistry registry,
      String topic,
      Class<T> type,
      List<T> values,
      java.util.function.Function<T, String> key)
      throws Exception {
    AvroSerde<T> serde = AvroSerde.forValues(type, registry);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (T value : values) {
        producer.send(new ProducerRecord<>(topic, key.apply(value), serde.serialize(topic, value)));
      }
      producer.flush();
    }
  }

  public static void produceRaw(String bootstrap, String topic, String key, byte[] value)
      throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** A reader of committed records only, from the start of {@code topics}. */
  public static KafkaConsumer<String, byte[]> committedReader(String bootstrap, String... topics) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(topics));
    return consumer;
  }

  /**
   * Polls {@code consumer} into {@code into} until {@code done} holds or {@code timeout} passes.
   */
  public static void pollUntil(
      KafkaConsumer<String, byte[]> consumer,
      List<ConsumerRecord<String, byte[]>> into,
      Predicate<List<ConsumerRecord<String, byte[]>>> done,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(into) && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(into::add);
    }
  }
}
