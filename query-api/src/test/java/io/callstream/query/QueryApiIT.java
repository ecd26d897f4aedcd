package io.callstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.AgentTenant;
import io.callstream.events.AiUsage;
import io.callstream.events.AudioFormat;
import io.callstream.events.CallChunk;
import io.callstream.events.CallStatus;
import io.callstream.events.Callback;
import io.callstream.events.CallbackStatus;
import io.callstream.events.ChunkSource;
import io.callstream.events.CriterionResult;
import io.callstream.events.CriterionVerdict;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.ErrorClass;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.Sentiment;
import io.callstream.events.Stage;
import io.callstream.events.StageError;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.TenantStats;
import io.callstream.events.TranscriptSource;
import io.callstream.events.WorkItem;
import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.postgres.CallWriter;
import io.callstream.sinks.postgres.ChunkSetWriter;
import io.callstream.sinks.postgres.DeadLetterWriter;
import io.callstream.sinks.postgres.RowWriters;
import io.callstream.sinks.postgres.Schema;
import io.callstream.sinks.search.HybridSearch;
import io.callstream.testkit.LocalServices;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The read API on the real Postgres with pgvector, over two tenants' calls written by the sinks'
 * own writers, interleaved, with chunks embedded by the local model: every route answers as
 * documented, a key sees only its tenant, an exact order number is found first by hybrid search
 * though not by the vector ranking alone, and bad requests are problems naming the parameter.
 */
@ExtendWith(LocalServices.class)
class QueryApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACME_KEY = "read-acme-7f3c";
  private static final String GLOBEX_KEY = "read-globex-91ab";
  private static final String OPERATOR_KEY = "operator-2d4e";
  private static final String ORDER = "QX-40917-B";

  private static final Map<String, List<String>> ACME = new LinkedHashMap<>();
  private static final Map<String, List<String>> GLOBEX = new LinkedHashMap<>();

  static {
    ACME.put(
        "blender",
        List.of(
            "Thanks for calling Acme Appliances, this is Ava. How can I help?",
            "My new blender stopped working after two days and I would like my money back.",
            "I am sorry. I have started a refund for the blender to your card."));
    ACME.put(
        "order",
        List.of(
            "Acme Appliances, this is Max.",
            "The fridge I bought has not come; the courier said next week, and it is order "
                + ORDER
                + " if that helps you find it.",
            "I see it, the warehouse ships it on Monday."));
    // codes that look alike: nearer in embedding space to the order number than its own call
    ACME.put(
        "references",
        List.of(
            "Acme billing, this is Max.",
            "My references are QX-40971-B, QX-49017-B and QB-40917-X.",
            "Thanks, I have noted QX-40971-B and QB-40917-X."));
    ACME.put(
        "flight",
        List.of(
            "Acme Travel, this is Ava speaking.",
            "I need to move my flight to Lisbon from Friday to Sunday morning.",
            "Done, your flight now leaves Sunday at nine."));
    ACME.put(
        "delivery",
        List.of(
            "Acme Appliances, good morning.",
            "Where is my parcel? The delivery of my washing machine is late.",
            "It is on the truck and arrives this afternoon."));
    GLOBEX.put(
        "inverter",
        List.of(
            "Globex Solar, this is Sam.",
            "The Zanzibar inverter on my roof shows a red fault light since Tuesday.",
            "I will send an engineer to reset the Zanzibar inverter."));
    GLOBEX.put(
        "refund",
        List.of(
            "Globex Kitchens, how can I help?",
            "My blender broke and I want a refund please.",
            "Of course, the refund is on its way."));
  }

  private static final byte[] AUDIO = new byte[10_000];

  private static QueryApp app;
  private static Path blobs;
  private static LocalEmbedder embedder;
  private static Jdbi jdbi;
  private static final Map<String, UUID> ids = new LinkedHashMap<>();
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(PostgresService postgres) throws Exception {
    String url = postgres.freshDatabase("callstream_query");
    Schema.migrate(url, postgres.user(), postgres.password(), LocalEmbedder.DIMENSIONS);
    jdbi = Jdbi.create(url, postgres.user(), postgres.password());
    embedder = new LocalEmbedder(1);
    Instant ended = Instant.parse("2026-11-20T10:00:00Z");
    List<String> acme = new ArrayList<>(ACME.keySet());
    List<String> globex = new ArrayList<>(GLOBEX.keySet());
    // interleaved: a page of one tenant's calls has the other's between them in time
    for (int i = 0; i < Math.max(acme.size(), globex.size()); i++) {
      if (i < acme.size()) {
        store("acme", acme.get(i), ACME.get(acme.get(i)), ended.plusSeconds(600L * i));
      }
      if (i < globex.size()) {
        store(
            "globex", globex.get(i), GLOBEX.get(globex.get(i)), ended.plusSeconds(600L * i + 300));
      }
    }
    RowWriters rows = new RowWriters(jdbi);
    rows.agents(
        List.of(
            agent("agent-acme", "acme", "America/New_York"),
            agent("agent-acme-2", "acme", "America/New_York"),
            agent("agent-acme-3", "acme", "Europe/Paris"),
            agent("agent-globex", "globex", "Europe/London"),
            agent("agent-gone", "globex", "Asia/Tokyo"),
            new RowWriters.Agent("agent-gone", null)));
    rows.callbacks(
        List.of(
            callback("acme", "delivery", ended.plusSeconds(7200)),
            callback("globex", "inverter", ended.plusSeconds(3600))));
    rows.tenantStats(
        List.of(
            stats("acme", Instant.parse("2026-11-20T10:00:00Z"), 3, 1),
            stats("acme", Instant.parse("2026-11-20T11:00:00Z"), 2, 2),
            stats("acme", Instant.parse("2026-11-21T09:00:00Z"), 4, 0),
            stats("globex", Instant.parse("2026-11-20T10:00:00Z"), 50, 9)));
    DeadLetterWriter deadLetters = new DeadLetterWriter(jdbi);
    // the mark of the first entry lands before the entry itself
    deadLetters.redrives(List.of(new DeadLetterWriter.Redrive(0, 10, ended.plusSeconds(90))));
    deadLetters.entries(
        List.of(
            deadLetter(0, 10, "acme", "order", "http_400", ended.plusSeconds(60)),
            deadLetter(0, 11, "acme", "flight", "http_400", ended.plusSeconds(120)),
            deadLetter(1, 5, "globex", "refund", "exhausted", ended.plusSeconds(30)),
            deadLetter(2, 7, null, "nobody", "unknown_agent", ended.plusSeconds(10))));
    deadLetters.entries(List.of(deadLetter(0, 11, "acme", "flight", "http_400", ended))); // again
    Instant now = Instant.now();
    UUID waiting = UUID.nameUUIDFromBytes("acme/waiting".getBytes(StandardCharsets.UTF_8));
    ids.put("acme/waiting", waiting);
    rows.retries(
        List.of(
            // a call not enriched yet, on its second retry of ANALYZE
            retry(waiting, "acme", "5m", 2, now.minusSeconds(20)),
            // a retry from before the delivery call was written: stale, the call is complete
            retry(ids.get("acme/delivery"), "acme", "30s", 1, ended),
            // the blender call reprocessed after it was written, and failing again
            retry(ids.get("acme/blender"), "acme", "1h", 3, now.plusSeconds(3600))));
    blobs = Files.createTempDirectory("query-blobs");
    Path wav = Files.createDirectories(blobs.resolve("acme")).resolve("blender.wav");
    for (int i = 0; i < AUDIO.length; i++) {
      AUDIO[i] = (byte) (i * 31 + 7);
    }
    Files.write(wav, AUDIO);
    Path outside = Files.createTempFile("not-a-blob", ".wav");
    rows.recordings(
        List.of(
            recording("acme/blender", wav.toUri().toString()),
            recording("acme/order", "https://api.twilio.com/2010-04-01/Recordings/RE123.wav"),
            recording("acme/flight", outside.toUri().toString())));
    app =
        QueryApp.start(
            new QueryApiConfig(
                "127.0.0.1", 0, url, postgres.user(), postgres.password(), null, blobs, null, null),
            ReadKeys.of(Map.of("acme", ACME_KEY, "globex", GLOBEX_KEY), List.of(OPERATOR_KEY)),
            embedder);
  }

  @AfterAll
  static void stop() {
    app.close();
    embedder.close();
  }

  @Test
  void aQuestionFindsTheCallItDescribesFirst() throws Exception {
    JsonNode hits =
        search(ACME_KEY, "a customer wants money back for a broken kitchen appliance", "");
    assertThat(hits.get(0).path("call_id").asText()).isEqualTo(ids.get("acme/blender").toString());
    assertThat(hits.get(0).path("title").asText()).isEqualTo("blender");
    assertThat(hits.get(0).path("summary").asText()).contains("blender");
  }

  @Test
  void anExactOrderNumberRanksItsCallFirstThoughTheVectorRankingAloneDoesNot() throws Exception {
    JsonNode hybrid = search(ACME_KEY, ORDER, "");
    assertThat(hybrid.get(0).path("call_id").asText()).isEqualTo(ids.get("acme/order").toString());
    assertThat(hybrid.get(0).path("text").asText()).contains("<mark>");
    JsonNode vector = search(ACME_KEY, ORDER, "&ranking=vector");
    assertThat(vector).isNotEmpty();
    assertThat(vector.get(0).path("call_id").asText())
        .isNotEqualTo(ids.get("acme/order").toString());
  }

  @Test
  void aTenantKeyNeverSeesAnotherTenantsCalls() throws Exception {
    Set<String> globexCalls = new HashSet<>();
    ids.forEach(
        (name, id) -> {
          if (name.startsWith("globex/")) {
            globexCalls.add(id.toString());
          }
        });
    // text that only globex's calls contain
    for (JsonNode hit : search(ACME_KEY, "Zanzibar inverter red fault light", "")) {
      assertThat(globexCalls).doesNotContain(hit.path("call_id").asText());
    }
    for (JsonNode call : JSON.readTree(get("/v1/calls?limit=100", ACME_KEY).body()).path("calls")) {
      assertThat(call.path("tenant_id").asText()).isEqualTo("acme");
    }
    HttpResponse<String> other = get("/v1/calls/" + ids.get("globex/inverter"), ACME_KEY);
    HttpResponse<String> unknown = get("/v1/calls/" + UUID.randomUUID(), ACME_KEY);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(detailOf(other.body()))
        .isEqualTo(detailOf(unknown.body()).replace(uuidIn(unknown.body()), uuidIn(other.body())));
    assertThat(get("/v1/calls?tenant=globex", ACME_KEY).statusCode()).isEqualTo(400);
    // the operator reads either, when it names the tenant
    assertThat(get("/v1/calls/" + ids.get("globex/inverter"), OPERATOR_KEY).statusCode())
        .isEqualTo(200);
    assertThat(
            search(OPERATOR_KEY, "Zanzibar inverter", "&tenant=globex")
                .get(0)
                .path("call_id")
                .asText())
        .isEqualTo(ids.get("globex/inverter").toString());
  }

  @Test
  void pagesOfCallsAreNewestFirstAndTheCursorWalksThemAll() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          JSON.readTree(
              get("/v1/calls?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), ACME_KEY)
                  .body());
      page.path("calls")
          .forEach(
              call ->
                  seen.add(call.path("ended_at").asText() + " " + call.path("call_id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
    } while (cursor != null);
    assertThat(seen).hasSize(ACME.size()).doesNotHaveDuplicates();
    assertThat(seen).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    JsonNode refunds = JSON.readTree(get("/v1/calls?q=refund&sentiment=negative", ACME_KEY).body());
    assertThat(refunds.path("calls")).hasSize(1);
    // the plan's results: a criterion's verdict, a field of the extracted data
    JsonNode failed = JSON.readTree(get("/v1/calls?criterion=resolved:failure", ACME_KEY).body());
    JsonNode negative = JSON.readTree(get("/v1/calls?sentiment=negative", ACME_KEY).body());
    assertThat(failed.path("calls")).isNotEmpty().hasSameSizeAs(negative.path("calls"));
    JsonNode flight = JSON.readTree(get("/v1/calls?extracted=name:flight", ACME_KEY).body());
    assertThat(flight.path("calls")).hasSize(1);
    assertThat(flight.path("calls").get(0).path("title").asText()).isEqualTo("flight");
  }

  @Test
  void aCallIsReadWholeWithItsChunks() throws Exception {
    HttpResponse<String> response = get("/v1/calls/" + ids.get("acme/flight"), ACME_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode call = JSON.readTree(response.body());
    assertThat(call.path("title").asText()).isEqualTo("flight");
    assertThat(call.path("topics").get(0).asText()).isEqualTo("flight");
    assertThat(call.path("chunks")).hasSize(3);
    assertThat(call.path("chunks").get(1).path("text").asText()).contains("Lisbon");
    assertThat(call.path("callbacks")).isEmpty();
  }

  @Test
  void similarCallsAreTheTenantsOwnAndNeverTheCallItself() throws Exception {
    HttpResponse<String> response =
        get("/v1/calls/" + ids.get("acme/blender") + "/similar?k=3", ACME_KEY);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode calls = JSON.readTree(response.body()).path("calls");
    assertThat(calls).hasSize(3);
    Set<String> acme = new HashSet<>();
    ids.forEach(
        (name, id) -> {
          if (name.startsWith("acme/") && !name.equals("acme/blender")) {
            acme.add(id.toString());
          }
        });
    calls.forEach(call -> assertThat(acme).contains(call.path("call_id").asText()));
    assertThat(get("/v1/calls/" + ids.get("globex/refund") + "/similar", ACME_KEY).statusCode())
        .isEqualTo(404);
  }

  @Test
  void callbacksAndStatsAreTheTenantsOwn() throws Exception {
    JsonNode callbacks = JSON.readTree(get("/v1/callbacks", ACME_KEY).body()).path("callbacks");
    assertThat(callbacks).hasSize(1);
    assertThat(callbacks.get(0).path("call_id").asText())
        .isEqualTo(ids.get("acme/delivery").toString());
    assertThat(callbacks.get(0).path("tenant_id").asText()).isEqualTo("acme");
    assertThat(JSON.readTree(get("/v1/callbacks?status=due", ACME_KEY).body()).path("callbacks"))
        .isEmpty();
    assertThat(
            JSON.readTree(get("/v1/callbacks?due_after=2026-11-21", ACME_KEY).body())
                .path("callbacks"))
        .isEmpty();

    JsonNode days =
        JSON.readTree(get("/v1/stats?granularity=day", ACME_KEY).body()).path("buckets");
    assertThat(days).hasSize(2);
    assertThat(days.get(0).path("calls").asLong()).isEqualTo(5);
    assertThat(days.get(0).path("negative").asLong()).isEqualTo(3);
    assertThat(days.get(1).path("calls").asLong()).isEqualTo(4);
    JsonNode hours =
        JSON.readTree(get("/v1/stats?from=2026-11-20T11:00:00Z&to=2026-11-21", ACME_KEY).body())
            .path("buckets");
    assertThat(hours).hasSize(1);
    assertThat(hours.get(0).path("calls").asLong()).isEqualTo(2);
    assertProblem(get("/v1/stats?granularity=week", ACME_KEY), 400, "granularity");
    assertProblem(get("/v1/callbacks?status=maybe", ACME_KEY), 400, "status");
  }

  @Test
  void anUnreachableOrEmptyDatabaseIsA503WithRetryAfterNeverA500(PostgresService postgres)
      throws Exception {
    String empty = postgres.freshDatabase("callstream_query_empty");
    int nobody = io.callstream.devstack.FreePorts.next();
    for (String url : List.of(empty, "jdbc:postgresql://127.0.0.1:" + nobody + "/callstream")) {
      try (QueryApp other =
          QueryApp.start(
              new QueryApiConfig("127.0.0.1", 0, url, postgres.user(), postgres.password(), null),
              ReadKeys.of(Map.of("acme", ACME_KEY), List.of()),
              embedder)) {
        for (String path : List.of("/v1/calls", "/v1/search?q=refund", "/health/ready")) {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + path))
                      .header("Authorization", "Bearer " + ACME_KEY)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode()).as(url + path + " " + response.body()).isEqualTo(503);
          assertThat(response.headers().firstValue("Retry-After")).isPresent();
          assertThat(response.headers().firstValue("Content-Type").orElse(""))
              .startsWith("application/problem+json");
        }
      }
    }
  }

  /**
   * The OpenAPI document describes exactly the routes the server has, and for each route exactly
   * the parameters it takes (the server names them when refusing one it does not).
   */
  @Test
  void theOpenApiDocumentMatchesTheRealRoutes() throws Exception {
    HttpResponse<String> response = get("/openapi.json", null);
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode doc = JSON.readTree(response.body());
    assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
    Set<String> documented = new HashSet<>();
    doc.path("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            documented.add(
                                method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey())));
    Set<String> real = new HashSet<>();
    real.addAll(app.routes());
    assertThat(documented).isEqualTo(real);

    for (var path : (Iterable<Map.Entry<String, JsonNode>>) doc.path("paths")::fields) {
      if (!path.getKey().startsWith("/v1/") || !path.getValue().has("get")) {
        continue; // the redrive POST takes a body, no parameters
      }
      Set<String> params = new java.util.TreeSet<>();
      path.getValue()
          .path("get")
          .path("parameters")
          .forEach(
              parameter -> {
                if (parameter.path("in").asText().equals("query")) {
                  params.add(parameter.path("name").asText());
                }
              });
      String url = path.getKey().replace("{id}", ids.get("acme/blender").toString());
      JsonNode refusal = JSON.readTree(get(url + "?zz_undocumented=1", ACME_KEY).body());
      assertThat(refusal.path("parameter").asText()).as(url).isEqualTo("zz_undocumented");
      assertThat(refusal.path("detail").asText())
          .as(url)
          .endsWith("this route takes " + new ArrayList<>(params));
    }
  }

  @Test
  void deadLettersAreGroupedAndEachKeySeesOnlyItsOwn() throws Exception {
    JsonNode acme = JSON.readTree(get("/v1/dead-letters", ACME_KEY).body());
    assertThat(acme.path("groups")).hasSize(1);
    JsonNode group = acme.path("groups").get(0);
    assertThat(group.path("reason").asText()).isEqualTo("http_400");
    assertThat(group.path("stage").asText()).isEqualTo("ANALYZE");
    assertThat(group.path("count").asLong()).isEqualTo(1); // the other was redriven
    assertThat(group.path("example").path("id").asText()).isEqualTo("0-11");
    assertThat(acme.path("entries")).hasSize(1);
    assertThat(acme.path("entries").get(0).path("call_id").asText())
        .isEqualTo(ids.get("acme/flight").toString());
    assertThat(acme.path("entries").get(0).path("errors").get(0).path("message").asText())
        .isEqualTo("400 the request was refused");

    JsonNode operator = JSON.readTree(get("/v1/dead-letters", OPERATOR_KEY).body());
    List<String> reasons = new ArrayList<>();
    operator.path("groups").forEach(g -> reasons.add(g.path("reason").asText()));
    assertThat(reasons).containsExactlyInAnyOrder("http_400", "exhausted", "unknown_agent");
    assertThat(
            JSON.readTree(get("/v1/dead-letters?reason=unknown_agent", OPERATOR_KEY).body())
                .path("entries"))
        .hasSize(1);

    JsonNode order = JSON.readTree(get("/v1/calls/" + ids.get("acme/order"), ACME_KEY).body());
    assertThat(order.path("dead_letters")).hasSize(1);
    assertThat(order.path("dead_letters").get(0).path("redriven_at").isNull()).isFalse();
  }

  @Test
  void aCallsDetailSaysWhereItStandsInThePipeline() throws Exception {
    JsonNode waiting = JSON.readTree(get("/v1/calls/" + ids.get("acme/waiting"), ACME_KEY).body());
    assertThat(waiting.path("tenant_id").asText()).isEqualTo("acme");
    JsonNode pipeline = waiting.path("pipeline");
    assertThat(pipeline.path("state").asText()).isEqualTo("retrying");
    assertThat(pipeline.path("tier").asText()).isEqualTo("5m");
    assertThat(pipeline.path("stage").asText()).isEqualTo("ANALYZE");
    assertThat(pipeline.path("attempt").asInt()).isEqualTo(2);
    assertThat(java.time.OffsetDateTime.parse(pipeline.path("due_at").asText()))
        .isAfter(java.time.OffsetDateTime.parse(pipeline.path("since").asText()));
    assertThat(pipeline.path("errors")).hasSize(2);
    assertThat(get("/v1/calls/" + ids.get("acme/waiting"), GLOBEX_KEY).statusCode()).isEqualTo(404);

    assertThat(state("acme/delivery", ACME_KEY)).isEqualTo("completed");
    assertThat(state("acme/blender", ACME_KEY)).isEqualTo("retrying");
    // dead-lettered, then written anyway by a later run: complete
    assertThat(state("acme/flight", ACME_KEY)).isEqualTo("completed");
    JsonNode nobody =
        JSON.readTree(
            get(
                    "/v1/calls/"
                        + UUID.nameUUIDFromBytes("nobody".getBytes(StandardCharsets.UTF_8)),
                    OPERATOR_KEY)
                .body());
    assertThat(nobody.path("pipeline").path("state").asText()).isEqualTo("dead_lettered");
    assertThat(nobody.path("pipeline").path("reason").asText()).isEqualTo("unknown_agent");
    assertThat(nobody.path("pipeline").path("dead_letter_id").asText()).isEqualTo("2-7");
  }

  @Test
  void aRecordingInTheBlobStoreIsServedWholeOrByRange() throws Exception {
    String path = "/v1/calls/" + ids.get("acme/blender") + "/audio";
    HttpResponse<byte[]> whole = audio(path, ACME_KEY, null);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).hasValue("audio/wav");
    assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(whole.body()).isEqualTo(AUDIO);

    HttpResponse<byte[]> middle = audio(path, ACME_KEY, "bytes=100-199");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");
    assertThat(middle.body()).isEqualTo(java.util.Arrays.copyOfRange(AUDIO, 100, 200));
    HttpResponse<byte[]> tail = audio(path, ACME_KEY, "bytes=-10");
    assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 9990-9999/10000");
    assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(AUDIO, 9990, 10_000));
    HttpResponse<byte[]> rest = audio(path, ACME_KEY, "bytes=9000-");
    assertThat(rest.body()).isEqualTo(java.util.Arrays.copyOfRange(AUDIO, 9000, 10_000));

    HttpResponse<byte[]> past = audio(path, ACME_KEY, "bytes=10000-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */10000");
    assertThat(past.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(audio(path, ACME_KEY, "bytes=oops").statusCode()).isEqualTo(200);

    assertThat(audio(path, GLOBEX_KEY, null).statusCode()).isEqualTo(404);
    HttpResponse<String> platform = get("/v1/calls/" + ids.get("acme/order") + "/audio", ACME_KEY);
    assertProblem(platform, 404, null);
    assertThat(detailOf(platform.body())).contains("kept by its platform");
    // a file: URL outside the blob store is never read
    assertProblem(get("/v1/calls/" + ids.get("acme/flight") + "/audio", ACME_KEY), 404, null);
    assertProblem(get("/v1/calls/" + ids.get("acme/delivery") + "/audio", ACME_KEY), 404, null);
  }

  @Test
  void aKeySaysWhoItReadsAsWithTheTenantsTimeZone() throws Exception {
    JsonNode acme = JSON.readTree(get("/v1/me", ACME_KEY).body());
    assertThat(acme.path("role").asText()).isEqualTo("tenant");
    assertThat(acme.path("tenant").asText()).isEqualTo("acme");
    assertThat(acme.path("time_zone").asText()).isEqualTo("America/New_York");
    JsonNode operator = JSON.readTree(get("/v1/me", OPERATOR_KEY).body());
    assertThat(operator.path("role").asText()).isEqualTo("operator");
    List<String> tenants = new ArrayList<>();
    operator
        .path("tenants")
        .forEach(t -> tenants.add(t.path("tenant").asText() + " " + t.path("time_zone").asText()));
    // the removed agent's zone is gone with it
    assertThat(tenants).containsExactly("acme America/New_York", "globex Europe/London");
    assertProblem(get("/v1/me", null), 401, null);
  }

  @Test
  void badRequestsAreProblemsNamingTheParameter() throws Exception {
    assertProblem(get("/v1/calls", null), 401, null);
    assertProblem(get("/v1/calls", "wrong-key"), 401, null);
    assertProblem(get("/v1/calls?colour=red", ACME_KEY), 400, "colour");
    assertProblem(get("/v1/calls?cursor=bm90LWEtY3Vyc29y", ACME_KEY), 400, "cursor");
    assertProblem(get("/v1/calls?from=yesterday", ACME_KEY), 400, "from");
    assertProblem(get("/v1/calls?limit=101", ACME_KEY), 400, "limit");
    assertProblem(get("/v1/calls?sentiment=furious", ACME_KEY), 400, "sentiment");
    assertProblem(get("/v1/calls?criterion=resolved:maybe", ACME_KEY), 400, "criterion");
    assertProblem(get("/v1/calls?extracted=name", ACME_KEY), 400, "extracted");
    assertProblem(get("/v1/search?q=x&k=101", ACME_KEY), 400, "k");
    assertProblem(get("/v1/search?q=" + "a".repeat(1001), ACME_KEY), 400, "q");
    assertProblem(get("/v1/search", ACME_KEY), 400, "q");
    assertProblem(get("/v1/calls?q=%00", ACME_KEY), 400, "q");
    assertProblem(get("/v1/search?q=refund%00", ACME_KEY), 400, "q");
    assertProblem(get("/v1/search?q=x", OPERATOR_KEY), 400, "tenant");
    assertProblem(get("/v1/nothing", ACME_KEY), 404, null);
  }

  @Test
  void theSearchPlanStaysCustomThroughManyExecutionsOnOneConnection() {
    float[] vector = embed("money back for a broken blender");
    jdbi.useHandle(
        handle -> {
          Jdbi one = Jdbi.create(handle.getConnection());
          HybridSearch search = new HybridSearch(one);
          for (int i = 0; i < 12; i++) {
            assertThat(
                    search.search(
                        "acme",
                        "blender",
                        vector,
                        5,
                        100,
                        HybridSearch.Filter.NONE,
                        HybridSearch.Ranking.HYBRID))
                .isNotEmpty();
          }
          // past the driver's prepare threshold the statement is prepared on the server, and
          // Postgres would switch to a generic plan; it never does
          List<Map<String, Object>> prepared =
              handle
                  .createQuery(
                      "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                          + " WHERE statement LIKE '%by_vector%'")
                  .mapToMap()
                  .list();
          assertThat(prepared).isNotEmpty();
          for (Map<String, Object> statement : prepared) {
            assertThat(((Number) statement.get("generic_plans")).longValue()).isZero();
            assertThat(((Number) statement.get("custom_plans")).longValue()).isPositive();
          }
        });
  }

  private static void assertProblem(HttpResponse<String> response, int status, String parameter)
      throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("detail").asText()).isNotBlank();
    if (parameter != null) {
      assertThat(problem.path("parameter").asText()).isEqualTo(parameter);
    }
  }

  private static String state(String call, String key) throws Exception {
    HttpResponse<String> response = get("/v1/calls/" + ids.get(call), key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("pipeline").path("state").asText();
  }

  private static HttpResponse<byte[]> audio(String path, String key, String range)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
            .header("Authorization", "Bearer " + key);
    if (range != null) {
      request.header("Range", range);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String detailOf(String body) throws Exception {
    return JSON.readTree(body).path("detail").asText();
  }

  private static String uuidIn(String body) throws Exception {
    String detail = detailOf(body);
    return detail.substring(detail.length() - 36);
  }

  private static JsonNode search(String key, String q, String more) throws Exception {
    HttpResponse<String> response =
        get("/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + more, key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body()).path("hits");
  }

  private static HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void store(String tenant, String name, List<String> lines, Instant endedAt) {
    UUID callId = UUID.nameUUIDFromBytes((tenant + "/" + name).getBytes(StandardCharsets.UTF_8));
    ids.put(tenant + "/" + name, callId);
    long version = endedAt.toEpochMilli();
    boolean unhappy = String.join(" ", lines).matches(".*(broke|stopped working|late|fault).*");
    new CallWriter(jdbi)
        .write(
            List.of(
                EnrichedCall.newBuilder()
                    .setCallId(callId)
                    .setTenantId(tenant)
                    .setAgentId("agent-" + tenant)
                    .setProvider(Provider.ELEVENLABS)
                    .setProviderCallId("conv-" + name)
                    .setVersion(version)
                    .setDirection(Direction.INBOUND)
                    .setStatus(CallStatus.COMPLETED)
                    .setEndedAt(endedAt)
                    .setDurationMs(60_000L)
                    .setTitle(name)
                    .setSummary(lines.get(1) + " " + lines.get(2))
                    .setSentiment(unhappy ? Sentiment.NEGATIVE : Sentiment.NEUTRAL)
                    .setSuccess(SuccessVerdict.UNKNOWN)
                    .setTopics(List.of(name))
                    .setExtractedJson("{\"name\": \"" + name + "\"}")
                    .setEvaluation(
                        List.of(
                            new CriterionResult(
                                "resolved",
                                unhappy ? CriterionVerdict.FAILURE : CriterionVerdict.SUCCESS,
                                "fixture")))
                    .setTranscriptSource(TranscriptSource.PROVIDER)
                    .setAnalyzer("local")
                    .setModel("test")
                    .setPromptVersion("v1")
                    .setUsage(AiUsage.newBuilder().build())
                    .setEnrichedAt(endedAt.plusSeconds(5))
                    .build()));
    List<CallChunk> chunks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      List<Float> embedding = new ArrayList<>();
      for (float v : embed(lines.get(i))) {
        embedding.add(v);
      }
      chunks.add(
          CallChunk.newBuilder()
              .setCallId(callId)
              .setTenantId(tenant)
              .setVersion(version)
              .setChunkIndex(i)
              .setChunkCount(lines.size())
              .setSetHash("set-" + name)
              .setText(lines.get(i))
              .setSource(ChunkSource.TRANSCRIPT)
              .setSpeaker(i % 2 == 0 ? "agent" : "user")
              .setStartMs(i * 10_000L)
              .setEndMs(i * 10_000L + 9_000)
              .setEmbedding(embedding)
              .setEmbeddingModel(embedder.model())
              .setDims(embedding.size())
              .setCreatedAt(endedAt.plusSeconds(6))
              .build());
    }
    new ChunkSetWriter(jdbi).write(chunks);
  }

  private static DeadLetterWriter.Entry deadLetter(
      int partition, long offset, String tenant, String call, String reason, Instant at) {
    UUID callId =
        tenant == null
            ? UUID.nameUUIDFromBytes(call.getBytes(StandardCharsets.UTF_8))
            : ids.get(tenant + "/" + call);
    return new DeadLetterWriter.Entry(
        partition,
        offset,
        at,
        WorkItem.newBuilder()
            .setCallId(callId)
            .setEventId("evt-" + call)
            .setTenantId(tenant)
            .setStage(Stage.ANALYZE)
            .setAttempt(1)
            .setAcceptedAt(at.minusSeconds(5))
            .setErrors(
                List.of(
                    new StageError(
                        Stage.ANALYZE,
                        1,
                        at,
                        ErrorClass.PERMANENT,
                        reason,
                        "400 the request was refused")))
            .setDeadLetterReason(reason)
            .setSourceTopic("calls.ended.v1")
            .setSourcePartition(partition)
            .setSourceOffset(offset * 3)
            .build());
  }

  private static RowWriters.Agent agent(String agent, String tenant, String zone) {
    return new RowWriters.Agent(
        agent,
        AgentTenant.newBuilder()
            .setAgentId(agent)
            .setTenantId(tenant)
            .setProvider(Provider.ELEVENLABS)
            .setTimeZone(zone)
            .setUpdatedAt(Instant.parse("2026-11-20T09:00:00Z"))
            .build());
  }

  private static RowWriters.Retry retry(
      UUID callId, String tenant, String tier, int attempt, Instant failedAt) {
    List<StageError> errors = new ArrayList<>();
    for (int i = 1; i <= attempt; i++) {
      errors.add(
          new StageError(
              Stage.ANALYZE,
              i,
              failedAt.minusSeconds(60L * (attempt - i)),
              ErrorClass.TRANSIENT,
              "http_503",
              "503 the provider is overloaded"));
    }
    return new RowWriters.Retry(
        tier,
        failedAt,
        WorkItem.newBuilder()
            .setCallId(callId)
            .setEventId("evt-" + callId)
            .setTenantId(tenant)
            .setStage(Stage.ANALYZE)
            .setAttempt(attempt)
            .setDueAt(failedAt.plusSeconds(300))
            .setAcceptedAt(failedAt.minusSeconds(600))
            .setErrors(errors)
            .build());
  }

  private static RecordingUploaded recording(String call, String audioUrl) {
    return RecordingUploaded.newBuilder()
        .setCallId(ids.get(call))
        .setEventId("rec-" + call)
        .setProvider(Provider.TWILIO)
        .setProviderCallId("CA-" + call)
        .setAudioUrl(audioUrl)
        .setFormat(AudioFormat.WAV)
        .setSizeBytes((long) AUDIO.length)
        .setReceivedAt(Instant.parse("2026-11-20T10:00:00Z"))
        .build();
  }

  private static Callback callback(String tenant, String call, Instant due) {
    return Callback.newBuilder()
        .setCallbackId(
            UUID.nameUUIDFromBytes(("cb/" + tenant + call).getBytes(StandardCharsets.UTF_8)))
        .setCallId(ids.get(tenant + "/" + call))
        .setTenantId(tenant)
        .setDueAt(due)
        .setTimeZone("Europe/London")
        .setReason("asked to be called back")
        .setStatus(CallbackStatus.SCHEDULED)
        .setVersion(1)
        .setCreatedAt(due.minusSeconds(60))
        .build();
  }

  private static TenantStats stats(String tenant, Instant hour, long calls, long negative) {
    return TenantStats.newBuilder()
        .setTenantId(tenant)
        .setWindowStart(hour)
        .setWindowEnd(hour.plusSeconds(3600))
        .setCalls(calls)
        .setTotalDurationMs(calls * 60_000)
        .setPositive(0)
        .setNeutral(calls - negative)
        .setNegative(negative)
        .setMixed(0)
        .setSuccessful(0)
        .setCallbacks(0)
        .setInputTokens(100 * calls)
        .setOutputTokens(10 * calls)
        .setCostUsd(0.001 * calls)
        .setUpdatedAt(hour.plusSeconds(3600))
        .build();
  }

  private static float[] embed(String text) {
    Outcome<List<float[]>> outcome = embedder.embed(List.of(text)).toCompletableFuture().join();
    return ((Outcome.Success<List<float[]>>) outcome).result().get(0);
  }
}
