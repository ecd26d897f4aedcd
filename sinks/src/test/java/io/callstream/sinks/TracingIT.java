package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.kafka.TopicRecords;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.gateway.GatewayApp;
import io.callstream.schemas.topics.Topics;
import io.callstream.schemas.trace.CallTracing;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.TopologyApp;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One call's trace, collected by the SDK's in-memory exporter: it continues the provider's {@code
 * traceparent} at the gateway, and every span after (each topology stage, each AI call, the first
 * analysis failing into a retry tier and the second coming back from it, each sink's write) is in
 * that trace and hangs from a span of it: one connected trace.
 */
@ExtendWith(LocalServices.class)
class TracingIT {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PROVIDER_SPAN = "00f067aa0ba902b7";

  @Test
  void oneCallIsOneConnectedTraceFromTheGatewayThroughARetryTierToTheSinks(
      KafkaService kafka, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    CallTracing.install(sdk);
    String bootstrap = kafka.bootstrapServers();
    EndToEndIT.createTopics(bootstrap);
    // a new application reads its inputs from the start: none of the other tests' calls (the
    // retry tiers stay: the sinks' tests wait for their groups to commit on every non-empty one)
    TopicRecords.deleteAll(bootstrap, Topics.CALLS_ENDED, Topics.RECORDINGS_UPLOADED);
    String databaseUrl = postgres.freshDatabase("callstream_tracing");
    Path dir = Files.createTempDirectory("tracing-");
    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(20), Duration.ofMillis(60)),
                new AiSimulator.Faults(0, Duration.ZERO, 1.0, 0, 0, 0)); // every request: 500
        GatewayApp gateway =
            EndToEndIT.startGateway(
                bootstrap,
                registry.url(),
                dir,
                """
                {"sources": [
                  {"id": "el-traced", "provider": "elevenlabs", "secret_env": "TRACED_SECRET", "tenant": "traced"}
                ]}
                """,
                Map.of("TRACED_SECRET", EndToEndIT.SECRET));
        TopologyApp topology =
            EndToEndIT.startTopology(
                bootstrap,
                registry.url(),
                dir,
                "tracing-topology",
                EndToEndIT.enrichers(simulator),
                Map.of(
                    "CALLSTREAM_RETRY_DELAYS", "1s,2s,4s",
                    "CALLSTREAM_RETRY_CHECK_INTERVAL", "200ms"))) {
      ConnectWorker connect =
          EndToEndIT.startConnect(bootstrap, registry.url(), databaseUrl, postgres);
      try {
        byte[] body =
            new ObjectMapper()
                .writeValueAsBytes(
                    EndToEndIT.transcription(
                        "conv_traced",
                        List.of(
                            "Acme Appliances, this is Ava.",
                            "My kettle stopped working and I would like a refund.",
                            "I have started the refund to your card.",
                            "Thank you.")));
        HttpResponse<String> accepted =
            EndToEndIT.send(
                gateway,
                "el-traced",
                body,
                EndToEndIT.SECRET,
                Map.of("traceparent", "00-" + TRACE_ID + "-" + PROVIDER_SPAN + "-01"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("traceparent"))
            .hasValueSatisfying(header -> assertThat(header).startsWith("00-" + TRACE_ID + "-"));

        // the first analysis fails (500) into the first retry tier; then the AI service recovers
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    spans.getFinishedSpanItems().stream()
                        .anyMatch(
                            span ->
                                span.getTraceId().equals(TRACE_ID)
                                    && span.getName().equals("stage ANALYZE")
                                    && span.getStatus().getStatusCode() == StatusCode.ERROR));
        simulator.faults(AiSimulator.Faults.NONE);

        Jdbi jdbi = Jdbi.create(databaseUrl, postgres.user(), postgres.password());
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(300))
            .until(
                () ->
                    names(spans.getFinishedSpanItems())
                        .containsAll(
                            Set.of(
                                "sink write " + Topics.CALLS_ENRICHED,
                                "sink write " + Topics.CALLS_CHUNKS)));
        assertThat(
                EndToEndIT.count(
                    jdbi, "SELECT count(*) FROM calls WHERE provider_call_id = 'conv_traced'"))
            .isEqualTo(1);
      } finally {
        connect.close();
      }
    } finally {
      CallTracing.install(OpenTelemetry.noop());
    }

    List<SpanData> trace =
        spans.getFinishedSpanItems().stream()
            .filter(span -> span.getTraceId().equals(TRACE_ID))
            .toList();
    assertThat(names(trace))
        .contains(
            "ingest el-traced",
            "stage ANALYZE",
            "ai ANALYZE",
            "stage CHUNK",
            "stage EMBED",
            "ai EMBED",
            "sink write " + Topics.CALLS_ENRICHED,
            "sink write " + Topics.CALLS_CHUNKS);
    // connected: the gateway's span hangs from the provider's, every other from one of the trace
    Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
    SpanData ingest = only(trace, "ingest el-traced");
    assertThat(ingest.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(ingest.getParentSpanId()).isEqualTo(PROVIDER_SPAN);
    assertThat(trace)
        .filteredOn(span -> span != ingest)
        .allSatisfy(span -> assertThat(ids).contains(span.getParentSpanId()));

    // through the retry tier: the failed analysis went to it, the next came back from it
    List<SpanData> analyses =
        trace.stream().filter(span -> span.getName().equals("stage ANALYZE")).toList();
    assertThat(analyses).hasSize(2);
    SpanData failed =
        analyses.stream()
            .filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
            .findFirst()
            .orElseThrow();
    SpanData retried = analyses.stream().filter(s -> s != failed).findFirst().orElseThrow();
    assertThat(failed.getAttributes().get(AttributeKey.stringKey("callstream.retry_to")))
        .isEqualTo(Topics.CALLS_RETRY_30S);
    assertThat(retried.getAttributes().get(AttributeKey.stringKey("callstream.retry_tier")))
        .isEqualTo(Topics.CALLS_RETRY_30S);
    assertThat(retried.getAttributes().get(AttributeKey.longKey("callstream.attempt")))
        .isEqualTo(2L);
    List<SpanData> aiCalls =
        trace.stream().filter(span -> span.getName().equals("ai ANALYZE")).toList();
    assertThat(aiCalls).hasSize(2);
    assertThat(aiCalls)
        .anySatisfy(
            ai -> {
              assertThat(ai.getKind()).isEqualTo(SpanKind.CLIENT);
              assertThat(ai.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
                  .isEqualTo("gpt-4o-mini");
              assertThat(ai.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
                  .isPositive();
              assertThat(ai.getAttributes().get(AttributeKey.booleanKey("callstream.ai.cache_hit")))
                  .isFalse();
            });
    // the sinks' writes hang from the stages that produced their records
    assertThat(ids).contains(only(trace, "sink write " + Topics.CALLS_ENRICHED).getParentSpanId());
    assertThat(only(trace, "sink write " + Topics.CALLS_ENRICHED).getParentSpanId())
        .isEqualTo(only(trace, "stage ANALYZE", StatusCode.UNSET).getSpanId());
  }

  private static Set<String> names(List<SpanData> spans) {
    return spans.stream().map(SpanData::getName).collect(Collectors.toSet());
  }

  private static SpanData only(List<SpanData> trace, String name) {
    List<SpanData> named = trace.stream().filter(span -> span.getName().equals(name)).toList();
    assertThat(named).as(name).hasSize(1);
    return named.get(0);
  }

  private static SpanData only(List<SpanData> trace, String name, StatusCode status) {
    List<SpanData> named =
        trace.stream()
            .filter(span -> span.getName().equals(name))
            .filter(span -> span.getStatus().getStatusCode() == status)
            .toList();
    assertThat(named).as(name + " " + status).hasSize(1);
    return named.get(0);
  }
}
