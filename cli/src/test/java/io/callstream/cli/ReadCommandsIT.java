package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.postgres.PostgresService;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.AiUsage;
import io.callstream.events.CallChunk;
import io.callstream.events.CallStatus;
import io.callstream.events.ChunkSource;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Provider;
import io.callstream.events.Sentiment;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.TranscriptSource;
import io.callstream.query.QueryApiConfig;
import io.callstream.query.QueryApp;
import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.postgres.CallWriter;
import io.callstream.sinks.postgres.ChunkSetWriter;
import io.callstream.sinks.postgres.Schema;
import io.callstream.testkit.LocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code callstream search}, {@code calls list} and {@code calls show} against a running query API
 * over the real Postgres: readable tables by default, the API's JSON with {@code --json}, and the
 * API's refusal in words.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadCommandsIT {
  private static final String KEY = "cli-read-acme";
  private final UUID blender =
      UUID.nameUUIDFromBytes("cli/blender".getBytes(StandardCharsets.UTF_8));
  private final UUID flight = UUID.nameUUIDFromBytes("cli/flight".getBytes(StandardCharsets.UTF_8));
  private LocalEmbedder embedder;
  private QueryApp app;

  @BeforeAll
  void start(PostgresService postgres) {
    String url = postgres.freshDatabase("callstream_cli_read");
    Schema.migrate(url, postgres.user(), postgres.password(), LocalEmbedder.DIMENSIONS);
    Jdbi jdbi = Jdbi.create(url, postgres.user(), postgres.password());
    embedder = new LocalEmbedder(1);
    store(
        jdbi,
        blender,
        "blender refund",
        List.of("Acme, this is Ava.", "My blender broke, I want my money back."));
    store(
        jdbi,
        flight,
        "flight change",
        List.of("Acme Travel.", "Please move my flight to Lisbon to Sunday."));
    app =
        QueryApp.start(
            new QueryApiConfig("127.0.0.1", 0, url, postgres.user(), postgres.password(), null),
            ReadKeys.of(Map.of("acme", KEY), List.of()),
            embedder);
  }

  @AfterAll
  void stop() {
    app.close();
    embedder.close();
  }

  @Test
  void searchPrintsTheBestPassageFirst() {
    CommandTesting.Run run = read("search", "a broken kitchen appliance and a refund", "--k", "2");
    assertThat(run.code()).as(run.errors()).isZero();
    List<String> lines = run.output().lines().toList();
    assertThat(lines.get(0)).startsWith("#").contains("score").contains("passage");
    assertThat(lines.get(1))
        .startsWith("1")
        .contains(blender.toString())
        .contains("blender refund");
    assertThat(read("search", "Lisbon", "--json").output())
        .contains("\"hits\"")
        .contains("<mark>Lisbon</mark>");
  }

  @Test
  void callsAreListedNewestFirstAndShownWhole() {
    CommandTesting.Run list = read("calls", "list");
    assertThat(list.code()).as(list.errors()).isZero();
    List<String> lines = list.output().lines().toList();
    assertThat(lines.get(1)).contains(flight.toString()).contains("flight change");
    assertThat(lines.get(2)).contains(blender.toString());

    CommandTesting.Run show = read("calls", "show", blender.toString());
    assertThat(show.code()).as(show.errors()).isZero();
    assertThat(show.output()).contains("blender refund").contains("My blender broke");
  }

  @Test
  void aRefusalIsPrintedInWords() {
    CommandTesting.Run bad = read("calls", "list", "--limit", "500");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.errors()).contains("400").contains("limit");
    CommandTesting.Run unknown = read("calls", "show", UUID.randomUUID().toString());
    assertThat(unknown.code()).isNotZero();
    assertThat(unknown.errors()).contains("404");
  }

  private CommandTesting.Run read(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--query-url", "http://127.0.0.1:" + app.port(), "--key", KEY));
    return CommandTesting.run(all);
  }

  private void store(Jdbi jdbi, UUID callId, String title, List<String> lines) {
    Instant ended =
        callId.equals(flight)
            ? Instant.parse("2026-11-21T10:00:00Z")
            : Instant.parse("2026-11-20T10:00:00Z");
    new CallWriter(jdbi)
        .write(
            List.of(
                EnrichedCall.newBuilder()
                    .setCallId(callId)
                    .setTenantId("acme")
                    .setProvider(Provider.VAPI)
                    .setProviderCallId("cli-" + title)
                    .setVersion(ended.toEpochMilli())
                    .setDirection(Direction.INBOUND)
                    .setStatus(CallStatus.COMPLETED)
                    .setEndedAt(ended)
                    .setTitle(title)
                    .setSummary(String.join(" ", lines))
                    .setSentiment(Sentiment.NEUTRAL)
                    .setSuccess(SuccessVerdict.UNKNOWN)
                    .setTranscriptSource(TranscriptSource.PROVIDER)
                    .setAnalyzer("local")
                    .setModel("test")
                    .setPromptVersion("v1")
                    .setUsage(AiUsage.newBuilder().build())
                    .setEnrichedAt(ended)
                    .build()));
    List<CallChunk> chunks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Outcome<List<float[]>> vector =
          embedder.embed(List.of(lines.get(i))).toCompletableFuture().join();
      List<Float> embedding = new ArrayList<>();
      for (float v : ((Outcome.Success<List<float[]>>) vector).result().get(0)) {
        embedding.add(v);
      }
      chunks.add(
          CallChunk.newBuilder()
              .setCallId(callId)
              .setTenantId("acme")
              .setVersion(ended.toEpochMilli())
              .setChunkIndex(i)
              .setChunkCount(lines.size())
              .setSetHash("cli-" + title)
              .setText(lines.get(i))
              .setSource(ChunkSource.TRANSCRIPT)
              .setStartMs(i * 5_000L)
              .setEmbedding(embedding)
              .setEmbeddingModel(embedder.model())
              .setDims(embedding.size())
              .setCreatedAt(ended)
              .build());
    }
    new ChunkSetWriter(jdbi).write(chunks);
  }
}
