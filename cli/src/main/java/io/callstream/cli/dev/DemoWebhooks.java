package io.callstream.cli.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.callstream.devstack.Speech;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsAdapter;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsSignature;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsTranscription;
import io.callstream.gateway.provider.twilio.TwilioSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The demo's webhooks, signed as each provider signs them with the secrets of the local stack: an
 * ElevenLabs {@code post_call_transcription}, a call through callstream's own API, and a Twilio
 * call status callback followed by its recording's, whose audio flite speaks and a small HTTP
 * server serves as the provider's media host would.
 */
final class DemoWebhooks {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A call the demo posted: who it is for and how to name it. */
  record Posted(UUID callId, String tenant, String label) {}

  private final DevStack stack;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String run = Long.toString(Instant.now().getEpochSecond(), 36);

  DemoWebhooks(DevStack stack) {
    this.stack = stack;
  }

  /** globex's Twilio number: Twilio names the number called as the agent. */
  static final String TWILIO_NUMBER = "+442075550199";

  /** A signed ElevenLabs post_call_transcription webhook. */
  Posted elevenLabs(String agent, String tenant, String label, List<String> lines)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    ObjectNode body = ElevenLabsTranscription.of(agent, conversation(label), lines, now, 9);
    return new Posted(accepted(elevenLabsPost(body, now)), tenant, "elevenlabs  " + label);
  }

  /**
   * The recording of the conversation {@link #elevenLabs} posted as {@code label}: a signed {@code
   * post_call_audio} webhook carrying it, which the gateway keeps in its blob store.
   */
  UUID elevenLabsAudio(String agent, String label, Path audio) throws Exception {
    long now = Instant.now().getEpochSecond();
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "post_call_audio");
    body.put("event_timestamp", now);
    ObjectNode data = body.putObject("data");
    data.put("agent_id", agent);
    data.put("conversation_id", conversation(label));
    data.put("full_audio", Base64.getEncoder().encodeToString(Files.readAllBytes(audio)));
    return accepted(elevenLabsPost(body, now));
  }

  private String conversation(String label) {
    return "conv_demo_" + label.replace(' ', '_') + "_" + run;
  }

  private HttpResponse<String> elevenLabsPost(ObjectNode body, long now) throws Exception {
    byte[] bytes = JSON.writeValueAsBytes(body);
    return post(
        "/v1/webhooks/elevenlabs",
        "application/json",
        bytes,
        ElevenLabsAdapter.SIGNATURE_HEADER,
        ElevenLabsSignature.of(stack.secrets().get(DevSecrets.ELEVENLABS), now, bytes));
  }

  /** A call through callstream's own API, with acme's API key. */
  Posted generic() throws Exception {
    Instant ended = Instant.now();
    ObjectNode body = JSON.createObjectNode();
    body.put("external_id", "crm-call-" + run);
    body.put("ended_at", ended.toString());
    body.put("started_at", ended.minusSeconds(50).toString());
    body.put("agent_id", "agent_acme_support");
    body.put("direction", "inbound");
    body.put("from", "+12125550142");
    body.put("to", "+12125550100");
    ArrayNode turns = body.putArray("turns");
    String[][] lines = {
      {"agent", "Acme Appliances billing, this is Max."},
      {"user", "Hi, my invoice shows a delivery fee twice for the same washing machine."},
      {"agent", "I see it, that is our mistake. I need a supervisor to approve the credit."},
      {"user", "Fine. I am busy right now, please call me back on Friday at 10am."}
    };
    for (int i = 0; i < lines.length; i++) {
      ObjectNode turn = turns.addObject();
      turn.put("role", lines[i][0]);
      turn.put("text", lines[i][1]);
      turn.put("start_ms", i * 10_000);
      turn.put("end_ms", i * 10_000 + 8_000);
    }
    byte[] bytes = JSON.writeValueAsBytes(body);
    return new Posted(
        accepted(
            post(
                "/v1/calls",
                "application/json",
                bytes,
                "Authorization",
                "Bearer " + stack.secrets().get(DevSecrets.ACME_API_KEY))),
        "acme",
        "generic     billing callback");
  }

  /** A Twilio call status callback, then its recording status callback, both signed. */
  Posted twilio(int mediaPort) throws Exception {
    String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
    Map<String, String> status = new TreeMap<>();
    status.put("AccountSid", "ACdemo0000000000000000000000000000");
    status.put("CallSid", callSid);
    status.put("CallStatus", "completed");
    status.put("CallDuration", "14");
    status.put("Direction", "inbound");
    status.put("From", "+442075550123");
    status.put("To", TWILIO_NUMBER);
    UUID callId = accepted(twilioPost(status));
    Map<String, String> recording = new TreeMap<>();
    recording.put("AccountSid", "ACdemo0000000000000000000000000000");
    recording.put("CallSid", callSid);
    recording.put("RecordingSid", "RE" + callSid.substring(2));
    recording.put("RecordingStatus", "completed");
    recording.put("RecordingDuration", "14");
    recording.put("RecordingChannels", "1");
    recording.put("RecordingUrl", "http://127.0.0.1:" + mediaPort + "/recordings/" + callSid);
    accepted(twilioPost(recording));
    return new Posted(callId, "globex", "twilio      voicemail");
  }

  private HttpResponse<String> twilioPost(Map<String, String> params) throws Exception {
    String path = "/v1/webhooks/twilio";
    StringBuilder form = new StringBuilder();
    for (var param : params.entrySet()) {
      if (!form.isEmpty()) {
        form.append('&');
      }
      form.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
    }
    String signature =
        TwilioSignature.of(
            stack.secrets().get(DevSecrets.TWILIO), stack.gatewayUrl() + path, params);
    return post(
        path,
        "application/x-www-form-urlencoded",
        form.toString().getBytes(StandardCharsets.UTF_8),
        "X-Twilio-Signature",
        signature);
  }

  /** A voicemail spoken by flite (16 kHz), standing in for Twilio's recording. */
  Path speak() throws IOException, InterruptedException {
    return speak(
        "Hello, I am calling about the leak under my kitchen sink. The water has been dripping"
            + " since last night and the cabinet floor is wet. I would like someone to come out"
            + " and look at it this week. Please call me back tomorrow morning at nine to set up"
            + " a time. Thank you very much and have a good day.",
        "demo-voicemail.wav");
  }

  /** {@code text} spoken by flite into a 16 kHz WAV file {@code name} of the data folder. */
  Path speak(String text, String name) throws IOException, InterruptedException {
    return Speech.speak(text, stack.dataDir().resolve(name));
  }

  /** Serves the recording the way a provider's media host would. */
  static HttpServer serve(Path audio) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/recordings/",
        exchange -> {
          byte[] bytes = Files.readAllBytes(audio);
          exchange.getResponseHeaders().set("Content-Type", "audio/wav");
          exchange.sendResponseHeaders(200, bytes.length);
          try (var body = exchange.getResponseBody()) {
            body.write(bytes);
          }
        });
    server.start();
    return server;
  }

  private HttpResponse<String> post(
      String path, String contentType, byte[] body, String header, String value) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
            .header("Content-Type", contentType)
            .header(header, value)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static UUID accepted(HttpResponse<String> response) throws IOException {
    if (response.statusCode() != 202) {
      throw new IllegalStateException(
          "the gateway answered " + response.statusCode() + ": " + response.body());
    }
    return UUID.fromString(JSON.readTree(response.body()).path("call_id").asText());
  }
}
