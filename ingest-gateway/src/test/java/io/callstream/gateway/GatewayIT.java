package io.callstream.gateway;

import static io.callstream.gateway.support.Signers.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.events.CallEnded;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.gateway.provider.CallIds;
import io.callstream.gateway.support.Signers;
import io.callstream.gateway.support.TestGateway;
import io.callstream.gateway.support.TopicReader;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Signed webhooks of every provider and event type, over HTTP, onto the real broker. */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JSON_TYPE = "application/json";
  private static final String FORM_TYPE = "application/x-www-form-urlencoded";

  private TestGateway gateway;
  private String bootstrap;
  private AvroSerde<CallEnded> calls;
  private AvroSerde<RecordingUploaded> recordings;

  @BeforeAll
  void start(KafkaService kafka, SchemaRegistryService registry) {
    bootstrap = kafka.bootstrapServers();
    gateway = TestGateway.start(bootstrap, registry.url(), Duration.ofSeconds(5));
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    calls = AvroSerde.forValues(CallEnded.class, client);
    recordings = AvroSerde.forValues(RecordingUploaded.class, client);
  }

  @AfterAll
  void stop() {
    gateway.close();
  }

  @Test
  void elevenLabsTranscriptionAudioAndFailureLandOnTheirTopics() throws Exception {
    long now = Instant.now().getEpochSecond();
    for (String type : List.of("post_call_transcription", "call_initiation_failure")) {
      byte[] body = fixture("elevenlabs-" + type + ".json");
      HttpResponse<String> response =
          gateway.post(
              "/v1/webhooks/elevenlabs",
              JSON_TYPE,
              body,
              "ElevenLabs-Signature",
              Signers.elevenLabs(body, now));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      CallEnded call = findCall(accepted(response));
      assertThat(call.getProvider()).isEqualTo(Provider.ELEVENLABS);
      assertThat(call.getTenantId()).isEqualTo("acme");
    }
    byte[] audio = fixture("elevenlabs-post_call_audio.json");
    HttpResponse<String> response =
        gateway.post(
            "/v1/webhooks/elevenlabs",
            JSON_TYPE,
            audio,
            "ElevenLabs-Signature",
            Signers.elevenLabs(audio, now));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    RecordingUploaded recording = findRecording(accepted(response));
    assertThat(recording.getCallId())
        .isEqualTo(CallIds.of(Provider.ELEVENLABS, "conv_5501k9a8c3gmf8k9x1r2t7ew4b"));
    assertThat(recording.getAudioUrl())
        .startsWith("file:")
        .contains(gateway.blobDir().getFileName().toString());
  }

  @Test
  void vapiBySecretAndByHmac() throws Exception {
    byte[] body = fixture("vapi-end-of-call-report.json");
    HttpResponse<String> bySecret =
        gateway.post("/v1/webhooks/vapi", JSON_TYPE, body, "X-Vapi-Secret", Signers.VAPI_SECRET);
    assertThat(bySecret.statusCode()).as(bySecret.body()).isEqualTo(202);
    assertThat(findCall(accepted(bySecret)).getTenantId()).isNull();

    byte[] other =
        new String(body, StandardCharsets.UTF_8)
            .replace("0d3f2a6e-4b8c", "1d3f2a6e-4b8c")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> byHmac =
        gateway.post(
            "/v1/webhooks/vapi-hmac",
            JSON_TYPE,
            other,
            "X-Vapi-Signature",
            Signers.vapiHmac(other));
    assertThat(byHmac.statusCode()).as(byHmac.body()).isEqualTo(202);
    assertThat(findCall(accepted(byHmac)).getTenantId()).isEqualTo("globex");
  }

  @Test
  void retellCallEndedAndAnalyzed() throws Exception {
    byte[] analyzed = fixture("retell-call_analyzed.json");
    byte[] ended =
        new String(analyzed, StandardCharsets.UTF_8)
            .replace("\"call_analyzed\"", "\"call_ended\"")
            .getBytes(StandardCharsets.UTF_8);
    for (byte[] body : List.of(ended, analyzed)) {
      long now = System.currentTimeMillis();
      HttpResponse<String> response =
          gateway.post(
              "/v1/webhooks/retell",
              JSON_TYPE,
              body,
              "x-retell-signature",
              Signers.retell(body, now));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      assertThat(findCall(accepted(response)).getProviderCallId())
          .isEqualTo("Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6");
    }
  }

  @Test
  void twilioStatusAndRecordingCallbacks() throws Exception {
    String url = "https://hooks.example.test/v1/webhooks/twilio";
    for (String fixtureName :
        List.of("twilio-status-completed.form", "twilio-recording-completed.form")) {
      String form = new String(fixture(fixtureName), StandardCharsets.UTF_8);
      HttpResponse<String> response =
          gateway.post(
              "/v1/webhooks/twilio",
              FORM_TYPE,
              form.getBytes(StandardCharsets.UTF_8),
              "X-Twilio-Signature",
              Signers.twilio(url, form));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      UUID callId = UUID.fromString(JSON.readTree(response.body()).path("call_id").asText());
      assertThat(callId)
          .isEqualTo(CallIds.of(Provider.TWILIO, "CA8f1b2c3d4e5f60718293a4b5c6d7e8f9"));
    }
    assertThat(
            findRecording(
                    new Accepted(
                        CallIds.of(Provider.TWILIO, "CA8f1b2c3d4e5f60718293a4b5c6d7e8f9"),
                        "twilio:RE0a1b2c3d4e5f60718293a4b5c6d7e8f:completed"))
                .getRecordingId())
        .isEqualTo("RE0a1b2c3d4e5f60718293a4b5c6d7e8f");
  }

  @Test
  void telnyxHangupAndRecordingSaved() throws Exception {
    for (String type : List.of("call.hangup", "call.recording.saved")) {
      byte[] body = fixture("telnyx-" + type + ".json");
      long ts = Instant.now().getEpochSecond();
      HttpResponse<String> response =
          gateway.post(
              "/v1/webhooks/telnyx",
              JSON_TYPE,
              body,
              "telnyx-signature-ed25519",
              Signers.telnyx(body, ts),
              "telnyx-timestamp",
              Long.toString(ts));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }
    UUID callId = CallIds.of(Provider.TELNYX, "2dc1b3c8-f9e0-11ea-bc5a-02420a0f7768");
    assertThat(
            findCall(new Accepted(callId, "telnyx:0ccc7b54-4df3-4bca-a65a-3da1ecc777f0"))
                .getAgentId())
        .isEqualTo("1684641123236054244");
    assertThat(
            findRecording(new Accepted(callId, "telnyx:25e1a3f6-8e2f-4c3a-9a4e-1f2b3c4d5e6f"))
                .getChannels())
        .isEqualTo(2);
  }

  @Test
  void genericCallsAndRecordingsWithAnApiKey() throws Exception {
    byte[] call =
        """
        {"external_id": "crm-4411", "agent_id": "support-bot", "direction": "outbound", "ended_at": "2026-11-20T15:00:00Z",
         "duration_ms": 61000, "to": "+14155550166",
         "turns": [{"role": "agent", "text": "Hello, this is Acme.", "start_ms": 0, "end_ms": 1500},
                   {"role": "user", "text": "Call me back tomorrow at 3pm please.", "start_ms": 1600, "end_ms": 4000}]}
        """
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        gateway.post(
            "/v1/calls",
            JSON_TYPE,
            call,
            "Authorization",
            "Bearer " + Signers.ACME_API_KEY,
            "traceparent",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    CallEnded stored = findCall(accepted(response));
    assertThat(stored.getTenantId()).isEqualTo("acme");
    assertThat(stored.getProvider()).isEqualTo(Provider.GENERIC);
    assertThat(stored.getTurns()).hasSize(2);
    ConsumerRecord<String, byte[]> record =
        recordOf(Topics.CALLS_ENDED, stored.getCallId(), stored.getEventId()).orElseThrow();
    assertThat(header(record, EventHeaders.TRACEPARENT))
        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .doesNotContain("00f067aa0ba902b7");
    assertThat(header(record, EventHeaders.SOURCE)).isEqualTo("generic-calls");

    byte[] recording =
        "{\"external_id\": \"crm-4411\", \"audio_url\": \"https://files.example.test/crm-4411.wav\", \"format\": \"wav\"}"
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> recorded =
        gateway.post(
            "/v1/recordings",
            JSON_TYPE,
            recording,
            "Authorization",
            "Bearer " + Signers.ACME_API_KEY);
    assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(202);
    assertThat(findRecording(accepted(recorded)).getCallId()).isEqualTo(stored.getCallId());

    HttpResponse<String> wrongKey =
        gateway.post("/v1/calls", JSON_TYPE, call, "Authorization", "Bearer nope");
    assertThat(wrongKey.statusCode()).isEqualTo(401);
    assertThat(wrongKey.headers().firstValue("WWW-Authenticate")).isPresent();
  }

  @Test
  void badRequestsAreProblemsAndWriteNothing() throws Exception {
    long before =
        TopicReader.endOffsetSum(bootstrap, Topics.CALLS_ENDED)
            + TopicReader.endOffsetSum(bootstrap, Topics.RECORDINGS_UPLOADED);
    byte[] body = fixture("elevenlabs-post_call_transcription.json");
    long now = Instant.now().getEpochSecond();
    String signature = Signers.elevenLabs(body, now);

    assertProblem(gateway.post("/v1/webhooks/nowhere", JSON_TYPE, body), 404, null);
    assertProblem(gateway.post("/v1/webhooks/elevenlabs", JSON_TYPE, body), 401, null);
    assertProblem(
        gateway.post(
            "/v1/webhooks/elevenlabs",
            JSON_TYPE,
            body,
            "ElevenLabs-Signature",
            Signers.elevenLabs(body, now - 3600)),
        401,
        null);
    assertProblem(
        gateway.post(
            "/v1/webhooks/elevenlabs", "text/plain", body, "ElevenLabs-Signature", signature),
        415,
        null);
    assertProblem(
        gateway.post("/v1/webhooks/elevenlabs", null, body, "ElevenLabs-Signature", signature),
        415,
        null);
    byte[] broken = "{\"type\": ".getBytes(StandardCharsets.UTF_8);
    assertProblem(
        gateway.post(
            "/v1/webhooks/elevenlabs",
            JSON_TYPE,
            broken,
            "ElevenLabs-Signature",
            Signers.elevenLabs(broken, now)),
        400,
        null);
    byte[] missing =
        "{\"type\": \"post_call_transcription\", \"data\": {}}".getBytes(StandardCharsets.UTF_8);
    assertProblem(
        gateway.post(
            "/v1/webhooks/elevenlabs",
            JSON_TYPE,
            missing,
            "ElevenLabs-Signature",
            Signers.elevenLabs(missing, now)),
        422,
        "data.conversation_id");
    byte[] huge = new byte[2 * 1024 * 1024 + 1];
    assertProblem(
        gateway.post("/v1/webhooks/vapi", JSON_TYPE, huge, "X-Vapi-Secret", Signers.VAPI_SECRET),
        413,
        null);
    assertProblem(
        gateway.post(
            "/v1/calls",
            JSON_TYPE,
            "{\"external_id\": \"x\"}".getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + Signers.ACME_API_KEY),
        422,
        "ended_at");
    assertProblem(gateway.get("/v1/nothing-here"), 404, null);

    long after =
        TopicReader.endOffsetSum(bootstrap, Topics.CALLS_ENDED)
            + TopicReader.endOffsetSum(bootstrap, Topics.RECORDINGS_UPLOADED);
    assertThat(after).isEqualTo(before);
  }

  @Test
  void progressEventsAreAcknowledgedButNotWritten() throws Exception {
    byte[] body =
        "{\"message\": {\"type\": \"status-update\", \"status\": \"in-progress\"}}"
            .getBytes(StandardCharsets.UTF_8);
    long before = TopicReader.endOffsetSum(bootstrap, Topics.CALLS_ENDED);
    HttpResponse<String> response =
        gateway.post("/v1/webhooks/vapi", JSON_TYPE, body, "X-Vapi-Secret", Signers.VAPI_SECRET);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).path("ignored").asBoolean()).isTrue();
    assertThat(TopicReader.endOffsetSum(bootstrap, Topics.CALLS_ENDED)).isEqualTo(before);
  }

  @Test
  void healthAndMetrics() {
    assertThat(gateway.get("/health/live").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200);
    gateway.post("/v1/webhooks/nowhere", JSON_TYPE, new byte[0]);
    String metrics = gateway.get("/metrics").body();
    assertThat(metrics)
        .contains("callstream_gateway_requests_total{outcome=\"rejected_404\",source=\"unknown\"}");
    assertThat(metrics).contains("callstream_gateway_request_latency_seconds_bucket");
    assertThat(metrics).contains("callstream_gateway_inflight");
  }

  private record Accepted(UUID callId, String eventId) {}

  private static Accepted accepted(HttpResponse<String> response) throws Exception {
    JsonNode body = JSON.readTree(response.body());
    return new Accepted(
        UUID.fromString(body.path("call_id").asText()), body.path("event_id").asText());
  }

  private CallEnded findCall(Accepted accepted) {
    ConsumerRecord<String, byte[]> record =
        recordOf(Topics.CALLS_ENDED, accepted.callId(), accepted.eventId()).orElseThrow();
    CallEnded call = calls.deserialize(record.topic(), record.value());
    assertThat(call.getCallId()).isEqualTo(accepted.callId());
    assertThat(call.getEventId()).isEqualTo(accepted.eventId());
    return call;
  }

  private RecordingUploaded findRecording(Accepted accepted) {
    ConsumerRecord<String, byte[]> record =
        recordOf(Topics.RECORDINGS_UPLOADED, accepted.callId(), accepted.eventId()).orElseThrow();
    return recordings.deserialize(record.topic(), record.value());
  }

  /** The record with this key and event id header; checks the headers every event carries. */
  private Optional<ConsumerRecord<String, byte[]>> recordOf(
      String topic, UUID callId, String eventId) {
    List<ConsumerRecord<String, byte[]>> matches =
        TopicReader.readAll(bootstrap, topic).stream()
            .filter(
                r ->
                    r.key().equals(callId.toString())
                        && eventId.equals(header(r, EventHeaders.EVENT_ID)))
            .toList();
    matches.forEach(
        r -> {
          assertThat(r.value()[0]).isZero();
          assertThat(header(r, EventHeaders.SOURCE)).isNotBlank();
          assertThat(Long.parseLong(header(r, EventHeaders.RECEIVED_AT))).isPositive();
          assertThat(header(r, EventHeaders.TRACEPARENT))
              .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
        });
    return matches.stream().findFirst();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void assertProblem(HttpResponse<String> response, int status, String field)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).isNotBlank();
    if (field != null) {
      assertThat(problem.path("field").asText()).isEqualTo(field);
    }
  }
}
