package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.cli.dev.DevEndpoints;
import io.callstream.cli.dev.DevSecrets;
import io.callstream.cli.dev.DevStack;
import io.callstream.devstack.registry.ApicurioRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How fresh the read side is: on a fresh {@code dev} stack with the local models, calls posted
 * through the gateway's API (five a second, each with a word of its own) are looked for by the
 * query API's search every 50 ms, all pending words in one text query; a call's freshness is the
 * time from its 202 until the first answer that has it. The first 20 calls warm the stack up and
 * are not counted.
 */
final class SearchFreshness {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WARMUP = 20;
  private static final Duration GAP = Duration.ofMillis(200);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private SearchFreshness() {}

  static ObjectNode measure(int calls) throws Exception {
    // Postgres runs as its own user and must reach its data folder
    Path dir =
        Files.createTempDirectory(
            "callstream-freshness",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (DevStack stack =
        DevStack.start(
            new DevStack.Settings(
                dir, new DevStack.Ports(0, 0, 0, 0, 0, 0, 0), null, ApicurioRegistry.home()),
            notice -> {})) {
      DevEndpoints endpoints = stack.endpoints();
      Client client =
          new Client(
              endpoints.get(DevEndpoints.GATEWAY),
              endpoints.get(DevEndpoints.QUERY),
              stack.secrets().get(DevSecrets.ACME_API_KEY),
              stack.secrets().get(DevSecrets.ACME_READ_KEY));
      client.run(WARMUP, "warm");
      List<Long> millis = client.run(calls, "fresh");
      Collections.sort(millis);
      ObjectNode figures = JSON.createObjectNode();
      figures.put("calls", calls);
      figures.put("p50_ms", millis.get(millis.size() / 2));
      figures.put("p95_ms", millis.get((int) Math.ceil(0.95 * millis.size()) - 1));
      figures.put("max_ms", millis.get(millis.size() - 1));
      figures.put("target_p95_ms", 2_000);
      return figures;
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Posts calls and finds them. */
  private static final class Client {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String gateway;
    private final SearchClient search;
    private final String apiKey;
    private final String readKey;

    Client(String gateway, String query, String apiKey, String readKey) {
      this.gateway = gateway;
      this.search = new SearchClient(query);
      this.apiKey = apiKey;
      this.readKey = readKey;
    }

    /** Posts {@code calls} calls and answers how long each took to be found, in ms. */
    List<Long> run(int calls, String label) throws Exception {
      Map<String, Long> pending = new ConcurrentHashMap<>();
      List<Long> found = Collections.synchronizedList(new ArrayList<>());
      String run = label + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
      Thread poller =
          Thread.ofPlatform()
              .name("freshness-poller")
              .start(
                  () -> {
                    try {
                      poll(pending, found, calls);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      for (int i = 0; i < calls; i++) {
        // ends in z, so that no call's word is the start of another's
        String word = run + "x" + i + "z";
        pending.put(word, post(word));
        Thread.sleep(GAP);
      }
      poller.join(PATIENCE.toMillis() + 10_000);
      if (found.size() < calls) {
        throw new IllegalStateException(
            found.size() + " of " + calls + " calls were found by search within " + PATIENCE);
      }
      return new ArrayList<>(found);
    }

    private void poll(Map<String, Long> pending, List<Long> found, int calls) throws Exception {
      long deadline = System.nanoTime() + PATIENCE.toNanos() + calls * GAP.toNanos();
      while (found.size() < calls && System.nanoTime() < deadline) {
        List<String> words = new ArrayList<>(pending.keySet());
        if (!words.isEmpty()) {
          JsonNode hits =
              search.search(
                  readKey,
                  String.join(" or ", words.subList(0, Math.min(40, words.size()))),
                  "&ranking=text&k=100");
          long now = System.nanoTime();
          for (JsonNode hit : hits) {
            for (String word : words) {
              Long posted = hit.path("text").asText().contains(word) ? pending.remove(word) : null;
              if (posted != null) {
                found.add((now - posted) / 1_000_000);
              }
            }
          }
        }
        Thread.sleep(POLL);
      }
    }

    /** Posts one call whose transcript has {@code word}; returns when its 202 came. */
    private long post(String word) throws Exception {
      ObjectNode body = JSON.createObjectNode();
      Instant ended = Instant.now();
      body.put("external_id", "freshness-" + word);
      body.put("ended_at", ended.toString());
      body.put("started_at", ended.minusSeconds(40).toString());
      body.put("direction", "inbound");
      ArrayNode turns = body.putArray("turns");
      String[][] lines = {
        {"agent", "Acme Appliances, this is Max, how can I help?"},
        {"user", "My fridge stopped cooling, the case number is " + word + "."},
        {"agent", "I have booked an engineer for case " + word + " on Monday."}
      };
      for (int i = 0; i < lines.length; i++) {
        turns
            .addObject()
            .put("role", lines[i][0])
            .put("text", lines[i][1])
            .put("start_ms", i * 8_000)
            .put("end_ms", i * 8_000 + 7_000);
      }
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(gateway + "/v1/calls"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + apiKey)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long accepted = System.nanoTime();
      if (response.statusCode() != 202) {
        throw new IllegalStateException(
            "the gateway answered " + response.statusCode() + ": " + response.body());
      }
      return accepted;
    }
  }
}
