package io.callstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.events.AiUsage;
import io.callstream.events.CallChunk;
import io.callstream.events.CallStatus;
import io.callstream.events.ChunkSource;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Provider;
import io.callstream.events.Sentiment;
import io.callstream.events.SuccessVerdict;
import io.callstream.sinks.postgres.CallWriter;
import io.callstream.sinks.postgres.ChunkSetWriter;
import io.callstream.sinks.postgres.Database;
import io.callstream.sinks.postgres.Schema;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;

/**
 * The sink writers against raw COPY of the same rows into the same tables, in one run: call rows,
 * and 384-d chunk rows into the table with its HNSW index. Then a replay of unchanged calls, which
 * must insert and delete no chunk row. Sizes: -Dcalls, -Dchunks (10 chunks a call), -Dreplay.
 */
public final class SinkBenchmark {
  private static final int DIMENSIONS = 384;
  private static final int CHUNKS_PER_CALL = 10;
  // Rows per put(): a Connect sink gets up to consumer.max.poll.records at once.
  private static final int BATCH = Integer.getInteger("batch", 2000);

  public static void main(String[] args) throws Exception {
    int callRows = Integer.getInteger("calls", 200_000);
    int chunkRows = Integer.getInteger("chunks", 200_000);
    int replayCalls = Integer.getInteger("replay", 10_000);
    try (PostgresCluster postgres = PostgresCluster.startTemporary()) {
      Schema.migrate(postgres.jdbcUrl(), postgres.user(), postgres.password(), DIMENSIONS);
      Database database = new Database(postgres.jdbcUrl(), postgres.user(), postgres.password(), 2);
      Jdbi jdbi = database.jdbi();
      Random random = new Random(11);

      List<EnrichedCall> calls = new ArrayList<>(callRows);
      for (int i = 0; i < callRows; i++) {
        calls.add(call(UUID.randomUUID(), i));
      }
      for (int warmup = 0; warmup < 5; warmup++) {
        CallWriter.csv(
            calls.subList(0, Math.min(calls.size(), BATCH))); // both sides encode rows the same way
      }
      double copyCalls = rate(callRows, () -> copyCalls(postgres, calls));
      jdbi.useHandle(h -> h.execute("TRUNCATE calls"));
      CallWriter callWriter = new CallWriter(jdbi);
      double writerCalls =
          rate(
              callRows,
              () -> {
                for (int from = 0; from < calls.size(); from += BATCH) {
                  callWriter.write(calls.subList(from, Math.min(calls.size(), from + BATCH)));
                }
              });

      List<List<CallChunk>> sets = new ArrayList<>();
      for (int c = 0; c < chunkRows / CHUNKS_PER_CALL; c++) {
        sets.add(chunkSet(UUID.randomUUID(), c, random));
      }
      double copyChunks = rate(chunkRows, () -> copyChunks(postgres, sets));
      jdbi.useHandle(h -> h.execute("TRUNCATE call_chunks, call_chunk_sets"));
      ChunkSetWriter chunkWriter = new ChunkSetWriter(jdbi);
      double writerChunks = rate(chunkRows, () -> sets.forEach(chunkWriter::write));

      long[] before = insertsAndDeletes(jdbi);
      int replayed = Math.min(replayCalls, sets.size());
      long unchanged =
          sets.subList(0, replayed).stream()
              .map(chunkWriter::write)
              .filter(r -> r.kind() == ChunkSetWriter.Result.Kind.UNCHANGED)
              .count();
      long[] after = insertsAndDeletes(jdbi);

      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("benchmark", "sinks");
      line.put("call_rows", callRows);
      line.put("calls_copy_rows_per_s", Math.round(copyCalls));
      line.put("calls_writer_rows_per_s", Math.round(writerCalls));
      line.put("calls_ratio", Math.round(writerCalls / copyCalls * 1000) / 1000.0);
      line.put("calls_target_ratio", 0.6);
      line.put("chunk_rows", chunkRows);
      line.put("dimensions", DIMENSIONS);
      line.put("chunks_copy_rows_per_s", Math.round(copyChunks));
      line.put("chunks_writer_rows_per_s", Math.round(writerChunks));
      line.put("chunks_ratio", Math.round(writerChunks / copyChunks * 1000) / 1000.0);
      line.put("chunks_target_ratio", 0.5);
      line.put("replayed_calls", replayed);
      line.put("replay_unchanged_sets", unchanged);
      line.put("replay_chunk_rows_inserted", after[0] - before[0]);
      line.put("replay_chunk_rows_deleted", after[1] - before[1]);
      line.put(
          "pass",
          writerCalls / copyCalls >= 0.6
              && writerChunks / copyChunks >= 0.5
              && after[0] == before[0]
              && after[1] == before[1]);
      System.out.println(line);
    }
  }

  private static double rate(int rows, ThrowingRunnable work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return rows / ((System.nanoTime() - start) / 1e9);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The baseline: the very rows the writer sends, copied straight into the table. */
  private static void copyCalls(PostgresCluster postgres, List<EnrichedCall> calls)
      throws Exception {
    try (Connection connection =
        DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
      for (int from = 0; from < calls.size(); from += BATCH) {
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY calls (" + CallWriter.COLUMNS + ") FROM STDIN WITH (FORMAT csv)",
                new StringReader(
                    CallWriter.csv(calls.subList(from, Math.min(calls.size(), from + BATCH)))));
      }
    }
  }

  private static void copyChunks(PostgresCluster postgres, List<List<CallChunk>> sets)
      throws Exception {
    try (Connection connection =
        DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
      for (int from = 0; from < sets.size(); from += 100) {
        StringBuilder csv = new StringBuilder();
        for (List<CallChunk> set : sets.subList(from, Math.min(sets.size(), from + 100))) {
          for (CallChunk chunk : set) {
            csv.append(chunk.getCallId())
                .append(',')
                .append(chunk.getChunkIndex())
                .append(',')
                .append(chunk.getTenantId())
                .append(",\"")
                .append(chunk.getText())
                .append("\",")
                .append(chunk.getSource())
                .append(',')
                .append(chunk.getEmbeddingModel())
                .append(",\"")
                .append(chunk.getEmbedding())
                .append("\"\n");
          }
        }
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY call_chunks (call_id, chunk_index, tenant_id, text, source, model, embedding) FROM STDIN WITH (FORMAT csv)",
                new StringReader(csv.toString()));
      }
    }
  }

  private static long[] insertsAndDeletes(Jdbi jdbi) {
    return jdbi.withHandle(
        h -> {
          h.execute("SELECT pg_stat_force_next_flush()");
          Map<String, Object> row =
              h.createQuery(
                      "SELECT n_tup_ins, n_tup_del FROM pg_stat_user_tables WHERE relname = 'call_chunks'")
                  .mapToMap()
                  .one();
          return new long[] {
            ((Number) row.get("n_tup_ins")).longValue(), ((Number) row.get("n_tup_del")).longValue()
          };
        });
  }

  private static EnrichedCall call(UUID callId, int n) {
    return EnrichedCall.newBuilder()
        .setCallId(callId)
        .setTenantId("tenant-" + n % 20)
        .setProvider(Provider.ELEVENLABS)
        .setProviderCallId("conv-" + n)
        .setVersion(1)
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setEndedAt(Instant.parse("2026-11-20T14:00:00Z").plusSeconds(n))
        .setDurationMs(60_000L + n)
        .setSummary(
            "The caller reported a leaking water heater and booked a visit for tomorrow morning, call "
                + n
                + ".")
        .setSentiment(Sentiment.NEUTRAL)
        .setSuccess(SuccessVerdict.SUCCESSFUL)
        .setAnalyzer("local")
        .setModel("callstream-heuristics")
        .setPromptVersion("local-v1")
        .setUsage(AiUsage.newBuilder().build())
        .setEnrichedAt(Instant.parse("2026-11-20T15:00:00Z"))
        .build();
  }

  private static List<CallChunk> chunkSet(UUID callId, int n, Random random) {
    List<CallChunk> set = new ArrayList<>();
    for (int i = 0; i < CHUNKS_PER_CALL; i++) {
      List<Float> embedding = new ArrayList<>(DIMENSIONS);
      for (int d = 0; d < DIMENSIONS; d++) {
        embedding.add((float) random.nextGaussian());
      }
      set.add(
          CallChunk.newBuilder()
              .setCallId(callId)
              .setTenantId("tenant-" + n % 20)
              .setVersion(1)
              .setChunkIndex(i)
              .setChunkCount(CHUNKS_PER_CALL)
              .setSetHash("set-" + n)
              .setText("chunk " + i + " of call " + n + " about a leaking water heater")
              .setSource(ChunkSource.TRANSCRIPT)
              .setEmbedding(embedding)
              .setEmbeddingModel("all-minilm-l6-v2-q")
              .setDims(DIMENSIONS)
              .setCreatedAt(Instant.parse("2026-11-20T15:00:00Z"))
              .build());
    }
    return set;
  }
}
