package io.callstream.sinks.postgres;

import io.callstream.events.CallChunk;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Replaces a call's chunks as a whole, in one transaction, so reprocessing never leaves stale
 * chunks. Inserting into an HNSW index is the costly part of a write, so a set identical to the
 * stored one (same set hash and model) touches no chunk row, and a set older than the stored one is
 * ignored.
 */
public final class ChunkSetWriter {

  /** What writing one set did. */
  public record Result(Kind kind, int inserted, int deleted) {
    public enum Kind {
      WRITTEN,
      UNCHANGED,
      OLDER
    }
  }

  private record Stored(long version, String setHash, String model) {}

  private final Jdbi jdbi;

  public ChunkSetWriter(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Writes one call's complete chunk set.
   *
   * @throws IllegalArgumentException when {@code chunks} is not one complete set of one call
   */
  public Result write(List<CallChunk> chunks) {
    List<CallChunk> set = completeSet(chunks);
    CallChunk first = set.get(0);
    return jdbi.inTransaction(handle -> write(handle, first, set));
  }

  private Result write(Handle handle, CallChunk first, List<CallChunk> set) {
    UUID callId = first.getCallId();
    String model = first.getEmbeddingModel() == null ? "" : first.getEmbeddingModel();
    Optional<Stored> stored =
        handle
            .createQuery(
                "SELECT version, set_hash, model FROM call_chunk_sets WHERE call_id = :call_id FOR UPDATE")
            .bind("call_id", callId)
            .map((rs, ctx) -> new Stored(rs.getLong(1), rs.getString(2), rs.getString(3)))
            .findOne();
    if (stored.isPresent() && stored.get().version() > first.getVersion()) {
      return new Result(Result.Kind.OLDER, 0, 0);
    }
    if (stored.isPresent()
        && stored.get().setHash().equals(first.getSetHash())
        && stored.get().model().equals(model)) {
      if (stored.get().version() < first.getVersion()) {
        handle
            .createUpdate("UPDATE call_chunk_sets SET version = :version WHERE call_id = :call_id")
            .bind("version", first.getVersion())
            .bind("call_id", callId)
            .execute();
      }
      return new Result(Result.Kind.UNCHANGED, 0, 0);
    }
    int deleted =
        handle
            .createUpdate("DELETE FROM call_chunks WHERE call_id = :call_id")
            .bind("call_id", callId)
            .execute();
    PreparedBatch insert =
        handle.prepareBatch(
            "INSERT INTO call_chunks (call_id, chunk_index, tenant_id, text, start_ms, end_ms, speaker, source, model, embedding) "
                + "VALUES (:call_id, :chunk_index, :tenant_id, :text, :start_ms, :end_ms, :speaker, :source, :model, :embedding)");
    for (CallChunk chunk : set) {
      insert
          .bind("call_id", callId)
          .bind("chunk_index", chunk.getChunkIndex())
          .bind("tenant_id", chunk.getTenantId())
          .bind("text", chunk.getText())
          .bind("start_ms", chunk.getStartMs())
          .bind("end_ms", chunk.getEndMs())
          .bind("speaker", chunk.getSpeaker())
          .bind("source", chunk.getSource().name())
          .bind("model", model)
          .bind("embedding", Vectors.of(toArray(chunk.getEmbedding())))
          .add();
    }
    int inserted = set.isEmpty() ? 0 : insert.execute().length;
    handle
        .createUpdate(
            "INSERT INTO call_chunk_sets (call_id, tenant_id, version, set_hash, model, chunk_count) VALUES (:call_id, :tenant_id, :version, :set_hash, :model, :chunk_count) "
                + "ON CONFLICT (call_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, version = EXCLUDED.version, set_hash = EXCLUDED.set_hash, "
                + "model = EXCLUDED.model, chunk_count = EXCLUDED.chunk_count, written_at = now()")
        .bind("call_id", callId)
        .bind("tenant_id", first.getTenantId())
        .bind("version", first.getVersion())
        .bind("set_hash", first.getSetHash())
        .bind("model", model)
        .bind("chunk_count", set.size())
        .execute();
    return new Result(Result.Kind.WRITTEN, inserted, deleted);
  }

  /**
   * The chunks sorted by index, after checking they are indices 0..n-1 of one call, version and
   * set.
   */
  static List<CallChunk> completeSet(List<CallChunk> chunks) {
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("a chunk set needs at least one chunk");
    }
    List<CallChunk> sorted =
        chunks.stream().sorted(Comparator.comparingInt(CallChunk::getChunkIndex)).toList();
    CallChunk first = sorted.get(0);
    for (int i = 0; i < sorted.size(); i++) {
      CallChunk chunk = sorted.get(i);
      if (!chunk.getCallId().equals(first.getCallId())
          || chunk.getVersion() != first.getVersion()
          || !chunk.getSetHash().equals(first.getSetHash())) {
        throw new IllegalArgumentException(
            "chunks of different calls, versions or sets: "
                + first.getCallId()
                + " and "
                + chunk.getCallId());
      }
      if (chunk.getChunkIndex() != i || chunk.getChunkCount() != sorted.size()) {
        throw new IllegalArgumentException(
            "incomplete chunk set for call "
                + first.getCallId()
                + ": index "
                + chunk.getChunkIndex()
                + " of "
                + chunk.getChunkCount()
                + " among "
                + sorted.size());
      }
    }
    return sorted;
  }

  private static float[] toArray(List<Float> values) {
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }
}
