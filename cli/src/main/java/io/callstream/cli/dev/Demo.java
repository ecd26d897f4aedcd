package io.callstream.cli.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.callstream.cli.AgentMap;
import io.callstream.events.AgentTenant;
import io.callstream.events.Provider;
import io.callstream.schemas.registry.SchemaRegistryClient;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
  private final DemoWebhooks webhooks;

  Demo(DevStack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
    this.webhooks = new DemoWebhooks(stack);
  }

  void run() throws Exception {
    DevEndpoints at = stack.endpoints();
    mapAgents(at);
    Path audio = webhooks.speak();
    HttpServer media = DemoWebhooks.serve(audio);
    try {
      List<DemoWebhooks.Posted> calls = new ArrayList<>();
      calls.add(
          webhooks.elevenLabs(
              "agent_acme_support",
              "acme",
              "blender refund",
              List.of(
                  "Thanks for calling Acme Appliances, this is Ava. How can I help?",
                  "My new blender stopped working after two days and I would like my money back.",
                  "I am sorry to hear that. I have started a refund for the blender to your card.",
                  "Great, thank you so much, that was easy.")));
      calls.add(
          webhooks.elevenLabs(
              "agent_globex_sales",
              "globex",
              "pricing question",
              List.of(
                  "Globex Solar, this is Sam. How can I help you today?",
                  "I am comparing quotes for panels on a three bedroom house.",
                  "Our installers can size that for you. Would you like a detailed quote?",
                  "Yes, but I am driving now. Please call me back tomorrow at 3pm.")));
      calls.add(webhooks.generic());
      calls.add(webhooks.twilio(media.getAddress().getPort()));
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
    agents.put(agent(DemoWebhooks.TWILIO_NUMBER, "globex", "Europe/London", Provider.TWILIO));
    out.println(
        "demo: agents mapped: agent_acme_support -> acme (America/New_York); agent_globex_sales and "
            + DemoWebhooks.TWILIO_NUMBER
            + " -> globex (Europe/London)");
  }

  private static AgentTenant agent(String agent, String tenant, String zone, Provider provider) {
    return AgentTenant.newBuilder()
        .setAgentId(agent)
        .setTenantId(tenant)
        .setProvider(provider)
        .setTimeZone(zone)
        .setUpdatedAt(Instant.now())
        .build();
  }

  /** Waits for each call's row (and its callback) in Postgres and prints it as it lands. */
  private void awaitAndPrint(List<DemoWebhooks.Posted> calls, DevEndpoints at)
      throws InterruptedException {
    Jdbi jdbi = jdbi(at);
    Map<UUID, DemoWebhooks.Posted> waiting = new LinkedHashMap<>();
    calls.forEach(call -> waiting.put(call.callId(), call));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      for (var it = waiting.values().iterator(); it.hasNext(); ) {
        DemoWebhooks.Posted call = it.next();
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
    for (DemoWebhooks.Posted call : waiting.values()) {
      out.printf(
          Locale.ROOT,
          "  ... %s %s: not enriched within %d s; see the log and ./callstream dlt list%n",
          call.tenant(),
          call.label(),
          WAIT.toSeconds());
    }
  }

  private void print(
      DemoWebhooks.Posted call, Map<String, Object> row, Optional<Map<String, Object>> callback) {
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

  /** The search a user would make: through the query API, with acme's read key. */
  private void search(DevEndpoints at) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    at.get(DevEndpoints.QUERY)
                        + "/v1/search?k=3&q="
                        + URLEncoder.encode(SEARCH, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + stack.secrets().get(DevSecrets.ACME_READ_KEY))
            .build();
    JsonNode hits = JSON.createArrayNode();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (hits.isEmpty() && System.nanoTime() < deadline) {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        out.println(
            "demo: the query API answered " + response.statusCode() + ": " + response.body());
        return;
      }
      hits = JSON.readTree(response.body()).path("hits");
      if (hits.isEmpty()) {
        Thread.sleep(250);
      }
    }
    out.println();
    out.println("search acme's calls through the query API: \"" + SEARCH + "\"");
    int rank = 1;
    for (JsonNode hit : hits) {
      out.printf(
          Locale.ROOT,
          "  %d. score %.4f  call %s  \"%s\"%n",
          rank++,
          hit.path("score").asDouble(),
          hit.path("call_id").asText(),
          abbreviate(hit.path("text").asText().replace("<mark>", "").replace("</mark>", ""), 90));
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

  private static String abbreviate(String text, int max) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
  }
}
