package io.callstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.events.Stage;
import io.callstream.events.WorkItem;
import io.callstream.query.auth.ReadKeys;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicReader;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/dead-letters/redrive} on the real broker: an operator key sends the chosen dead
 * letters to the first retry tier, due now and with their reason cleared, marks them redriven, and
 * never sends one twice; a tenant key may not; bad bodies are named.
 */
@ExtendWith(LocalServices.class)
class RedriveIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR = "operator-redrive";
  private static final String TENANT = "acme-redrive";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anOperatorRedrivesByReasonOnceAndATenantKeyMayNot(
      KafkaService kafka, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
    }
    String reason = "redrive_it_" + UUID.randomUUID().toString().substring(0, 8);
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    AvroSerde<WorkItem> items = AvroSerde.forValues(WorkItem.class, client);
    UUID chosen = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (WorkItem item :
          List.of(deadLetter(chosen, reason), deadLetter(other, reason + "_other"))) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.CALLS_DLT,
                    item.getCallId().toString(),
                    items.serialize(Topics.CALLS_DLT, item)))
            .get();
      }
    }
    QueryApiConfig config =
        TestConfigs.withKafka(postgres, "callstream_redrive", bootstrap, registry.url());
    try (LocalEmbedder embedder = new LocalEmbedder(1);
        QueryApp app =
            QueryApp.start(
                config, ReadKeys.of(Map.of("acme", TENANT), List.of(OPERATOR)), embedder)) {
      assertThat(post(app, TENANT, "{\"reason\":\"" + reason + "\"}").statusCode()).isEqualTo(403);
      assertThat(post(app, OPERATOR, "{}").statusCode()).isEqualTo(400);
      assertThat(post(app, OPERATOR, "{\"calls\":[\"nope\"]}").body()).contains("not a call id");
      assertThat(post(app, OPERATOR, "[1]").statusCode()).isEqualTo(400);

      HttpResponse<String> first = post(app, OPERATOR, "{\"reason\":\"" + reason + "\"}");
      assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
      JsonNode redriven = JSON.readTree(first.body()).path("redriven");
      assertThat(redriven).hasSize(1);
      assertThat(redriven.get(0).path("call_id").asText()).isEqualTo(chosen.toString());

      HttpResponse<String> again = post(app, OPERATOR, "{\"reason\":\"" + reason + "\"}");
      assertThat(JSON.readTree(again.body()).path("redriven")).isEmpty();
    }

    List<WorkItem> retried = new ArrayList<>();
    try (TopicReader reader = new TopicReader(Map.of("bootstrap.servers", bootstrap))) {
      reader.readAll(
          Topics.CALLS_RETRY_30S,
          record -> {
            WorkItem item = items.deserialize(Topics.CALLS_RETRY_30S, record.value());
            if (item.getCallId().equals(chosen) || item.getCallId().equals(other)) {
              retried.add(item);
            }
          });
    }
    assertThat(retried).hasSize(1);
    assertThat(retried.get(0).getCallId()).isEqualTo(chosen);
    assertThat(retried.get(0).getDeadLetterReason()).isNull();
    assertThat(retried.get(0).getDueAt()).isNotNull();
    assertThat(retried.get(0).getRedrives()).isEqualTo(1);
  }

  private HttpResponse<String> post(QueryApp app, String key, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + "/v1/dead-letters/redrive"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static WorkItem deadLetter(UUID callId, String reason) {
    return WorkItem.newBuilder()
        .setCallId(callId)
        .setEventId("evt-" + callId)
        .setTenantId("acme")
        .setStage(Stage.ANALYZE)
        .setAttempt(1)
        .setAcceptedAt(Instant.now())
        .setDeadLetterReason(reason)
        .build();
  }
}
