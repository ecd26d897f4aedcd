package io.callstream.sinks;

import static io.callstream.events.CallbackStatus.DUE;
import static io.callstream.events.CallbackStatus.SCHEDULED;
import static io.callstream.sinks.Samples.vector;
import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.postgres.PostgresService;
import io.callstream.events.CallDocument;
import io.callstream.events.Callback;
import io.callstream.events.CallbackStatus;
import io.callstream.sinks.postgres.CallWriter;
import io.callstream.sinks.postgres.ChunkSetWriter;
import io.callstream.sinks.postgres.RowWriters;
import io.callstream.sinks.postgres.Schema;
import io.callstream.sinks.search.ChunkSearch;
import io.callstream.testkit.LocalServices;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The writers and search on a real Postgres with pgvector. */
@ExtendWith(LocalServices.class)
class SinkWritersIT {
  private Jdbi jdbi;

  @BeforeEach
  void migrate(PostgresService postgres) {
    Schema.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password(), 8);
    jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());
  }

  @Test
  void migratingAgainChangesNothing(PostgresService postgres) {
    assertThat(
            Schema.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password(), 8)
                .migrationsExecuted)
        .isZero();
    String type =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'call_chunks'::regclass AND attname = 'embedding'")
                    .mapTo(String.class)
                    .one());
    assertThat(type).isEqualTo("halfvec(8)");
  }

  @Test
  void aCallIsReplacedOnlyByANewerVersion() {
    CallWriter writer = new CallWriter(jdbi);
    UUID callId = UUID.randomUUID();

    assertThat(writer.write(List.of(Samples.call(callId, "acme", 100, "first")))).isEqualTo(1);
    String firstXmin = xmin("calls", callId);
    assertThat(writer.write(List.of(Samples.call(callId, "acme", 100, "first"))))
        .as("a replay writes nothing")
        .isZero();
    assertThat(xmin("calls", callId)).isEqualTo(firstXmin);
    assertThat(writer.write(List.of(Samples.call(callId, "acme", 200, "second")))).isEqualTo(1);
    assertThat(writer.write(List.of(Samples.call(callId, "acme", 150, "stale"))))
        .as("an older version is ignored")
        .isZero();

    assertThat(summary(callId)).isEqualTo("second");
    var row =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT tenant_id, version, topics[1], parties::text, cost_usd FROM calls WHERE call_id = :id")
                    .bind("id", callId)
                    .mapToMap()
                    .one());
    assertThat(row)
        .containsEntry("tenant_id", "acme")
        .containsEntry("version", 200L)
        .containsEntry("topics", "water")
        .containsEntry("parties", "[]");
  }

  @Test
  void aDocumentIsReplacedByANewerVersionOrARewriteWithAnotherPrompt() {
    RowWriters writer = new RowWriters(jdbi);
    UUID callId = UUID.randomUUID();
    Instant first = Instant.parse("2026-11-20T14:05:00Z");

    assertThat(writer.documents(List.of(document(callId, 100, "v1", first, "first")))).isOne();
    String firstXmin = xmin("documents", callId);
    assertThat(writer.documents(List.of(document(callId, 100, "v1", first, "first"))))
        .as("a replay of the same document writes nothing")
        .isZero();
    assertThat(
            writer.documents(
                List.of(document(callId, 100, "v1", first.plusSeconds(60), "same prompt"))))
        .as("the same prompt again, later, is still a replay")
        .isZero();
    assertThat(xmin("documents", callId)).isEqualTo(firstXmin);

    assertThat(
            writer.documents(
                List.of(document(callId, 100, "v2", first.plusSeconds(120), "rewritten"))))
        .as("a replay after a prompt change rewrites the row")
        .isOne();
    assertThat(
            writer.documents(List.of(document(callId, 100, "v3", first.plusSeconds(30), "late"))))
        .as("a rewrite older than the stored one is ignored")
        .isZero();
    assertThat(writer.documents(List.of(document(callId, 50, "v4", first.plusSeconds(600), "old"))))
        .as("an older version is ignored, whatever its prompt")
        .isZero();
    assertThat(markdown(callId)).isEqualTo("rewritten");

    assertThat(writer.documents(List.of(document(callId, 200, "v1", first, "newer version"))))
        .as("a newer version wins, even when generated earlier")
        .isOne();
    assertThat(markdown(callId)).isEqualTo("newer version");
  }

  @Test
  void aWaitingCallbackIsRescheduledWithinItsVersionButASentOneStaysSent() {
    RowWriters writer = new RowWriters(jdbi);
    UUID callId = UUID.randomUUID();
    UUID callbackId = UUID.randomUUID();
    Instant t0 = Instant.parse("2026-03-10T14:00:00Z");
    Instant three = Instant.parse("2026-03-11T15:00:00Z");
    Instant four = Instant.parse("2026-03-11T16:00:00Z");

    assertThat(writer.callbacks(List.of(callback(callId, callbackId, SCHEDULED, three, t0))))
        .isOne();
    assertThat(writer.callbacks(List.of(callback(callId, callbackId, SCHEDULED, three, t0))))
        .as("a replay of the schedule writes nothing")
        .isZero();
    assertThat(
            writer.callbacks(
                List.of(callback(callId, callbackId, SCHEDULED, four, t0.plusSeconds(60)))))
        .as("rescheduled by a replay after a prompt change")
        .isOne();
    assertThat(writer.callbacks(List.of(callback(callId, callbackId, SCHEDULED, three, t0))))
        .as("the earlier schedule, replayed from the topic, does not come back")
        .isZero();
    assertThat(dueAt(callbackId)).isEqualTo(four);

    assertThat(
            writer.callbacks(List.of(callback(callId, callbackId, DUE, four, t0.plusSeconds(60)))))
        .isOne();
    assertThat(
            writer.callbacks(
                List.of(
                    callback(
                        callId,
                        callbackId,
                        SCHEDULED,
                        four.plusSeconds(3600),
                        t0.plusSeconds(120)))))
        .as("a callback already sent stays sent")
        .isZero();
    assertThat(dueAt(callbackId)).isEqualTo(four);
  }

  @Test
  void aReprocessedCallKeepsOnlyItsNewChunksAndAnUnchangedSetTouchesNoRow() {
    ChunkSetWriter writer = new ChunkSetWriter(jdbi);
    UUID callId = UUID.randomUUID();
    List<String> three =
        List.of(
            "my water heater is leaking", "please send someone tomorrow", "call me back at three");
    List<float[]> vectors = List.of(vector(1, 0), vector(0, 1), vector(0, 0, 1));

    assertThat(writer.write(Samples.chunks(callId, "acme", 1_000_000, three, vectors)))
        .isEqualTo(new ChunkSetWriter.Result(ChunkSetWriter.Result.Kind.WRITTEN, 3, 0));
    List<String> xmins = chunkXmins(callId);
    assertThat(writer.write(Samples.chunks(callId, "acme", 1_000_000, three, vectors)))
        .isEqualTo(new ChunkSetWriter.Result(ChunkSetWriter.Result.Kind.UNCHANGED, 0, 0));
    assertThat(chunkXmins(callId)).as("no chunk row rewritten").isEqualTo(xmins);

    List<String> two = List.of("the leak is fixed", "no call back needed");
    assertThat(
            writer.write(
                Samples.chunks(
                    callId, "acme", 3_000_000, two, List.of(vector(1, 1), vector(0, 1, 1)))))
        .isEqualTo(new ChunkSetWriter.Result(ChunkSetWriter.Result.Kind.WRITTEN, 2, 3));
    assertThat(writer.write(Samples.chunks(callId, "acme", 2_000_000, three, vectors)).kind())
        .isEqualTo(ChunkSetWriter.Result.Kind.OLDER);

    List<String> texts =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT text FROM call_chunks WHERE call_id = :id ORDER BY chunk_index")
                    .bind("id", callId)
                    .mapTo(String.class)
                    .list());
    assertThat(texts).containsExactlyElementsOf(two);
  }

  @Test
  void aTenantNeverSeesAnotherTenantsChunks() {
    ChunkSetWriter writer = new ChunkSetWriter(jdbi);
    Random random = new Random(3);
    String tenantA = "tenant-a-" + UUID.randomUUID();
    String tenantB = "tenant-b-" + UUID.randomUUID();
    List<UUID> callsOfA = new ArrayList<>();
    // Interleaved: B has many chunks right next to the query, A has few and farther away.
    for (int call = 0; call < 60; call++) {
      boolean a = call % 10 == 0;
      UUID callId = UUID.randomUUID();
      if (a) {
        callsOfA.add(callId);
      }
      List<String> texts = new ArrayList<>();
      List<float[]> vectors = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        texts.add((a ? "a" : "b") + " chunk " + i);
        vectors.add(
            a
                ? vector(0.2 + random.nextDouble(), 1, random.nextDouble())
                : vector(1, 0.01 * random.nextDouble(), 0.01 * random.nextDouble()));
      }
      writer.write(Samples.chunks(callId, a ? tenantA : tenantB, 1, texts, vectors));
    }

    List<ChunkSearch.Hit> hits = new ChunkSearch(jdbi).nearest(tenantA, vector(1, 0, 0), 10);

    assertThat(hits).hasSize(10);
    assertThat(hits).allSatisfy(hit -> assertThat(callsOfA).contains(hit.callId()));
    assertThat(hits).extracting(ChunkSearch.Hit::distance).isSorted();
    assertThat(new ChunkSearch(jdbi).nearest(tenantB, vector(1, 0, 0), 3))
        .allSatisfy(hit -> assertThat(callsOfA).doesNotContain(hit.callId()));
  }

  private static Callback callback(
      UUID callId, UUID callbackId, CallbackStatus status, Instant dueAt, Instant createdAt) {
    return Callback.newBuilder()
        .setCallbackId(callbackId)
        .setCallId(callId)
        .setTenantId("acme")
        .setPhoneNumber("+14155550123")
        .setDueAt(dueAt)
        .setTimeZone("UTC")
        .setPhrase("call me back tomorrow at 3 pm")
        .setStatus(status)
        .setVersion(100)
        .setCreatedAt(createdAt)
        .build();
  }

  private static CallDocument document(
      UUID callId, long version, String promptVersion, Instant generatedAt, String markdown) {
    return CallDocument.newBuilder()
        .setCallId(callId)
        .setTenantId("acme")
        .setVersion(version)
        .setTitle("Water heater leak")
        .setMarkdown(markdown)
        .setModel("gpt-4o-mini")
        .setPromptVersion(promptVersion)
        .setGeneratedAt(generatedAt)
        .build();
  }

  /** The one value {@code sql} selects for {@code id}. */
  private <T> T value(String sql, UUID id, Class<T> type) {
    return jdbi.withHandle(h -> h.createQuery(sql).bind("id", id).mapTo(type).one());
  }

  private String summary(UUID callId) {
    return value("SELECT summary FROM calls WHERE call_id = :id", callId, String.class);
  }

  private String markdown(UUID callId) {
    return value("SELECT markdown FROM documents WHERE call_id = :id", callId, String.class);
  }

  private Instant dueAt(UUID callbackId) {
    return value("SELECT due_at FROM callbacks WHERE callback_id = :id", callbackId, Instant.class);
  }

  private String xmin(String table, UUID callId) {
    return value("SELECT xmin::text FROM " + table + " WHERE call_id = :id", callId, String.class);
  }

  private List<String> chunkXmins(UUID callId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT xmin::text FROM call_chunks WHERE call_id = :id ORDER BY chunk_index")
                .bind("id", callId)
                .mapTo(String.class)
                .list());
  }
}
