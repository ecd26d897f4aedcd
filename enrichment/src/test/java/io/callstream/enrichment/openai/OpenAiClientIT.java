package io.callstream.enrichment.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.enrichment.simulator.AiSimulator.Faults;
import io.callstream.enrichment.simulator.AiSimulator.Latency;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible client against the AI simulator, over real HTTP. */
class OpenAiClientIT {
  private static final Conversation CALL =
      new Conversation(
          "call-1",
          List.of(
              new Utterance(
                  Speaker.AGENT,
                  "Thanks for calling Northwind Plumbing, how can I help?",
                  0L,
                  3_000L),
              new Utterance(
                  Speaker.USER,
                  "My water heater is leaking. Please call me back tomorrow at 3pm to confirm the price.",
                  3_200L,
                  9_000L),
              new Utterance(
                  Speaker.AGENT,
                  "You're booked for tomorrow morning. I'll send you a text with the details.",
                  9_500L,
                  13_000L)),
          Instant.parse("2026-11-18T13:30:00Z"),
          ZoneId.of("Europe/Berlin"));

  private AiSimulator simulator;
  private final List<OpenAiClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    simulator = AiSimulator.start(0, Latency.NONE, Faults.NONE);
  }

  @AfterEach
  void stop() {
    clients.forEach(OpenAiClient::close);
    simulator.close();
  }

  private OpenAiClient client(OpenAiLimits limits) {
    OpenAiClient client = new OpenAiClient(simulator.baseUrl(), "sk-test", limits);
    clients.add(client);
    return client;
  }

  private OpenAiClient client() {
    return client(
        new OpenAiLimits(32, 60_000, 10_000_000, Duration.ofSeconds(5), Duration.ofMillis(300)));
  }

  @Test
  void analyzesACallWithAStructuredAnswerAndPricesTheTokens() {
    OpenAiAnalyzer analyzer = new OpenAiAnalyzer(client(), "gpt-4o-mini", 0.15, 0.60);
    Outcome<Analysis> outcome = analyzer.analyze(CALL).toCompletableFuture().join();

    assertThat(outcome).isInstanceOf(Outcome.Success.class);
    Outcome.Success<Analysis> success = (Outcome.Success<Analysis>) outcome;
    Analysis analysis = success.result();
    assertThat(analysis.analyzer()).isEqualTo("openai");
    assertThat(analysis.model()).isEqualTo("gpt-4o-mini");
    assertThat(analysis.promptVersion()).isEqualTo("analyze-v1");
    assertThat(analysis.success()).isEqualTo(Analysis.Success.SUCCESSFUL);
    assertThat(analysis.callback().dueAt()).isEqualTo(Instant.parse("2026-11-19T14:00:00Z"));
    assertThat(analysis.topics()).contains("water");
    assertThat(success.usage().inputTokens()).isPositive();
    assertThat(success.usage().outputTokens()).isPositive();
    assertThat(success.usage().costUsd())
        .isEqualTo(
            (success.usage().inputTokens() * 0.15 + success.usage().outputTokens() * 0.60) / 1e6);
  }

  @Test
  void embedsInBatchesAndKeepsTheOrder() {
    OpenAiEmbedder embedder =
        new OpenAiEmbedder(client(), "text-embedding-3-small", 384, 100, 100_000);
    List<String> texts =
        IntStream.range(0, 250)
            .mapToObj(i -> "chunk number " + i + " about a leaking water heater")
            .toList();

    Outcome<List<float[]>> outcome = embedder.embed(texts).toCompletableFuture().join();

    List<float[]> vectors = ((Outcome.Success<List<float[]>>) outcome).result();
    assertThat(vectors).hasSize(250).allSatisfy(v -> assertThat(v).hasSize(384));
    assertThat(simulator.requests(AiSimulator.EMBEDDINGS)).isEqualTo(3);
    float[] alone =
        ((Outcome.Success<List<float[]>>)
                embedder.embed(List.of(texts.get(217))).toCompletableFuture().join())
            .result()
            .get(0);
    assertThat(alone).containsExactly(vectors.get(217));
    // asked for base64 (little-endian float32s), the vector holds the numbers a plain request gets
    JsonNode numbers =
        ((Outcome.Success<JsonNode>)
                client()
                    .postJson(
                        "/embeddings",
                        new ObjectMapper()
                            .createObjectNode()
                            .put("model", "text-embedding-3-small")
                            .put("dimensions", 384)
                            .put("input", texts.get(217)),
                        10)
                    .join())
            .result()
            .path("data")
            .get(0)
            .path("embedding");
    assertThat(numbers.size()).isEqualTo(384);
    for (int i = 0; i < 384; i++) {
      assertThat(alone[i]).isEqualTo((float) numbers.get(i).asDouble());
    }
  }

  @Test
  void tooManyRequestsIsTransientWithTheServersRetryAfter() {
    simulator.faults(new Faults(1.0, Duration.ofSeconds(7), 0, 0, 0, 0));
    Outcome<JsonNode> outcome = embed(client());
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Transient.class,
            t -> {
              assertThat(t.retryAfter()).isEqualTo(Duration.ofSeconds(7));
              assertThat(t.reason()).startsWith("429");
            });
  }

  @Test
  void serverErrorsAndTimeoutsAreTransientAndBadRequestsPermanent() {
    simulator.faults(new Faults(0, Duration.ZERO, 1.0, 0, 0, 0));
    assertThat(embed(client()))
        .isInstanceOfSatisfying(
            Outcome.Transient.class, t -> assertThat(t.reason()).startsWith("500"));

    simulator.faults(new Faults(0, Duration.ZERO, 0, 1.0, 0, 0));
    OpenAiClient impatient =
        client(
            new OpenAiLimits(4, 60_000, 10_000_000, Duration.ofMillis(500), Duration.ofSeconds(1)));
    assertThat(embed(impatient))
        .isInstanceOfSatisfying(
            Outcome.Transient.class, t -> assertThat(t.reason()).startsWith("timeout"));

    simulator.faults(new Faults(0, Duration.ZERO, 0, 0, 1.0, 0));
    assertThat(embed(client()))
        .isInstanceOfSatisfying(
            Outcome.Transient.class, t -> assertThat(t.reason()).startsWith("malformed response"));

    simulator.faults(Faults.NONE);
    Outcome<JsonNode> badRequest =
        client()
            .postJson(
                "/chat/completions", new ObjectMapper().createObjectNode().put("model", "m"), 10)
            .join();
    assertThat(badRequest)
        .isInstanceOfSatisfying(
            Outcome.Permanent.class,
            p -> assertThat(p.reason()).startsWith("400").contains("messages is required"));
  }

  @Test
  void anAnswerThatIsNotJsonGetsOneRepairAttemptThenFailsForGood() {
    simulator.faults(new Faults(0, Duration.ZERO, 0, 0, 0, 1.0));
    Outcome<Analysis> outcome =
        new OpenAiAnalyzer(client(), "gpt-4o-mini", 0, 0)
            .analyze(CALL)
            .toCompletableFuture()
            .join();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Permanent.class, p -> assertThat(p.reason()).startsWith("invalid_json"));
    assertThat(simulator.requests(AiSimulator.CHAT)).isEqualTo(2);
  }

  @Test
  void theRequestRateStaysWithinTenPercentOfTheLimit() {
    OpenAiClient paced =
        client(
            new OpenAiLimits(
                64, 6_000, 10_000_000, Duration.ofSeconds(10), Duration.ofSeconds(1))); // 100/s
    ConcurrentLinkedQueue<Long> done = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      calls.add(
          paced
              .postJson("/embeddings", embeddingRequest(), 5)
              .thenRun(() -> done.add(System.nanoTime())));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
    List<Long> times = done.stream().sorted().toList();
    double seconds = (times.get(times.size() - 1) - times.get(0)) / 1e9;
    double rate = (times.size() - 1) / seconds;
    System.out.printf("paced at 100/s: measured %.1f requests/s over %.2f s%n", rate, seconds);
    assertThat(rate).isBetween(90.0, 110.0);
  }

  @Test
  void theCircuitOpensAfterRepeatedFailuresAndClosesOnceTheEndpointRecovers() {
    OpenAiClient guarded = client();
    simulator.faults(new Faults(0, Duration.ZERO, 1.0, 0, 0, 0));
    for (int i = 0; i < 16; i++) { // half of a 32-request window
      embed(guarded);
    }
    assertThat(guarded.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
    long before = simulator.requests(AiSimulator.EMBEDDINGS);
    assertThat(embed(guarded))
        .isInstanceOfSatisfying(
            Outcome.Transient.class, t -> assertThat(t.reason()).startsWith("circuit open"));
    assertThat(simulator.requests(AiSimulator.EMBEDDINGS))
        .as("an open circuit sends nothing")
        .isEqualTo(before);

    simulator.faults(Faults.NONE);
    await().atMost(Duration.ofSeconds(5)).until(() -> embed(guarded) instanceof Outcome.Success<?>);
    embed(guarded);
    embed(guarded);
    assertThat(guarded.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  private static Outcome<JsonNode> embed(OpenAiClient client) {
    return client.postJson("/embeddings", embeddingRequest(), 5).join();
  }

  private static JsonNode embeddingRequest() {
    return new ObjectMapper().createObjectNode().put("model", "m").put("input", "hello");
  }
}
