package io.callstream.sinks.search;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's calls nearest in content to one of its calls: the call's centroid (the mean of its
 * chunks' embeddings) against the tenant's other chunks through the HNSW index, each call ranked by
 * its nearest chunk. A call of another tenant, or one without chunks, has none.
 */
public final class SimilarCalls {

  /** A similar call with the cosine distance of its nearest chunk to the centroid. */
  public record Similar(UUID callId, double distance, String title, String summary) {}

  private final Jdbi jdbi;

  public SimilarCalls(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public List<Similar> of(String tenantId, UUID callId, int k) {
    return jdbi.inTransaction(
        handle -> {
          handle.execute("SET LOCAL plan_cache_mode = force_custom_plan");
          handle.execute("SET LOCAL hnsw.iterative_scan = relaxed_order");
          handle.execute("SET LOCAL hnsw.ef_search = " + Math.max(100, 20 * k));
          String centroid =
              handle
                  .createQuery(
                      "SELECT CAST(CAST(avg(CAST(embedding AS vector)) AS halfvec) AS text)"
                          + " FROM call_chunks WHERE tenant_id = :tenant AND call_id = :call")
                  .bind("tenant", tenantId)
                  .bind("call", callId)
                  .mapTo(String.class)
                  .one();
          if (centroid == null) {
            return List.of();
          }
          return handle
              .createQuery(
                  "SELECT n.call_id, min(n.distance) AS distance, c.title, c.summary FROM ("
                      + " SELECT call_id, embedding <=> CAST(:centroid AS halfvec) AS distance"
                      + " FROM call_chunks WHERE tenant_id = :tenant AND call_id <> :call"
                      + " ORDER BY embedding <=> CAST(:centroid AS halfvec) LIMIT :depth) n"
                      + " LEFT JOIN calls c ON c.call_id = n.call_id AND c.tenant_id = :tenant"
                      + " GROUP BY n.call_id, c.title, c.summary ORDER BY distance, n.call_id"
                      + " LIMIT :k")
              .bind("centroid", centroid)
              .bind("tenant", tenantId)
              .bind("call", callId)
              .bind("depth", Math.max(100, 20 * k))
              .bind("k", k)
              .map(
                  (rs, ctx) ->
                      new Similar(
                          rs.getObject(1, UUID.class),
                          rs.getDouble(2),
                          rs.getString(3),
                          rs.getString(4)))
              .list();
        });
  }
}
