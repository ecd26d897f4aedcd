package io.callstream.sinks.read;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's callbacks, statistics and time zone as the sinks wrote them, as JSON that Postgres
 * builds, always scoped to the tenant inside the SQL.
 */
public final class TenantReads {

  /** The buckets statistics are summed into. */
  public enum Granularity {
    HOUR,
    DAY
  }

  private final Jdbi jdbi;

  public TenantReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The tenants known to the read side ({@code tenantId} alone, or every one when null), each as
   * {@code {"tenant": ..., "time_zone": ...}}: the time zone most of its agents are mapped with,
   * null when none has one.
   */
  public List<String> tenants(String tenantId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT jsonb_build_object('tenant', t.tenant_id, 'time_zone',"
                        + "  (SELECT a.time_zone FROM agents a WHERE a.tenant_id = t.tenant_id"
                        + "   AND a.time_zone IS NOT NULL GROUP BY a.time_zone"
                        + "   ORDER BY count(*) DESC, a.time_zone LIMIT 1))"
                        + " FROM (SELECT tenant_id FROM agents UNION SELECT tenant_id FROM tenant_stats"
                        + "  UNION SELECT CAST(:tenant AS text)) t"
                        + " WHERE t.tenant_id IS NOT NULL"
                        + " AND (CAST(:tenant AS text) IS NULL OR t.tenant_id = :tenant)"
                        + " ORDER BY t.tenant_id")
                .bind("tenant", tenantId)
                .mapTo(String.class)
                .list());
  }

  /**
   * The tenant's callbacks in {@code state} (null: any) due in [{@code dueAfter}, {@code
   * dueBefore}) (either null: open), soonest first, at most {@code limit}.
   */
  public List<String> callbacks(
      String tenantId, String state, Instant dueAfter, Instant dueBefore, int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT to_jsonb(b) FROM callbacks b WHERE tenant_id = :tenant"
                        + " AND (CAST(:state AS text) IS NULL OR state = :state)"
                        + " AND (CAST(:after AS timestamptz) IS NULL OR due_at >= :after)"
                        + " AND (CAST(:before AS timestamptz) IS NULL OR due_at < :before)"
                        + " ORDER BY due_at, callback_id LIMIT :limit")
                .bind("tenant", tenantId)
                .bind("state", state)
                .bind("after", dueAfter)
                .bind("before", dueBefore)
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
  }

  /**
   * The tenant's hourly statistics in [{@code from}, {@code to}) summed by {@code granularity}
   * (UTC), oldest first: calls, duration, the sentiment mix, successes, callbacks, AI tokens and
   * cost.
   */
  public List<String> stats(String tenantId, Instant from, Instant to, Granularity granularity) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT jsonb_build_object('bucket', bucket, 'calls', sum(calls),"
                        + " 'total_duration_ms', sum(total_duration_ms), 'positive', sum(positive),"
                        + " 'neutral', sum(neutral), 'negative', sum(negative), 'mixed', sum(mixed),"
                        + " 'successful', sum(successful), 'callbacks', sum(callbacks),"
                        + " 'input_tokens', sum(input_tokens), 'output_tokens', sum(output_tokens),"
                        + " 'cost_usd', sum(cost_usd))"
                        + " FROM (SELECT date_trunc(:unit, window_start AT TIME ZONE 'UTC')"
                        + "   AT TIME ZONE 'UTC' AS bucket, * FROM tenant_stats"
                        + "   WHERE tenant_id = :tenant"
                        + "   AND (CAST(:from AS timestamptz) IS NULL OR window_start >= :from)"
                        + "   AND (CAST(:to AS timestamptz) IS NULL OR window_start < :to)) hours"
                        + " GROUP BY bucket ORDER BY bucket")
                .bind("unit", granularity.name().toLowerCase(java.util.Locale.ROOT))
                .bind("tenant", tenantId)
                .bind("from", from)
                .bind("to", to)
                .mapTo(String.class)
                .list());
  }

  /**
   * Dead letters not yet redriven, of {@code tenantId} (null: every tenant and the calls that never
   * got one, for the operator): grouped by reason and stage with their count, first and last time
   * and the latest entry, and the entries themselves (of {@code reason} and {@code stage} when
   * given), newest first, at most {@code limit}.
   */
  public String deadLetters(String tenantId, String reason, String stage, int limit) {
    String waiting =
        " FROM dead_letters d WHERE NOT EXISTS (SELECT 1 FROM dead_letter_redrives r"
            + "  WHERE r.dlt_partition = d.dlt_partition AND r.dlt_offset = d.dlt_offset)"
            + " AND (CAST(:tenant AS text) IS NULL OR d.tenant_id = :tenant)";
    String entry =
        "jsonb_build_object('id', d.dlt_partition || '-' || d.dlt_offset) || (to_jsonb(d)"
            + " - 'dlt_partition' - 'dlt_offset')";
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT jsonb_build_object('groups', (SELECT coalesce(jsonb_agg(g ORDER BY"
                        + "  g->>'last_seen' DESC), '[]'::jsonb) FROM (SELECT jsonb_build_object("
                        + "  'reason', reason, 'stage', stage, 'count', count(*),"
                        + "  'first_seen', min(dead_lettered_at), 'last_seen', max(dead_lettered_at),"
                        + "  'example', (array_agg("
                        + entry
                        + " ORDER BY dead_lettered_at DESC))[1]) AS g"
                        + waiting
                        + "  GROUP BY reason, stage) groups),"
                        + " 'entries', (SELECT coalesce(jsonb_agg(e ORDER BY e->>'dead_lettered_at'"
                        + "  DESC), '[]'::jsonb) FROM (SELECT "
                        + entry
                        + " AS e"
                        + waiting
                        + "  AND (CAST(:reason AS text) IS NULL OR d.reason = :reason)"
                        + "  AND (CAST(:stage AS text) IS NULL OR d.stage = :stage)"
                        + "  ORDER BY d.dead_lettered_at DESC LIMIT :limit) entries))")
                .bind("tenant", tenantId)
                .bind("reason", reason)
                .bind("stage", stage)
                .bind("limit", limit)
                .mapTo(String.class)
                .one());
  }
}
