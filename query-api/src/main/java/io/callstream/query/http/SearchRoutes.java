package io.callstream.query.http;

import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.Sentiment;
import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.search.HybridSearch;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/search}: a tenant's chunks for a question, by meaning and by its exact words. The
 * question is embedded by the same model that embedded the chunks; if the configured one differs,
 * the answer is 409 naming the chunks' model, since distances across models mean nothing.
 */
public final class SearchRoutes {
  private static final Set<String> PARAMS =
      Set.of("tenant", "q", "k", "from", "to", "sentiment", "speaker", "ranking");
  private static final int MAX_QUERY = 1_000;

  /**
   * How many candidates each ranking considers (and the HNSW scan keeps) for up to 25 hits; more
   * hits look four times as deep. Chosen by {@code ./callstream bench search}: see the README.
   */
  public static final int SEARCH_DEPTH = 100;

  private final HybridSearch search;
  private final Embedder embedder;
  private final ReadKeys keys;

  public SearchRoutes(HybridSearch search, Embedder embedder, ReadKeys keys) {
    this.search = search;
    this.embedder = embedder;
    this.keys = keys;
  }

  public void search(Context ctx) throws Exception {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, PARAMS);
    String tenant = Readers.tenant(reader, params, true);
    String q = params.text("q", MAX_QUERY, true);
    int k = params.integer("k", 10, 1, 100);
    HybridSearch.Filter filter =
        new HybridSearch.Filter(
            params.instant("from"),
            params.instant("to"),
            params.oneOf("sentiment", Sentiment.getClassSchema().getEnumSymbols()),
            params.text("speaker", 50, false));
    String ranking = params.oneOf("ranking", List.of("hybrid", "vector", "text"));
    String stored = search.modelOf(tenant).orElse(null);
    if (stored != null && !stored.equals(embedder.model())) {
      throw ApiProblem.conflict(
          "this tenant's chunks were embedded by "
              + stored
              + ", and the query API embeds with "
              + embedder.model()
              + "; configure the same model");
    }
    List<HybridSearch.Hit> hits =
        search.search(
            tenant,
            q,
            embed(q),
            k,
            Math.max(SEARCH_DEPTH, 4 * k),
            filter,
            ranking == null
                ? HybridSearch.Ranking.HYBRID
                : HybridSearch.Ranking.valueOf(ranking.toUpperCase(Locale.ROOT)));
    ctx.json(Map.of("hits", hits.stream().map(SearchRoutes::json).toList()));
  }

  private float[] embed(String q) throws Exception {
    Outcome<List<float[]>> outcome =
        embedder.embed(List.of(q)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    return switch (outcome) {
      case Outcome.Success<List<float[]>> success -> success.result().get(0);
      case Outcome.Transient<List<float[]>> t ->
          throw ApiProblem.unavailable("the embedding model cannot answer now: " + t.reason(), 5);
      case Outcome.Permanent<List<float[]>> p ->
          throw ApiProblem.unavailable("the embedding model refused the query: " + p.reason(), 30);
    };
  }

  private static Map<String, Object> json(HybridSearch.Hit hit) {
    Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("call_id", hit.callId().toString());
    json.put("chunk_index", hit.chunkIndex());
    json.put("text", hit.text());
    json.put("speaker", hit.speaker());
    json.put("start_ms", hit.startMs());
    json.put("end_ms", hit.endMs());
    json.put("score", hit.score());
    json.put("vector_rank", hit.vectorRank());
    json.put("text_rank", hit.textRank());
    json.put("title", hit.title());
    json.put("summary", hit.summary());
    return json;
  }
}
