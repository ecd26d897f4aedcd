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

  // The call's row, or the retry and dead letters of a call the sinks have no row of yet, each
  // scoped to the tenant; the pipeline state is whichever of completion (the later of the row's
  // write and its chunks', as a call is enriched before it is embedded), the latest retry, a dead
  // letter and a redrive happened last.
  private static final String DETAIL =
      """
      WITH c AS (SELECT * FROM calls WHERE call_id = :call
                 AND (CAST(:tenant AS text) IS NULL OR tenant_id = :tenant)),
           r AS (SELECT * FROM call_retries WHERE call_id = :call
                 AND (CAST(:tenant AS text) IS NULL OR tenant_id = :tenant)),
           d AS (SELECT d.*, x.redriven_at,
                        coalesce((d.errors -> -1 ->> 'at')::timestamptz, d.dead_lettered_at) AS failed_at
                 FROM dead_letters d LEFT JOIN dead_letter_redrives x USING (dlt_partition, dlt_offset)
                 WHERE d.call_id = :call AND (CAST(:tenant AS text) IS NULL OR d.tenant_id = :tenant))
      SELECT coalesce(
          (SELECT (to_jsonb(c) - 'written_at') || jsonb_build_object(
             'chunks', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'chunk_index', k.chunk_index, 'text', k.text, 'speaker', k.speaker,
                 'start_ms', k.start_ms, 'end_ms', k.end_ms, 'source', k.source)
                 ORDER BY k.chunk_index), '[]'::jsonb)
               FROM call_chunks k WHERE k.call_id = c.call_id AND k.tenant_id = c.tenant_id),
             'transcript', (SELECT to_jsonb(t) - 'tenant_id' - 'call_id' FROM transcripts t
               WHERE t.call_id = c.call_id AND t.tenant_id = c.tenant_id),
             'recordings', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                 'recording_id', g.recording_id, 'format', g.format, 'duration_ms', g.duration_ms,
                 'channels', g.channels, 'size_bytes', g.size_bytes, 'received_at', g.received_at)
                 ORDER BY g.received_at), '[]'::jsonb)
               FROM recordings g WHERE g.call_id = c.call_id),
             'document', (SELECT to_jsonb(t) - 'tenant_id' - 'call_id' FROM documents t
               WHERE t.call_id = c.call_id AND t.tenant_id = c.tenant_id),
             'callbacks', (SELECT coalesce(jsonb_agg(to_jsonb(b) - 'tenant_id' - 'call_id'
                 ORDER BY b.due_at), '[]'::jsonb)
               FROM callbacks b WHERE b.call_id = c.call_id AND b.tenant_id = c.tenant_id))
           FROM c),
          jsonb_build_object('call_id', :call,
            'tenant_id', coalesce((SELECT tenant_id FROM r), (SELECT max(tenant_id) FROM d))))
        || jsonb_build_object(
          'dead_letters', (SELECT coalesce(jsonb_agg(jsonb_build_object(
              'id', d.dlt_partition || '-' || d.dlt_offset, 'reason', d.reason, 'stage', d.stage,
              'errors', d.errors, 'dead_lettered_at', d.dead_lettered_at, 'redriven_at', d.redriven_at)
              ORDER BY d.dead_lettered_at), '[]'::jsonb) FROM d),
          'pipeline', (SELECT jsonb_build_object('state', s.state, 'since', s.at) || s.detail FROM (
              SELECT 'completed' AS state,
                greatest(c.written_at, (SELECT s.written_at FROM call_chunk_sets s
                  WHERE s.call_id = c.call_id)) AS at, '{}'::jsonb AS detail FROM c
              UNION ALL
              SELECT 'retrying', r.failed_at, jsonb_build_object('tier', r.tier, 'stage', r.stage,
                'attempt', r.attempt, 'due_at', r.due_at, 'errors', r.errors) FROM r
              UNION ALL
              SELECT 'dead_lettered', d.failed_at, jsonb_build_object('reason', d.reason,
                'stage', d.stage, 'dead_letter_id', d.dlt_partition || '-' || d.dlt_offset,
                'errors', d.errors) FROM d
              UNION ALL
              SELECT 'redriven', d.redriven_at, jsonb_build_object('stage', d.stage,
                'dead_letter_id', d.dlt_partition || '-' || d.dlt_offset)
                FROM d WHERE d.redriven_at IS NOT NULL
            ) s ORDER BY s.at DESC LIMIT 1))
      WHERE EXISTS (SELECT 1 FROM c) OR EXISTS (SELECT 1 FROM r) OR EXISTS (SELECT 1 FROM d)
      """;

  private final Jdbi jdbi;

  public CallReads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  private static String criterionJson(CallFilter.Match criterion) {
    var array = new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode();
    array.addObject().put("name", criterion.name()).put("verdict", criterion.value());
    return array.toString();
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
        filter.criterion(),
        "evaluation @> CAST(:criterion AS jsonb)",
        q -> q.bind("criterion", criterionJson(filter.criterion())));
    where(
        sql,
        binds,
        filter.extracted(),
        "extracted ->> :extractedField = :extractedValue",
        q ->
            q.bind("extractedField", filter.extracted().name())
                .bind("extractedValue", filter.extracted().value()));
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
   * its chunks in order, its recording's transcript, its recordings, its document, its callbacks,
   * its dead letters and where it stands in the pipeline. A call not yet enriched (waiting on a
   * retry tier, or dead-lettered) is known by its pipeline state alone.
   */
  public Optional<String> detail(String tenantId, UUID callId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(DETAIL)
                .bind("call", callId)
                .bind("tenant", tenantId)
                .mapTo(String.class)
                .findOne());
  }

  /**
   * Where the latest recording of a call of {@code tenantId} (null: any tenant) is, and in which
   * format; a call is the tenant's when its enriched row says so.
   */
  public Optional<Recording> recording(String tenantId, UUID callId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT r.audio_url, r.format FROM recordings r JOIN calls c USING (call_id)"
                        + " WHERE r.call_id = :call"
                        + " AND (CAST(:tenant AS text) IS NULL OR c.tenant_id = :tenant)"
                        + " ORDER BY r.received_at DESC LIMIT 1")
                .bind("call", callId)
                .bind("tenant", tenantId)
                .map((rs, ctx) -> new Recording(rs.getString(1), rs.getString(2)))
                .findOne());
  }

  /** A recording's audio: where it is ({@code file:} in callstream's blob store) and its format. */
  public record Recording(String audioUrl, String format) {}

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
