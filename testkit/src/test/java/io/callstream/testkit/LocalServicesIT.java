package io.callstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalServices.class)
class LocalServicesIT {

  @Test
  void brokerCarriesRecordsFromProducerToConsumer(KafkaService kafka) throws Exception {
    String topic = "testkit.roundtrip";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      admin
          .listOffsets(
              Map.of(
                  new TopicPartition(topic, 0), OffsetSpec.latest(),
                  new TopicPartition(topic, 1), OffsetSpec.latest()))
          .all()
          .get();
    }
    Map<String, Object> producerConfig =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            kafka.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (var producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>(topic, "call-" + (i % 7), "event-" + i)).get();
      }
    }

    Map<String, Object> consumerConfig =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG, "testkit-roundtrip",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < 100 && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }

    assertThat(received).hasSize(100);
    assertThat(received.stream().map(ConsumerRecord::value).toList())
        .containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 100).mapToObj(i -> "event-" + i).toList());
    // One key always lands on one partition, in the order it was written.
    List<String> call3 =
        received.stream().filter(r -> r.key().equals("call-3")).map(ConsumerRecord::value).toList();
    assertThat(call3)
        .containsExactly(
            "event-3",
            "event-10",
            "event-17",
            "event-24",
            "event-31",
            "event-38",
            "event-45",
            "event-52",
            "event-59",
            "event-66",
            "event-73",
            "event-80",
            "event-87",
            "event-94");
    assertThat(
            received.stream()
                .filter(r -> r.key().equals("call-3"))
                .map(ConsumerRecord::partition)
                .distinct())
        .hasSize(1);
  }

  @Test
  void registryServesTheConfluentApiWithBackwardCompatibility(SchemaRegistryService registry)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> config =
        http.send(
            HttpRequest.newBuilder(URI.create(registry.url() + "/config")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(config.body()).contains("\"compatibilityLevel\":\"BACKWARD\"");
  }

  @Test
  void postgresFindsTheNearestVector(PostgresService postgres) throws Exception {
    try (Connection db =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement sql = db.createStatement()) {
      sql.execute("CREATE TABLE testkit_items (id int PRIMARY KEY, embedding vector(3))");
      sql.execute(
          "INSERT INTO testkit_items VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0,0,1]'), (4, '[0.7,0.7,0]')");
      try (ResultSet nearest =
          sql.executeQuery(
              "SELECT id FROM testkit_items ORDER BY embedding <-> '[0.1,0.9,0.05]' LIMIT 2")) {
        List<Integer> ids = new ArrayList<>();
        while (nearest.next()) {
          ids.add(nearest.getInt(1));
        }
        assertThat(ids).containsExactly(2, 4);
      }
      try (ResultSet version =
          sql.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'vector'")) {
        assertThat(version.next()).isTrue();
        assertThat(version.getString(1)).startsWith("0.");
      }
    }
  }

  @Test
  void eachServiceIsStartedOncePerJvm(KafkaService first, KafkaService second) {
    assertThat(first).isSameAs(second);
    assertThat(Set.of(first.bootstrapServers())).hasSize(1);
  }
}
