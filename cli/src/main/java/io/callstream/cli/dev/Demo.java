package io.callstream.cli.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.callstream.cli.AgentMap;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.AgentTenant;
import io.callstream.events.Provider;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.sinks.search.ChunkSearch;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code callstream dev --demo}: maps two tenants' agents, posts realistic signed webhooks for them
 * (two ElevenLabs conversations, a Twilio call whose recording flite speaks, a generic call asking
 * for a callback), prints each call's summary, sentiment and callback as its row lands in Postgres,
 * then answers a semantic search over acme's calls.
 */
final class Demo {
  static final String SEARCH = "a customer wants their money back for a broken kitchen appliance";
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DUE =
      DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ROOT);

  private final DevStack stack;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String run = Long.toString(Instant.now().getEpochSecond(), 36);

  Demo(DevStack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  /** A call the demo posted: who it is for and how to name it. */
  private record Posted(UUID callId, String tenant, String label) {}

  void run() throws Exception {
    DevEndpoints at = stack.endpoints();
    mapAgents(at);
    Path audio = speak();
    HttpServer media = serve(audio);
    try {
      List<Posted> calls = new ArrayList<>();
      calls.add(
          elevenLabs(
              "agent_acme_support",
              "acme",
              "blender refund",
              List.of(
                  "Thanks for calling Acme Appliances, this is Ava. How can I help?",
                  "My new blender stopped working after two days and I would like my money back.",
                  "I am sorry to hear that. I have started a refund for the blender to your card.",
                  "Great, thank you so much, that was easy.")));
      calls.add(
          elevenLabs(
              "agent_globex_sales",
              "globex",
              "pricing question",
              List.of(
                  "Globex Solar, this is Sam. How can I help you today?",
                  "I am comparing quotes for panels on a three bedroom house.",
                  "Our installers can size that for you. Would you like a detailed quote?",
                  "Yes, but I am driving now. Please call me back tomorrow at 3pm.")));
      calls.add(generic());
      calls.add(twilio(media.getAddress().getPort()));
      out.printf(
          Locale.ROOT,
          "demo: %d calls posted (ElevenLabs x2, a generic call, a Twilio call with its recording); every webhook answered 202 once Kafka held it%n",
          calls.size());
      awaitAndPrint(calls, at);
      search(at);
    } finally {
      media.stop(0);
    }
  }

  private void mapAgents(DevEndpoints at) {
    AgentMap agents =
        new AgentMap(
            Map.of("bootstrap.servers", at.get(DevEndpoints.KAFKA)),
            new SchemaRegistryClient(at.get(DevEndpoints.REGISTRY)));
    agents.put(agent("agent_acme_support", "acme", "America/New_York", Provider.ELEVENLABS));
    agents.put(agent("agent_globex_sales", "globex", "Europe/London", Provider.ELEVENLABS));
    agents.put(agent(TWILIO_NUMBER, "globex", "Europe/London", Provider.TWILIO));
    out.println(
        "demo: agents mapped: agent_acme_support -> acme (America/New_York); agent_globex_sales and "
            + TWILIO_NUMBER
            + " -> globex (Europe/London)");
  }

  /** globex's Twilio number: Twilio names the number called as the agent. */
  private static final String TWILIO_NUMBER = "+442075550199";

  private static AgentTenant agent(String agent, String tenant, String zone, Provider provider) {
    return AgentTenant.newBuilder()
        .setAgentId(agent)
        .setTenantId(tenant)
        .setProvider(provider)
        .setTimeZone(zone)
        .setUpdatedAt(Instant.now())
        .build();
  }

  /** A signed ElevenLabs post_call_transcription webhook. */
  private Posted elevenLabs(String agent, String tenant, String label, List<String> lines)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "post_call_transcription");
    body.put("event_timestamp", now);
    ObjectNode data = body.putObject("data");
    data.put("agent_id", agent);
    data.put("conversation_id", "conv_demo_" + label.replace(' ', '_') + "_" + run);
    data.put("status", "done");
    ArrayNode transcript = data.putArray("transcript");
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode turn = transcript.addObject();
      turn.put("role", i % 2 == 0 ? "agent" : "user");
      turn.put("message", lines.get(i));
      turn.put("time_in_call_secs", i * 9);
    }
    ObjectNode metadata = data.putObject("metadata");
    metadata.put("start_time_unix_secs", now - 45);
    metadata.put("call_duration_secs", 40);
    byte[] bytes = JSON.writeValueAsBytes(body);
    String signature =
        "t="
            + now
            + ",v0="
            + hex(
                hmac(
                    "HmacSHA256",
                    DevSecrets.ELEVENLABS,
                    (now + ".").getBytes(StandardCharsets.UTF_8),
                    bytes));
    return new Posted(
        accepted(
            post(
                "/v1/webhooks/elevenlabs",
                "application/json",
                bytes,
                "ElevenLabs-Signature",
                signature)),
        tenant,
        "elevenlabs  " + label);
  }

  /** A call through callstream's own API, with acme's API key. */
  private Posted generic() throws Exception {
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
  private Posted twilio(int mediaPort) throws Exception {
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
    StringBuilder signed = new StringBuilder(stack.gatewayUrl() + path);
    StringBuilder form = new StringBuilder();
    for (var param : params.entrySet()) {
      signed.append(param.getKey()).append(param.getValue());
      if (!form.isEmpty()) {
        form.append('&');
      }
      form.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
    }
    String signature =
        Base64.getEncoder()
            .encodeToString(
                hmac(
                    "HmacSHA1",
                    DevSecrets.TWILIO,
                    signed.toString().getBytes(StandardCharsets.UTF_8)));
    return post(
        path,
        "application/x-www-form-urlencoded",
        form.toString().getBytes(StandardCharsets.UTF_8),
        "X-Twilio-Signature",
        signature);
  }

  /** A voicemail spoken by flite (16 kHz), standing in for Twilio's recording. */
  private Path speak() throws IOException, InterruptedException {
    Path wav = stack.dataDir().resolve("demo-voicemail.wav");
    Process flite =
        new ProcessBuilder(
                "flite",
                "-voice",
                "kal16",
                "-t",
                "Hello, I am calling about the leak under my kitchen sink. The water has been dripping"
                    + " since last night and the cabinet floor is wet. I would like someone to come out"
                    + " and look at it this week. Please call me back tomorrow morning at nine to set up"
                    + " a time. Thank you very much and have a good day.",
                "-o",
                wav.toString())
            .redirectErrorStream(true)
            .start();
    if (!flite.waitFor(60, TimeUnit.SECONDS) || flite.exitValue() != 0) {
      throw new IllegalStateException(
          "flite could not speak the demo voicemail: "
              + new String(flite.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return wav;
  }

  /** Serves the recording the way a provider's media host would. */
  private static HttpServer serve(Path audio) throws IOException {
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

  /** Waits for each call's row (and its callback) in Postgres and prints it as it lands. */
  private void awaitAndPrint(List<Posted> calls, DevEndpoints at) throws InterruptedException {
    Jdbi jdbi = jdbi(at);
    Map<UUID, Posted> waiting = new LinkedHashMap<>();
    calls.forEach(call -> waiting.put(call.callId(), call));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      for (var it = waiting.values().iterator(); it.hasNext(); ) {
        Posted call = it.next();
        Optional<Map<String, Object>> row = enrichedRow(jdbi, call.callId());
        if (row.isEmpty()) {
          continue;
        }
        Optional<Map<String, Object>> callback = Optional.empty();
        if (row.get().get("callback") != null) {
          callback = callbackRow(jdbi, call.callId());
          if (callback.isEmpty()) {
            continue; // the callback lands just after its call
          }
        }
        print(call, row.get(), callback);
        it.remove();
      }
      Thread.sleep(250);
    }
    for (Posted call : waiting.values()) {
      out.printf(
          Locale.ROOT,
          "  ... %s %s: not enriched within %d s; see the log and ./callstream dlt list%n",
          call.tenant(),
          call.label(),
          WAIT.toSeconds());
    }
  }

  private void print(Posted call, Map<String, Object> row, Optional<Map<String, Object>> callback) {
    Object score = row.get("sentiment_score");
    out.printf(
        Locale.ROOT,
        "  + %-7s %-30s sentiment %s%s, success %s%n",
        call.tenant(),
        call.label(),
        row.get("sentiment"),
        score == null ? "" : String.format(Locale.ROOT, " (%.2f)", ((Number) score).doubleValue()),
        row.get("success"));
    out.println("      summary:  " + row.get("summary"));
    callback.ifPresent(
        due -> {
          Instant at = ((java.sql.Timestamp) due.get("due_at")).toInstant();
          ZoneId zone = ZoneId.of((String) due.get("time_zone")).normalized();
          out.printf(
              Locale.ROOT,
              "      callback: %s %s (\"%s\")%n",
              DUE.format(at.atZone(zone)),
              zone.equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId(),
              due.get("phrase"));
        });
  }

  private void search(DevEndpoints at) throws InterruptedException {
    float[] query =
        stack.ai().embedder().embed(List.of(SEARCH)).toCompletableFuture().join()
                instanceof Outcome.Success<List<float[]>> success
            ? success.result().get(0)
            : null;
    if (query == null) {
      out.println("demo: the search question could not be embedded");
      return;
    }
    Jdbi jdbi = jdbi(at);
    List<ChunkSearch.Hit> hits = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (hits.isEmpty() && System.nanoTime() < deadline) {
      hits = new ChunkSearch(jdbi).nearest("acme", query, 3);
      if (hits.isEmpty()) {
        Thread.sleep(250);
      }
    }
    out.println();
    out.println("search acme's calls: \"" + SEARCH + "\"");
    int rank = 1;
    for (ChunkSearch.Hit hit : hits) {
      out.printf(
          Locale.ROOT,
          "  %d. distance %.3f  call %s  \"%s\"%n",
          rank++,
          hit.distance(),
          hit.callId(),
          abbreviate(hit.text(), 90));
    }
    out.println();
    out.println("demo: done; the stack keeps running (Ctrl-C stops it)");
  }

  private static Jdbi jdbi(DevEndpoints at) {
    return Jdbi.create(
        at.get(DevEndpoints.DATABASE),
        at.get(DevEndpoints.DATABASE_USER),
        at.get(DevEndpoints.DATABASE_PASSWORD));
  }

  private static Optional<Map<String, Object>> enrichedRow(Jdbi jdbi, UUID callId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT summary, sentiment, sentiment_score, success, callback FROM calls"
                        + " WHERE call_id = :id AND analyzer <> 'none'")
                .bind("id", callId)
                .mapToMap()
                .findOne());
  }

  private static Optional<Map<String, Object>> callbackRow(Jdbi jdbi, UUID callId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT due_at, time_zone, phrase FROM callbacks WHERE call_id = :id"
                        + " ORDER BY version DESC LIMIT 1")
                .bind("id", callId)
                .mapToMap()
                .findOne());
  }

  private byte[] hmac(String algorithm, String secret, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(
          new SecretKeySpec(
              stack.secrets().get(secret).getBytes(StandardCharsets.UTF_8), algorithm));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static String abbreviate(String text, int max) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
  }
}
