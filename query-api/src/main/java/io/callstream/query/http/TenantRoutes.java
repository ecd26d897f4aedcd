package io.callstream.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.events.CallbackStatus;
import io.callstream.events.Stage;
import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.read.TenantReads;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code GET /v1/me}, {@code GET /v1/callbacks}, {@code GET /v1/stats} and {@code GET
 * /v1/dead-letters}: who is reading, a tenant's follow-ups, its figures and what failed.
 */
public final class TenantRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ME = Set.of();
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

  /**
   * {@code GET /v1/me}: who the key reads as: a tenant with its time zone, or the operator with
   * every tenant the read side knows.
   */
  public void me(Context ctx) throws IOException {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    Params.of(ctx, ME);
    ObjectNode me = JSON.createObjectNode();
    if (reader.operator()) {
      me.put("role", "operator");
      ArrayNode tenants = me.putArray("tenants");
      for (String tenant : reads.tenants(null)) {
        tenants.add(JSON.readTree(tenant));
      }
    } else {
      me.put("role", "tenant");
      me.setAll((ObjectNode) JSON.readTree(reads.tenants(reader.tenantId()).get(0)));
    }
    ctx.contentType("application/json").result(me.toString());
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
