package io.callstream.query.http;

import io.callstream.events.CallbackStatus;
import io.callstream.events.Stage;
import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.read.TenantReads;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /v1/callbacks}, {@code GET /v1/stats} and {@code GET /v1/dead-letters}: a tenant's
 * follow-ups, its figures and what failed.
 */
public final class TenantRoutes {
  private static final Set<String> CALLBACKS =
      Set.of("tenant", "status", "due_after", "due_before", "limit");
  private static final Set<String> STATS = Set.of("tenant", "from", "to", "granularity");
  private static final Set<String> DEAD_LETTERS = Set.of("tenant", "reason", "stage", "limit");

  private final TenantReads reads;
  private final ReadKeys keys;

  public TenantRoutes(TenantReads reads, ReadKeys keys) {
    this.reads = reads;
    this.keys = keys;
  }

  public void callbacks(Context ctx) {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, CALLBACKS);
    String tenant = Readers.tenant(reader, params, true);
    String status = params.oneOf("status", CallbackStatus.getClassSchema().getEnumSymbols());
    Instant after = params.instant("due_after");
    Instant before = params.instant("due_before");
    int limit = params.integer("limit", 100, 1, 1_000);
    array(ctx, "callbacks", reads.callbacks(tenant, status, after, before, limit));
  }

  public void stats(Context ctx) {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, STATS);
    String tenant = Readers.tenant(reader, params, true);
    String granularity = params.oneOf("granularity", List.of("hour", "day"));
    array(
        ctx,
        "buckets",
        reads.stats(
            tenant,
            params.instant("from"),
            params.instant("to"),
            granularity == null
                ? TenantReads.Granularity.HOUR
                : TenantReads.Granularity.valueOf(granularity.toUpperCase(Locale.ROOT))));
  }

  /**
   * {@code GET /v1/dead-letters}: what failed and was not redriven, grouped by reason and stage,
   * and the entries. The operator sees every tenant's, and the calls that never got a tenant.
   */
  public void deadLetters(Context ctx) {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, DEAD_LETTERS);
    String tenant = Readers.tenant(reader, params, false);
    String stage = params.oneOf("stage", Stage.getClassSchema().getEnumSymbols());
    ctx.contentType("application/json")
        .result(
            reads.deadLetters(
                tenant,
                params.text("reason", 100, false),
                stage,
                params.integer("limit", 100, 1, 1_000)));
  }

  private static void array(Context ctx, String name, List<String> items) {
    ctx.contentType("application/json")
        .result("{\"" + name + "\":[" + String.join(",", items) + "]}");
  }
}
