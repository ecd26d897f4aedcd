package io.callstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.events.CallEnded;
import io.callstream.schemas.events.SampleEvents;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SpecificRecords through the real broker and registry, in the Confluent wire format. */
@ExtendWith(LocalServices.class)
class AvroSerdeIT {

  @Test
  void writesAndReadsCallsThroughTheBroker(KafkaService kafka, SchemaRegistryService registry)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
    }
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    AvroSerde<CallEnded> serde = AvroSerde.forValues(CallEnded.class, client);
    List<CallEnded> sent =
        List.of(SampleEvents.callEnded("conv_it_1"), SampleEvents.callEnded("conv_it_2"));

    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (var producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), serde.serializer())) {
      for (CallEnded call : sent) {
        producer
            .send(new ProducerRecord<>(Topics.CALLS_ENDED, call.getCallId().toString(), call))
            .get();
      }
    }

    List<ConsumerRecord<String, byte[]>> received =
        consumeRaw(kafka, Topics.CALLS_ENDED, sent.size());
    int registeredId =
        new SchemaRegistryClient(registry.url())
            .lookup("calls.ended.v1-value", CallEnded.getClassSchema())
            .id();
    // A reader with its own client: nothing cached from the writer side.
    AvroSerde<CallEnded> reader =
        AvroSerde.forValues(CallEnded.class, new SchemaRegistryClient(registry.url()));
    List<CallEnded> decoded = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : received) {
      byte[] bytes = record.value();
      assertThat(bytes[0]).isZero();
      assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
      CallEnded call = reader.deserialize(record.topic(), bytes);
      assertThat(UUID.fromString(record.key())).isEqualTo(call.getCallId());
      decoded.add(call);
    }
    assertThat(decoded).containsExactlyInAnyOrderElementsOf(sent);
  }

  private static List<ConsumerRecord<String, byte[]>> consumeRaw(
      KafkaService kafka, String topic, int count) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "avro-serde-it",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
