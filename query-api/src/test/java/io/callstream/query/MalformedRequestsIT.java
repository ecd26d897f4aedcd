package io.callstream.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.postgres.Schema;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed requests at every route of the read API: random paths, parameters of every name with
 * values of every shape, and keys right and wrong. Never a 5xx; every refusal a problem document.
 */
class MalformedRequestsIT {
  private static final String ACME_KEY = "read-acme-fuzz";
  private static final String OPERATOR_KEY = "operator-fuzz";
  private static final List<String> PATHS =
      List.of(
          "/v1/calls",
          "/v1/calls/%s",
          "/v1/calls/%s/similar",
          "/v1/calls/%s/audio",
          "/v1/dead-letters",
          "/v1/me",
          "/",
          "/app.js",
          "/v1/search",
          "/v1/callbacks",
          "/v1/stats",
          "/health/ready",
          "/v1/%s",
          "/%s");
  private static final List<String> NAMES =
      List.of(
          "q",
          "k",
          "tenant",
          "from",
          "to",
          "sentiment",
          "speaker",
          "ranking",
          "agent",
          "provider",
          "direction",
          "status",
          "success",
          "has_callback",
          "limit",
          "cursor",
          "due_after",
          "due_before",
          "granularity",
          "reason",
          "stage",
          "colour");

  private static PostgresCluster postgres;
  private static LocalEmbedder embedder;
  private static QueryApp app;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeContainer
  static void start() {
    postgres = PostgresCluster.startTemporary();
    Schema.migrate(
        postgres.jdbcUrl(), postgres.user(), postgres.password(), LocalEmbedder.DIMENSIONS);
    embedder = new LocalEmbedder(1);
    app =
        QueryApp.start(
            new QueryApiConfig(
                "127.0.0.1", 0, postgres.jdbcUrl(), postgres.user(), postgres.password(), null),
            ReadKeys.of(Map.of("acme", ACME_KEY), List.of(OPERATOR_KEY)),
            embedder);
  }

  @AfterContainer
  static void stop() {
    app.close();
    embedder.close();
    postgres.close();
  }

  @Property(tries = 400)
  void noRequestIsA5xxAndEveryRefusalIsAProblem(
      @ForAll("paths") String path, @ForAll("queries") String query, @ForAll("keys") String key)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:" + app.port() + path + (query.isEmpty() ? "" : "?" + query)));
    if (!key.isEmpty()) {
      request.header("Authorization", key);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as(path + "?" + query + " -> " + response.body())
        .isLessThan(500);
    if (response.statusCode() >= 300) {
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .as(path + "?" + query)
          .startsWith("application/problem+json");
    }
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> ids =
        Arbitraries.oneOf(
            Arbitraries.create(() -> java.util.UUID.randomUUID().toString()),
            Arbitraries.strings().alpha().numeric().withChars("-_.~").ofMaxLength(40),
            Arbitraries.of("00000000-0000-0000-0000-000000000000", "..", "%2e%2e", "%00"));
    return Combinators.combine(Arbitraries.of(PATHS), ids)
        .as((template, id) -> template.formatted(id));
  }

  @Provide
  Arbitrary<String> queries() {
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(60),
            Arbitraries.strings().ofMinLength(990).ofMaxLength(1010),
            Arbitraries.integers().between(-5, 200).map(String::valueOf),
            Arbitraries.of(
                "",
                "true",
                "false",
                "2026-11-20",
                "2026-11-20T10:00:00Z",
                "NEGATIVE",
                "hour",
                "day",
                "vector",
                "acme",
                "globex",
                "bm90LWEtY3Vyc29y",
                "MTIzOmFiYw",
                "%",
                "'; DROP"));
    Arbitrary<String> pair =
        Combinators.combine(Arbitraries.of(NAMES), values)
            .as((name, value) -> name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    return pair.list().ofMaxSize(5).map(pairs -> String.join("&", pairs));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.of(
        "", "Bearer " + ACME_KEY, "Bearer " + OPERATOR_KEY, "Bearer wrong", "Basic abc", "Bearer ");
  }
}
