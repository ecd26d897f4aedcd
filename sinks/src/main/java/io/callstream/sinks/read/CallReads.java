package io.callstream.sinks.read;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The calls the sinks wrote, as JSON documents that Postgres builds itself ({@code to_jsonb}), so
 * every column reads back with its own type: a page of calls newest first with a keyset cursor, and
 * one call with everything known of it. Every query is scoped to a tenant inside the SQL; a call of
 * another tenant reads exactly as a call that does not exist.
 */
public final class CallReads {

  /** A page of calls (JSON objects) and the cursor of the next page, or null on the last one. */
  public record Page(List<String> calls, String nextCursor) {}

  /** A cursor that could not be read. */
  public static final class BadCursor extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadCursor(String cursor) {
      super("cursor '" + cursor + "' is not one this API gave out");
    }
  }

  private static final String LISTED =
      "to_jsonb(c) - 'written_at' - 'speaker_sentiments' - 'action_items' - 'extracted'";

  private final Jdbi jdbi;

  public CallReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Up to {@code limit} calls matching {@code filter}, newest first, after {@code cursor}. */
  public Page list(CallFilter filter, int limit, String cursor) {
    Position after = cursor == null ? null : Position.parse(cursor);
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(LISTED)
            .append(", ended_at, call_id FROM calls c WHERE true");
    List<Binder> binds = new ArrayList<>();
    where(
        sql,
        binds,
        filter.tenantId(),
        "tenant_id = :tenant",
        q -> q.bind("tenant", filter.tenantId()));
    where(sql, binds, filter.from(), "ended_at >= :from", q -> q.bind("from", filter.from()));
    where(sql, binds, filter.to(), "ended_at < :to", q -> q.bind("to", filter.to()));
    where(
        sql, binds, filter.agentId(), "agent_id = :agent", q -> q.bind("agent", filter.agentId()));
    where(
        sql,
        binds,
        filter.provider(),
        "provider = :provider",
        q -> q.bind("provider", filter.provider()));
    where(
        sql,
        binds,
        filter.direction(),
        "direction = :direction",
        q -> q.bind("direction", filter.direction()));
    where(sql, binds, filter.status(), "status = :status", q -> q.bind("status", filter.status()));
    where(
        sql,
        binds,
        filter.sentiment(),
        "sentiment = :sentiment",
        q -> q.bind("sentiment", filter.sentiment()));
    where(
        sql,
        binds,
        filter.success(),
        "success = :success",
        q -> q.bind("success", filter.success()));
    if (filter.hasCallback() != null) {
      sql.append(filter.hasCallback() ? " AND callback IS NOT NULL" : " AND callback IS NULL");
    }
    where(
        sql,
        binds,
        filter.text(),
        "(title ILIKE :text OR summary ILIKE :text)",
        q -> q.bind("text", "%" + likeEscaped(filter.text()) + "%"));
    where(
        sql,
        binds,
        after,
        "(ended_at, call_id) < (:afterEnded, :afterCall)",
        q -> q.bind("afterEnded", after.endedAt()).bind("afterCall", after.callId()));
    sql.append(" ORDER BY ended_at DESC, call_id DESC LIMIT :limit");
    List<Row> rows =
        jdbi.withHandle(
            handle -> {
              Query query = handle.createQuery(sql.toString()).bind("limit", limit + 1);
              binds.forEach(bind -> bind.bind(query));
              return query
                  .map(
                      (rs, ctx) ->
                          new Row(
                              rs.getString(1),
                              rs.getTimestamp(2).toInstant(),
                              rs.getObject(3, UUID.class)))
                  .list();
            });
    boolean more = rows.size() > limit;
    List<Row> page = more ? rows.subList(0, limit) : rows;
    Row last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page(
        page.stream().map(Row::json).toList(),
        more ? new Position(last.endedAt(), last.callId()).encode() : null);
  }

  /**
   * Everything known of one call of {@code tenantId} (null: any tenant, for the operator): its row,
   * its chunks in order, its recording's transcript, its document and its callbacks.
   */
  public Optional<String> detail(String tenantId, UUID callId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT (to_jsonb(c) - 'written_at') || jsonb_build_object("
                        + " 'chunks', (SELECT coalesce(jsonb_agg(jsonb_build_object("
                        + "   'chunk_index', k.chunk_index, 'text', k.text, 'speaker', k.speaker,"
                        + "   'start_ms', k.start_ms, 'end_ms', k.end_ms, 'source', k.source)"
                        + "   ORDER BY k.chunk_index), '[]'::jsonb)"
                        + "   FROM call_chunks k WHERE k.call_id = c.call_id AND k.tenant_id = c.tenant_id),"
                        + " 'transcript', (SELECT to_jsonb(t) - 'tenant_id' - 'call_id' FROM transcripts t"
                        + "   WHERE t.call_id = c.call_id AND t.tenant_id = c.tenant_id),"
                        + " 'document', (SELECT to_jsonb(d) - 'tenant_id' - 'call_id' FROM documents d"
                        + "   WHERE d.call_id = c.call_id AND d.tenant_id = c.tenant_id),"
                        + " 'callbacks', (SELECT coalesce(jsonb_agg(to_jsonb(b) - 'tenant_id' - 'call_id'"
                        + "   ORDER BY b.due_at), '[]'::jsonb) FROM callbacks b"
                        + "   WHERE b.call_id = c.call_id AND b.tenant_id = c.tenant_id),"
                        + " 'dead_letters', (SELECT coalesce(jsonb_agg(jsonb_build_object("
                        + "   'id', d.dlt_partition || '-' || d.dlt_offset, 'reason', d.reason,"
                        + "   'stage', d.stage, 'errors', d.errors, 'dead_lettered_at', d.dead_lettered_at,"
                        + "   'redriven_at', r.redriven_at) ORDER BY d.dead_lettered_at), '[]'::jsonb)"
                        + "   FROM dead_letters d LEFT JOIN dead_letter_redrives r"
                        + "   ON r.dlt_partition = d.dlt_partition AND r.dlt_offset = d.dlt_offset"
                        + "   WHERE d.call_id = c.call_id AND d.tenant_id = c.tenant_id))"
                        + " FROM calls c WHERE c.call_id = :call"
                        + " AND (CAST(:tenant AS text) IS NULL OR c.tenant_id = :tenant)")
                .bind("call", callId)
                .bind("tenant", tenantId)
                .mapTo(String.class)
                .findOne());
  }

  /** True when {@code tenantId} (null: any tenant, for the operator) has the call. */
  public boolean exists(String tenantId, UUID callId) {
    return jdbi.withHandle(
        handle ->
            handle
                    .createQuery(
                        "SELECT count(*) FROM calls WHERE call_id = :call"
                            + " AND (CAST(:tenant AS text) IS NULL OR tenant_id = :tenant)")
                    .bind("call", callId)
                    .bind("tenant", tenantId)
                    .mapTo(Long.class)
                    .one()
                > 0);
  }

  private record Row(String json, Instant endedAt, UUID callId) {}

  @FunctionalInterface
  private interface Binder {
    void bind(Query query);
  }

  private static void where(
      StringBuilder sql, List<Binder> binds, Object value, String condition, Binder bind) {
    if (value != null) {
      sql.append(" AND ").append(condition);
      binds.add(bind);
    }
  }

  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** Where a page ended: the last call's end time and id, as an opaque cursor. */
  record Position(Instant endedAt, UUID callId) {
    String encode() {
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              (ChronoUnit.MICROS.between(Instant.EPOCH, endedAt) + ":" + callId)
                  .getBytes(StandardCharsets.UTF_8));
    }

    static Position parse(String cursor) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
        return new Position(
            Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS),
            UUID.fromString(parts[1]));
      } catch (RuntimeException e) {
        throw new BadCursor(cursor);
      }
    }
  }
}
