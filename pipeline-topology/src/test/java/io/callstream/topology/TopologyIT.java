package io.callstream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.openai.OpenAiClient;
import io.callstream.enrichment.openai.OpenAiLimits;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.CallEnded;
import io.callstream.events.EnrichedCall;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.support.Events;
import io.callstream.topology.support.Kafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The topology on the real broker and registry, against the AI simulator. */
@ExtendWith(LocalServices.class)
class TopologyIT {

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void callsAreEnrichedAndAPoisonRecordGoesToTheStreamsDeadLetterQueue(
      KafkaService kafka, SchemaRegistryService registryService) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    Kafka.createTopics(bootstrap);
    // The module's other ITs share the broker: this one counts everything its application does.
    Kafka.empty(bootstrap, Topics.CALLS_ENDED, Topics.CALLS_ENRICHED, Topics.TOPOLOGY_DLQ);
    SchemaRegistryClient registry = new SchemaRegistryClient(registryService.url());
    Instant endedAt = Instant.parse("2026-05-04T09:30:00Z");
    List<CallEnded> calls = Events.uniqueCalls("it", 20, endedAt);
    Kafka.produceRaw(
        bootstrap, Topics.CALLS_ENDED, "poison", "{not avro}".getBytes(StandardCharsets.UTF_8));
    Kafka.produce(
        bootstrap,
        registry,
        Topics.CALLS_ENDED,
        CallEnded.class,
        calls,
        c -> c.getCallId().toString());

    Path state = Files.createTempDirectory("topology-it");
    TopologyConfig config =
        TopologyConfig.fromEnv(
            Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS",
                    bootstrap,
                    "SCHEMA_REGISTRY_URL",
                    registryService.url(),
                    "CALLSTREAM_APPLICATION_ID",
                    "topology-it",
                    "CALLSTREAM_STATE_DIR",
                    state.toString(),
                    "CALLSTREAM_CAPACITY",
                    "32")
                ::get);
    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(20), Duration.ofMillis(80)),
                AiSimulator.Faults.NONE);
        TopologyApp app =
            TopologyApp.start(
                config,
                Enrichers.openAi(
                    new OpenAiClient(simulator.baseUrl(), "test-key", OpenAiLimits.defaults()),
                    Enrichers.OpenAiModels.defaults()),
                registry);
        TopologyEndpoints endpoints = TopologyEndpoints.serve(app, "127.0.0.1", 0);
        KafkaConsumer<String, byte[]> reader =
            Kafka.committedReader(bootstrap, Topics.CALLS_ENRICHED, Topics.TOPOLOGY_DLQ)) {
      List<ConsumerRecord<String, byte[]>> seen = new java.util.ArrayList<>();
      Kafka.pollUntil(
          reader, seen, records -> records.size() >= calls.size() + 1, Duration.ofSeconds(90));

      List<ConsumerRecord<String, byte[]>> poison =
          seen.stream().filter(r -> r.topic().equals(Topics.TOPOLOGY_DLQ)).toList();
      assertThat(poison).hasSize(1);
      assertThat(poison.get(0).key()).isEqualTo("poison");
      assertThat(new String(poison.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not avro}");
      assertThat(poison.get(0).headers().toArray()).isNotEmpty();

      AvroSerde<EnrichedCall> enriched = AvroSerde.forValues(EnrichedCall.class, registry);
      List<EnrichedCall> results =
          seen.stream()
              .filter(r -> r.topic().equals(Topics.CALLS_ENRICHED))
              .map(r -> enriched.deserialize(r.topic(), r.value()))
              .toList();
      assertThat(results)
          .extracting(EnrichedCall::getCallId)
          .containsExactlyInAnyOrderElementsOf(calls.stream().map(CallEnded::getCallId).toList());
      assertThat(results).allSatisfy(r -> assertThat(r.getAnalyzer()).isEqualTo("openai"));
      assertThat(app.running()).isTrue();
      assertThat(simulator.requests(AiSimulator.CHAT)).isEqualTo(calls.size());

      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + endpoints.port();
      HttpResponse<String> ready = get(http, base + "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .contains("\"streams\":\"RUNNING\"")
          .contains("\"active_tasks\":" + app.activeTaskCount())
          .contains("\"restoring_stores\":0");
      // a call completes at EMBED, after its enriched record was written
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(http, base + "/metrics")
                      .body()
                      .contains("callstream_topology_completed_total " + (double) calls.size()));
      HttpResponse<String> metrics = get(http, base + "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("callstream_topology_completed_total " + (double) calls.size())
          .contains("callstream_topology_ai_calls_total")
          .contains("kafka_stream_thread_");
      // alone and healthy it never rebalanced; its consumers' lag is exported, and nil once
      // every call is in
      assertThat(metrics.body()).contains("callstream_topology_rebalances_total 0.0");
      // alone, it runs every task, none of them restoring any more
      assertThat(app.activeTaskCount()).isGreaterThan(TopicCatalog.CALL_PARTITIONS);
      assertThat(metrics.body())
          .contains("callstream_topology_active_tasks " + (double) app.activeTaskCount())
          .contains("callstream_topology_restoring_stores 0.0")
          .contains("callstream_topology_restores_total");
      assertThat(metrics.body().lines())
          .anyMatch(
              line ->
                  line.matches(
                      "kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"[^\"]*StreamThread-1-consumer\".*\\} 0\\.0"));
      // and its group's committed lag on the calls it read, as for the sinks' groups
      String groupLag =
          "callstream_consumer_group_lag{group=\""
              + config.applicationId()
              + "\",topic=\""
              + Topics.CALLS_ENDED
              + "\"} ";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(http, base + "/metrics").body().contains(groupLag + "0\n"));
    }
  }
}
