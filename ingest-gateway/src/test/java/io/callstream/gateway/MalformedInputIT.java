package io.callstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.gateway.support.RawHttp;
import io.callstream.gateway.support.RawHttp.RawResponse;
import io.callstream.gateway.support.Signers;
import io.callstream.gateway.support.TestGateway;
import io.callstream.gateway.support.TopicReader;
import io.callstream.schemas.topics.SizeLimits;
import io.callstream.schemas.topics.Topics;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of malformed bodies, headers and signatures at every route: the gateway never answers
 * 5xx, never accepts a request it should refuse, and writes exactly one record per 202.
 */
class MalformedInputIT {
  private static final List<String> ROUTES =
      List.of(
          "/v1/webhooks/elevenlabs",
          "/v1/webhooks/vapi",
          "/v1/webhooks/vapi-hmac",
          "/v1/webhooks/retell",
          "/v1/webhooks/twilio",
          "/v1/webhooks/telnyx",
          "/v1/webhooks/unknown-source",
          "/v1/calls",
          "/v1/recordings");
  private static final List<String> SIGNATURE_HEADERS =
      List.of(
          "ElevenLabs-Signature",
          "X-Vapi-Secret",
          "X-Vapi-Signature",
          "x-retell-signature",
          "X-Twilio-Signature",
          "telnyx-signature-ed25519",
          "telnyx-timestamp",
          "Authorization",
          "traceparent",
          "Idempotency-Key");
  private static final List<String> FIXTURES =
      List.of(
          "elevenlabs-post_call_transcription.json",
          "vapi-end-of-call-report.json",
          "retell-call_analyzed.json",
          "telnyx-call.hangup.json",
          "twilio-status-completed.form");

  private static KafkaBroker broker;
  private static ApicurioRegistry registry;
  private static TestGateway gateway;
  private static long recordsBefore;
  private static final AtomicLong accepted = new AtomicLong();

  @BeforeContainer
  static void start() {
    broker = KafkaBroker.startTemporary();
    registry = ApicurioRegistry.start();
    gateway = TestGateway.start(broker.bootstrapServers(), registry.url(), Duration.ofSeconds(5));
    recordsBefore = records();
  }

  @AfterContainer
  static void stop() {
    try {
      // Every record written is one that was answered 202, and nothing else was written.
      assertThat(records() - recordsBefore).isEqualTo(accepted.get());
    } finally {
      gateway.close();
      registry.close();
      broker.close();
    }
  }

  /** Random bytes, broken JSON and mangled fixtures, with random headers, to every route. */
  @Property(tries = 1500)
  void garbageIsRefusedWithAProblemAndNeverA5xx(
      @ForAll("routes") String route,
      @ForAll("bodies") byte[] body,
      @ForAll("contentTypes") String contentType,
      @ForAll("headers") List<String> headers) {
    HttpResponse<String> response =
        gateway.post(route, contentType, body, headers.toArray(String[]::new));
    int status = response.statusCode();
    assertThat(status).as(response.body()).isLessThan(500);
    if (status == 202) {
      accepted.incrementAndGet();
    } else if (status != 200) {
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
    }
    if (!route.equals("/v1/calls") && !route.equals("/v1/recordings")
        || !headers.contains("Bearer " + Signers.ACME_API_KEY)) {
      // Without a valid signature or key, nothing may be accepted.
      assertThat(status).as(response.body()).isNotIn(200, 202);
    }
  }

  /** A real fixture whose signature header was mangled is refused with 401. */
  @Property(tries = 1000)
  void aMangledSignatureIsA401(
      @ForAll("mangledSignatures") String signature, @ForAll("staleness") long secondsAgo) {
    byte[] body = Signers.fixture("elevenlabs-post_call_transcription.json");
    String header =
        secondsAgo == 0
            ? signature
            : Signers.elevenLabs(body, Instant.now().getEpochSecond() - secondsAgo);
    HttpResponse<String> response =
        gateway.post(
            "/v1/webhooks/elevenlabs", "application/json", body, "ElevenLabs-Signature", header);
    assertThat(response.statusCode()).as(header + " -> " + response.body()).isEqualTo(401);
  }

  /**
   * With a valid key, JSON of the wrong shape is a 400 or 422 naming the problem, or (if it happens
   * to be valid) a 202.
   */
  @Property(tries = 1000)
  void genericBodiesOfTheWrongShapeAreNamed(@ForAll("genericBodies") String body) {
    HttpResponse<String> response =
        gateway.post(
            "/v1/calls",
            "application/json",
            body.getBytes(StandardCharsets.UTF_8),
            "Authorization",
            "Bearer " + Signers.ACME_API_KEY);
    assertThat(response.statusCode()).as(body + " -> " + response.body()).isIn(202, 400, 422);
    if (response.statusCode() == 202) {
      accepted.incrementAndGet();
    } else {
      assertThat(response.body()).contains("\"detail\"");
    }
  }

  /**
   * A header value with a control character never reaches a handler: Jetty refuses it, and the
   * refusal is a problem document like every other. Sent over a raw socket, since Java's HTTP
   * client will not send such a header.
   */
  @Property(tries = 300)
  void headerValuesWithControlCharactersAreProblems(
      @ForAll("routes") String route,
      @ForAll("controlCharacters") char control,
      @ForAll("headers") List<String> headers) {
    String name = headers.isEmpty() ? "X-Anything" : headers.get(0);
    RawResponse response =
        RawHttp.post(
            gateway.app().port(),
            route,
            "application/json",
            "{}".getBytes(StandardCharsets.UTF_8),
            name,
            "value" + control + "tail");
    assertThat(response.status()).as(response.toString()).isBetween(400, 499);
    assertThat(response.contentType())
        .as(response.toString())
        .startsWith("application/problem+json");
    assertThat(response.body()).as(response.toString()).contains("\"status\":" + response.status());
  }

  /**
   * Bodies around the call limit: under it, whatever a route makes of them is no 5xx; over it, a
   * 413 problem naming the limit, for every route (the audio source only past its own limit).
   */
  @Property(tries = 40)
  void bodiesNearTheLimitAreNeverA5xx(
      @ForAll("routes") String route, @ForAll("offsetsFromTheLimit") int offset) {
    int size = SizeLimits.MAX_CALL_BODY_BYTES + offset;
    byte[] body = new byte[size];
    java.util.Arrays.fill(body, (byte) 'a');
    HttpResponse<String> response =
        gateway.post(
            route, "application/json", body, "Authorization", "Bearer " + Signers.ACME_API_KEY);
    assertThat(response.statusCode()).as(response.body()).isLessThan(500).isNotEqualTo(202);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    // the audio source takes larger bodies; Twilio posts forms, so JSON is a 415 there first
    boolean takesJsonCalls =
        !List.of("/v1/webhooks/elevenlabs", "/v1/webhooks/unknown-source", "/v1/webhooks/twilio")
            .contains(route);
    if (offset > 0 && takesJsonCalls) {
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(response.body()).contains(Integer.toString(SizeLimits.MAX_CALL_BODY_BYTES));
    }
  }

  @Provide
  Arbitrary<Character> controlCharacters() {
    return Arbitraries.chars().range('\u0001', '\u001f').filter(c -> c != '\t');
  }

  @Provide
  Arbitrary<Integer> offsetsFromTheLimit() {
    return Arbitraries.oneOf(Arbitraries.integers().between(-64, 64), Arbitraries.of(-1, 0, 1));
  }

  @Provide
  Arbitrary<String> routes() {
    return Arbitraries.of(ROUTES);
  }

  @Provide
  Arbitrary<String> contentTypes() {
    return Arbitraries.of(
        "application/json",
        "application/json; charset=utf-8",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data",
        "",
        "application/JSON");
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    Arbitrary<byte[]> text =
        Arbitraries.strings().ofMaxLength(512).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> mangled =
        Combinators.combine(
                Arbitraries.of(FIXTURES),
                Arbitraries.integers().between(0, 4000),
                Arbitraries.strings().ofMaxLength(8))
            .as(
                (name, cut, insert) -> {
                  String fixture = new String(Signers.fixture(name), StandardCharsets.UTF_8);
                  int at = Math.min(cut, fixture.length());
                  return (fixture.substring(0, at)
                          + insert
                          + fixture.substring(Math.min(fixture.length(), at + insert.length() + 1)))
                      .getBytes(StandardCharsets.UTF_8);
                });
    Arbitrary<byte[]> jsonScalars =
        Arbitraries.of(
                "null",
                "[]",
                "42",
                "\"x\"",
                "{}",
                "{\"type\":null}",
                "{\"data\":[]}",
                "{\"message\":\"x\"}")
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(random, text, mangled, jsonScalars);
  }

  @Provide
  Arbitrary<List<String>> headers() {
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().alpha().numeric().withChars("=,-_ ").ofMaxLength(80),
            Arbitraries.of(
                "t=1,v0=00",
                "v=0,d=zz",
                "Bearer ",
                "Bearer wrong",
                "Bearer " + Signers.ACME_API_KEY,
                "1763647407",
                "not-a-traceparent",
                Signers.VAPI_SECRET + "x"));
    return Combinators.combine(Arbitraries.of(SIGNATURE_HEADERS), values)
        .as(List::of)
        .list()
        .ofMaxSize(4)
        .map(
            pairs -> {
              List<String> flat = new ArrayList<>();
              pairs.stream()
                  .filter(p -> p.get(1).strip().equals(p.get(1)) && !p.get(1).isEmpty())
                  .forEach(flat::addAll);
              return flat;
            });
  }

  @Provide
  Arbitrary<String> mangledSignatures() {
    String valid =
        Signers.elevenLabs(
            Signers.fixture("elevenlabs-post_call_transcription.json"),
            Instant.now().getEpochSecond());
    return Arbitraries.oneOf(
        Arbitraries.integers()
            .between(0, valid.length() - 1)
            .map(
                cut ->
                    valid.substring(0, cut)
                        + (valid.charAt(cut) == 'a' ? 'b' : 'a')
                        + valid.substring(cut + 1)),
        Arbitraries.integers().between(1, valid.length() - 1).map(cut -> valid.substring(0, cut)),
        Arbitraries.strings().alpha().numeric().withChars("=,").ofMinLength(1).ofMaxLength(120));
  }

  @Provide
  Arbitrary<Long> staleness() {
    // 0 means "use the mangled signature"; otherwise a valid signature that is too old or too new,
    // by more than the seconds that can pass between signing here and checking in the gateway (a
    // signature 1801 s ahead, checked a second later, is 1800 s ahead: within the tolerance).
    return Arbitraries.oneOf(
        Arbitraries.just(0L),
        Arbitraries.longs().between(1810, 10_000_000),
        Arbitraries.longs().between(-10_000_000, -1810));
  }

  @Provide
  Arbitrary<String> genericBodies() {
    Arbitrary<String> value =
        Arbitraries.of(
            "null",
            "1",
            "-5",
            "1.5",
            "true",
            "\"\"",
            "\"x\"",
            "\"2026-11-20T15:00:00Z\"",
            "[]",
            "{}",
            "[{}]",
            "[{\"role\":\"agent\"}]");
    Arbitrary<String> field =
        Arbitraries.of(
            "external_id",
            "ended_at",
            "started_at",
            "duration_ms",
            "direction",
            "status",
            "turns",
            "metadata",
            "agent_id");
    return Combinators.combine(field, value)
        .as((f, v) -> "\"" + f + "\": " + v)
        .list()
        .ofMaxSize(6)
        .map(fields -> "{" + String.join(", ", fields) + "}");
  }

  private static long records() {
    return TopicReader.endOffsetSum(broker.bootstrapServers(), Topics.CALLS_ENDED)
        + TopicReader.endOffsetSum(broker.bootstrapServers(), Topics.RECORDINGS_UPLOADED);
  }
}
