package io.callstream.sinks.search;

import io.callstream.sinks.postgres.Vectors;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Semantic search over a tenant's chunks: the nearest by cosine distance, always filtered by
 * tenant. pgvector 0.8's iterative index scans keep going through the HNSW index until enough rows
 * pass the tenant filter, so a small tenant among large ones still gets its k results.
 */
public final class ChunkSearch {

  /** A chunk that matched, with its cosine distance to the query (0 is identical). */
  public record Hit(
      UUID callId, int chunkIndex, String text, String speaker, Long startMs, double distance) {}

  private final Jdbi jdbi;

  public ChunkSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<Hit> nearest(String tenantId, float[] query, int k) {
    return jdbi.inTransaction(
        handle -> {
          handle.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
          handle.execute("SET LOCAL hnsw.ef_search = " + Math.max(40, 2 * k));
          return handle
              .createQuery(
                  "SELECT call_id, chunk_index, text, speaker, start_ms, distance FROM ("
                      + " SELECT call_id, chunk_index, text, speaker, start_ms, embedding <=> :query AS distance"
                      + " FROM call_chunks WHERE tenant_id = :tenant ORDER BY embedding <=> :query LIMIT :k"
                      + ") nearest ORDER BY distance")
              .bind("query", Vectors.of(query))
              .bind("tenant", tenantId)
              .bind("k", k)
              .map(
                  (rs, ctx) ->
                      new Hit(
                          rs.getObject(1, UUID.class),
                          rs.getInt(2),
                          rs.getString(3),
                          rs.getString(4),
                          (Long) rs.getObject(5),
                          rs.getDouble(6)))
              .list();
        });
  }
}
