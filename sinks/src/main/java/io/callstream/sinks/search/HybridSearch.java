package io.callstream.sinks.search;

import io.callstream.sinks.postgres.Vectors;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's chunks ranked two ways and fused by reciprocal rank fusion: by cosine distance to the
 * query's embedding (the HNSW index, with pgvector 0.8's iterative scans so the tenant filter keeps
 * its results) and by Postgres full-text rank of the query's words. A meaning is found by the
 * first, an exact term that embeddings miss (an order number, a product code, a name) by the
 * second. The query runs with {@code plan_cache_mode = force_custom_plan}: a generic plan, chosen
 * without the tenant's value once the driver prepares the statement on the server, scans a large
 * tenant's rows exactly and is a thousand times slower.
 */
public final class HybridSearch {

  /** Rank fusion's damping constant: a hit's score is the sum of 1 / (RRF_K + rank) per ranking. */
  static final int RRF_K = 60;

  /** pgvector's ceiling for {@code hnsw.ef_search}. */
  private static final int MAX_EF_SEARCH = 1_000;

  /** A matched chunk with its call, its text with the query's terms marked, and its score. */
  public record Hit(
      UUID callId,
      int chunkIndex,
      String text,
      String speaker,
      Long startMs,
      Long endMs,
      double score,
      Integer vectorRank,
      Integer textRank,
      String title,
      String summary) {}

  /** Which chunks may match: every field optional (null matches all). */
  public record Filter(Instant from, Instant to, String sentiment, String speaker) {
    public static final Filter NONE = new Filter(null, null, null, null);
  }

  /** How the query ranks: both ways fused, or one of them alone. */
  public enum Ranking {
    HYBRID,
    VECTOR,
    TEXT
  }

  // A filter that is not set is folded away by the custom plan.
  private static final String FILTERED =
      " AND (CAST(:speaker AS text) IS NULL OR speaker = :speaker)"
          + " AND (CAST(:from AS timestamptz) IS NULL AND CAST(:to AS timestamptz) IS NULL"
          + "  AND CAST(:sentiment AS text) IS NULL"
          + "  OR call_id IN (SELECT call_id FROM calls WHERE tenant_id = :tenant"
          + "   AND (CAST(:from AS timestamptz) IS NULL OR ended_at >= :from)"
          + "   AND (CAST(:to AS timestamptz) IS NULL OR ended_at < :to)"
          + "   AND (CAST(:sentiment AS text) IS NULL OR sentiment = :sentiment)))";

  private final Jdbi jdbi;

  public HybridSearch(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The embedding model of a tenant's chunks, if it has any. */
  public Optional<String> modelOf(String tenantId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT model FROM call_chunks WHERE tenant_id = :tenant LIMIT 1")
                .bind("tenant", tenantId)
                .mapTo(String.class)
                .findOne());
  }

  /**
   * The {@code k} best chunks of {@code tenantId} for {@code text}, whose embedding is {@code
   * vector}; each ranking looks at the best {@code depth} of its own, and the HNSW scan keeps that
   * many candidates ({@code hnsw.ef_search}, at most 1,000).
   */
  public List<Hit> search(
      String tenantId,
      String text,
      float[] vector,
      int k,
      int depth,
      Filter filter,
      Ranking ranking) {
    return jdbi.inTransaction(
        handle -> {
          // the three settings for this transaction in one round trip
          handle
              .createQuery(
                  "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"
                      + " || set_config('hnsw.iterative_scan', 'relaxed_order', true)"
                      + " || set_config('hnsw.ef_search', :ef, true)")
              .bind("ef", Integer.toString(Math.min(MAX_EF_SEARCH, depth)))
              .mapTo(String.class)
              .one();
          return handle
              .createQuery(
                  "WITH query AS (SELECT websearch_to_tsquery('english', :text) AS words),"
                      + " by_vector AS ("
                      + "  SELECT call_id, chunk_index, row_number() OVER (ORDER BY distance) AS rank"
                      + "  FROM (SELECT call_id, chunk_index, embedding <=> :vector AS distance"
                      + "    FROM call_chunks WHERE tenant_id = :tenant AND :useVector"
                      + FILTERED
                      + "    ORDER BY embedding <=> :vector LIMIT :depth) nearest),"
                      + " by_text AS ("
                      + "  SELECT call_id, chunk_index, row_number() OVER (ORDER BY relevance DESC) AS rank"
                      + "  FROM (SELECT call_id, chunk_index, ts_rank_cd(text_search, words) AS relevance"
                      + "    FROM call_chunks, query WHERE tenant_id = :tenant AND :useText"
                      + FILTERED
                      + "    AND text_search @@ words ORDER BY relevance DESC LIMIT :depth) matched),"
                      + " fused AS ("
                      + "  SELECT call_id, chunk_index, sum(1.0 / (:rrf + rank)) AS score,"
                      + "   CAST(min(rank) FILTER (WHERE source = 'vector') AS int) AS vector_rank,"
                      + "   CAST(min(rank) FILTER (WHERE source = 'text') AS int) AS text_rank"
                      + "  FROM (SELECT *, 'vector' AS source FROM by_vector"
                      + "   UNION ALL SELECT *, 'text' AS source FROM by_text) ranked"
                      + "  GROUP BY call_id, chunk_index ORDER BY score DESC, call_id, chunk_index"
                      + "  LIMIT :k)"
                      + " SELECT f.call_id, f.chunk_index,"
                      + "  ts_headline('english', k.text, query.words,"
                      + "   'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') AS marked,"
                      + "  k.speaker, k.start_ms, k.end_ms, f.score, f.vector_rank, f.text_rank,"
                      + "  c.title, c.summary"
                      + " FROM fused f CROSS JOIN query"
                      + " JOIN call_chunks k ON k.call_id = f.call_id AND k.chunk_index = f.chunk_index"
                      + "  AND k.tenant_id = :tenant"
                      + " LEFT JOIN calls c ON c.call_id = f.call_id AND c.tenant_id = :tenant"
                      + " ORDER BY f.score DESC, f.call_id, f.chunk_index")
              .bind("text", text)
              .bind("vector", Vectors.of(vector))
              .bind("tenant", tenantId)
              .bind("depth", depth)
              .bind("k", k)
              .bind("rrf", RRF_K)
              .bind("from", filter.from())
              .bind("to", filter.to())
              .bind("sentiment", filter.sentiment())
              .bind("speaker", filter.speaker())
              .bind("useVector", ranking != Ranking.TEXT)
              .bind("useText", ranking != Ranking.VECTOR)
              .map(
                  (rs, ctx) ->
                      new Hit(
                          rs.getObject(1, UUID.class),
                          rs.getInt(2),
                          rs.getString(3),
                          rs.getString(4),
                          (Long) rs.getObject(5),
                          (Long) rs.getObject(6),
                          rs.getDouble(7),
                          (Integer) rs.getObject(8, Integer.class),
                          (Integer) rs.getObject(9, Integer.class),
                          rs.getString(10),
                          rs.getString(11)))
              .list();
        });
  }
}
