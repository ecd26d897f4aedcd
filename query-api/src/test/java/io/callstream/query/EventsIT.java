package io.callstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.events.AiUsage;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Provider;
import io.callstream.events.Sentiment;
import io.callstream.events.Stage;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.TranscriptSource;
import io.callstream.events.WorkItem;
import io.callstream.query.auth.ReadKeys;
import io.callstream.query.http.EventsRoute;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /v1/events} on the real broker: a tenant's stream carries its own calls as they are
 * enriched or dead-lettered and never another tenant's, and a client that reconnects with the id of
 * the last event it saw continues right after it.
 */
@ExtendWith(LocalServices.class)
class EventsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACME = "events-acme";
  private final HttpClient http = HttpClient.newHttpClient();

  /** One server-sent event. */
  private record Event(String id, String type, JsonNode data) {}

  @Test
  void aTenantsStreamCarriesOnlyItsCallsAndResumesAfterTheLastEventSeen(
      KafkaService kafka, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
    }
    String start = positionNow(bootstrap);
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    UUID acmeCall = UUID.randomUUID();
    UUID globexCall = UUID.randomUUID();
    UUID acmeFailure = UUID.randomUUID();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      AvroSerde<EnrichedCall> calls = AvroSerde.forValues(EnrichedCall.class, client);
      AvroSerde<WorkItem> items = AvroSerde.forValues(WorkItem.class, client);
      for (EnrichedCall call :
          List.of(enriched(acmeCall, "acme"), enriched(globexCall, "globex"))) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.CALLS_ENRICHED,
                    call.getCallId().toString(),
                    calls.serialize(Topics.CALLS_ENRICHED, call)))
            .get();
      }
      WorkItem failed =
          WorkItem.newBuilder()
              .setCallId(acmeFailure)
              .setEventId("evt-failed")
              .setTenantId("acme")
              .setStage(Stage.ANALYZE)
              .setAttempt(1)
              .setAcceptedAt(Instant.now())
              .setDeadLetterReason("http_400")
              .build();
      producer
          .send(
              new ProducerRecord<>(
                  Topics.CALLS_DLT,
                  acmeFailure.toString(),
                  items.serialize(Topics.CALLS_DLT, failed)))
          .get();
    }

    QueryApiConfig config =
        TestConfigs.withKafka(postgres, "callstream_events", bootstrap, registry.url());
    try (LocalEmbedder embedder = new LocalEmbedder(1);
        QueryApp app =
            QueryApp.start(config, ReadKeys.of(Map.of("acme", ACME), List.of()), embedder)) {
      List<Event> seen = events(app, start, 2);
      assertThat(seen)
          .extracting(Event::type)
          .containsExactlyInAnyOrder("enriched", "dead_lettered");
      assertThat(seen)
          .extracting(event -> event.data().path("call_id").asText())
          .containsExactlyInAnyOrder(acmeCall.toString(), acmeFailure.toString())
          .doesNotContain(globexCall.toString());
      assertThat(seen)
          .allSatisfy(
              event -> assertThat(event.data().path("tenant_id").asText()).isEqualTo("acme"));

      // reconnecting after the first event brings the second, and not the first again
      List<Event> resumed = events(app, seen.get(0).id(), 1);
      assertThat(resumed.get(0).data().path("call_id").asText())
          .isEqualTo(seen.get(1).data().path("call_id").asText());

      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/events"))
                  .header("Authorization", "Bearer " + ACME)
                  .header("Accept", "text/event-stream")
                  .header("Last-Event-ID", "not-one-of-ours")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("Last-Event-ID");
      HttpResponse<String> notStreaming =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/events"))
                  .header("Authorization", "Bearer " + ACME)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(notStreaming.statusCode()).isEqualTo(406);
    }
  }

  /** The first {@code count} events of a stream started at {@code lastEventId}. */
  private List<Event> events(QueryApp app, String lastEventId, int count) throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    var response =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/events"))
                .header("Authorization", "Bearer " + ACME)
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", lastEventId)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    Thread reader = Thread.ofVirtual().start(() -> response.join().body().forEach(lines::add));
    List<Event> events = new ArrayList<>();
    String id = null;
    String type = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (events.size() < count && System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line == null) {
        continue;
      }
      if (line.startsWith("id:")) {
        id = line.substring(3).trim();
      } else if (line.startsWith("event:")) {
        type = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        events.add(new Event(id, type, JSON.readTree(line.substring(5).trim())));
      }
    }
    response.cancel(true);
    reader.interrupt();
    assertThat(events).as("events within 30 s").hasSize(count);
    return events;
  }

  /** The stream's id for the end of both topics now. */
  private static String positionNow(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (String topic : List.of(Topics.CALLS_ENRICHED, Topics.CALLS_DLT)) {
        for (int p = 0; p < TopicCatalog.CALL_PARTITIONS; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
      }
      Map<TopicPartition, Long> position =
          new TreeMap<>(
              (a, b) ->
                  a.topic().equals(b.topic())
                      ? Integer.compare(a.partition(), b.partition())
                      : a.topic().compareTo(b.topic()));
      admin.listOffsets(latest).all().get().forEach((tp, info) -> position.put(tp, info.offset()));
      return EventsRoute.encode(position);
    }
  }

  private static EnrichedCall enriched(UUID callId, String tenant) {
    Instant now = Instant.now();
    return EnrichedCall.newBuilder()
        .setCallId(callId)
        .setTenantId(tenant)
        .setProvider(Provider.VAPI)
        .setProviderCallId("events-" + callId)
        .setVersion(now.toEpochMilli())
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setEndedAt(now)
        .setTitle("events " + tenant)
        .setSentiment(Sentiment.NEUTRAL)
        .setSuccess(SuccessVerdict.UNKNOWN)
        .setTranscriptSource(TranscriptSource.PROVIDER)
        .setAnalyzer("local")
        .setModel("test")
        .setPromptVersion("v1")
        .setUsage(AiUsage.newBuilder().build())
        .setEnrichedAt(now)
        .build();
  }
}
