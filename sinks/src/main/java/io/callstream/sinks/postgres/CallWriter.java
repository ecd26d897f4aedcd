package io.callstream.sinks.postgres;

import io.callstream.events.EnrichedCall;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;

/**
 * Writes enriched calls to {@code calls}, one row per call, with COPY (Postgres's fastest way in).
 * A batch first looks up (and locks) the stored versions of its calls: new calls are copied
 * straight in, newer versions of stored calls are copied to a session-local staging table and
 * merged, and a replay (same version) or an older version writes nothing, so reprocessing any topic
 * leaves the same rows. A call enriched again from the same input event (same version) by another
 * model or prompt version, later than the stored row, replaces it: that is how a replay after a
 * prompt change reaches the database. Within a batch, the newest version of a call wins.
 */
public final class CallWriter {
  /** The columns of {@code calls} the writer fills, in the order of {@link #csv}. */
  public static final String COLUMNS =
      "call_id, tenant_id, agent_id, provider, provider_call_id, version, direction, status, started_at, ended_at, "
          + "duration_ms, parties, title, summary, sentiment, sentiment_score, speaker_sentiments, success, success_reason, "
          + "callback, topics, action_items, extracted, transcript_source, pii_redacted, analyzer, model, prompt_version, "
          + "input_tokens, output_tokens, audio_ms, cost_usd, enriched_at, evaluation, plan_version";

  private static final String UPDATES =
      String.join(
          ", ",
          java.util.Arrays.stream(COLUMNS.split(",\\s*"))
              .filter(column -> !column.equals("call_id"))
              .map(column -> column + " = EXCLUDED." + column)
              .toList());
  private static final String STAGE =
      "CREATE TEMP TABLE IF NOT EXISTS calls_staging (LIKE calls INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
  private static final String MERGE =
      "INSERT INTO calls ("
          + COLUMNS
          + ") SELECT "
          + COLUMNS
          + " FROM calls_staging "
          + "ON CONFLICT (call_id) DO UPDATE SET "
          + UPDATES
          + ", written_at = now() WHERE "
          + replacedWhen("calls", "enriched_at");

  /**
   * When an upsert replaces a stored row of {@code table} (one with version, model and
   * prompt_version): a newer version always; the same version only when made later ({@code madeAt})
   * by another model or prompt version, a replay after a prompt change. A replay of the same result
   * replaces nothing. {@link Stored#replacedBy} is the same rule for a looked-up row.
   */
  static String replacedWhen(String table, String madeAt) {
    return """
        %1$s.version < EXCLUDED.version
           OR (%1$s.version = EXCLUDED.version AND %1$s.%2$s < EXCLUDED.%2$s
               AND (%1$s.model, %1$s.prompt_version) IS DISTINCT FROM (EXCLUDED.model, EXCLUDED.prompt_version))
        """
        .formatted(table, madeAt);
  }

  /** What decides whether an incoming version of a call replaces the stored row. */
  private record Stored(long version, String model, String promptVersion, Instant enrichedAt) {
    boolean replacedBy(EnrichedCall call) {
      return version < call.getVersion()
          || (version == call.getVersion()
              && enrichedAt.isBefore(call.getEnrichedAt())
              && !(model.equals(call.getModel()) && promptVersion.equals(call.getPromptVersion())));
    }
  }

  private final Jdbi jdbi;

  public CallWriter(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Writes {@code calls} in one transaction and returns how many rows were inserted or replaced.
   */
  public int write(List<EnrichedCall> calls) {
    if (calls.isEmpty()) {
      return 0;
    }
    Map<UUID, EnrichedCall> newest = new LinkedHashMap<>();
    calls.forEach(
        call ->
            newest.merge(
                call.getCallId(), call, (a, b) -> a.getVersion() >= b.getVersion() ? a : b));
    return jdbi.inTransaction(
        handle -> {
          Map<UUID, Stored> stored = new HashMap<>();
          handle
              .createQuery(
                  "SELECT call_id, version, model, prompt_version, enriched_at FROM calls"
                      + " WHERE call_id = ANY(:ids) FOR UPDATE")
              .bindArray("ids", UUID.class, new ArrayList<>(newest.keySet()))
              .map(
                  (rs, ctx) ->
                      Map.entry(
                          rs.getObject(1, UUID.class),
                          new Stored(
                              rs.getLong(2),
                              rs.getString(3),
                              rs.getString(4),
                              rs.getTimestamp(5).toInstant())))
              .forEach(entry -> stored.put(entry.getKey(), entry.getValue()));
          List<EnrichedCall> fresh = new ArrayList<>();
          List<EnrichedCall> newer = new ArrayList<>();
          for (EnrichedCall call : newest.values()) {
            Stored row = stored.get(call.getCallId());
            if (row == null) {
              fresh.add(call);
            } else if (row.replacedBy(call)) {
              newer.add(call);
            }
          }
          // New calls go straight in; newer versions and re-enrichments of stored ones are merged;
          // the rest is a replay.
          if (!fresh.isEmpty()) {
            copy(handle, "calls", fresh);
          }
          if (!newer.isEmpty()) {
            handle.execute(STAGE);
            copy(handle, "calls_staging", newer);
            handle.execute(MERGE);
          }
          return fresh.size() + newer.size();
        });
  }

  private static void copy(Handle handle, String table, List<EnrichedCall> calls) {
    try {
      handle
          .getConnection()
          .unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn(
              "COPY " + table + " (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)",
              new StringReader(csv(calls)));
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code calls} in the COPY form the writer sends (CSV, {@link #COLUMNS} in order). */
  public static String csv(List<EnrichedCall> calls) {
    StringBuilder csv = new StringBuilder(calls.size() * 600);
    for (EnrichedCall c : calls) {
      Csv row = new Csv(csv);
      row.value(c.getCallId())
          .text(c.getTenantId())
          .text(c.getAgentId())
          .value(c.getProvider())
          .text(c.getProviderCallId())
          .value(c.getVersion())
          .value(c.getDirection())
          .value(c.getStatus())
          .value(c.getStartedAt())
          .value(c.getEndedAt())
          .value(c.getDurationMs())
          .text(Json.parties(c.getParties()))
          .text(c.getTitle())
          .text(c.getSummary())
          .value(c.getSentiment())
          .value(c.getSentimentScore())
          .text(Json.speakerSentiments(c.getSpeakerSentiments()))
          .value(c.getSuccess())
          .text(c.getSuccessReason())
          .text(Json.callback(c.getCallback()))
          .array(c.getTopics())
          .array(c.getActionItems())
          .text(c.getExtractedJson())
          .value(c.getTranscriptSource())
          .value(c.getPiiRedacted())
          .text(c.getAnalyzer())
          .text(c.getModel())
          .text(c.getPromptVersion())
          .value(c.getUsage().getInputTokens())
          .value(c.getUsage().getOutputTokens())
          .value(c.getUsage().getAudioMs())
          .value(c.getUsage().getCostUsd())
          .value(c.getEnrichedAt())
          .text(Json.evaluation(c.getEvaluation()))
          .text(c.getPlanVersion());
      csv.setCharAt(csv.length() - 1, '\n');
    }
    return csv.toString();
  }

  /** One CSV row in Postgres's COPY format: null is an empty field, every text is quoted. */
  private record Csv(StringBuilder out) {
    Csv value(Object value) {
      if (value != null) {
        out.append(value);
      }
      out.append(',');
      return this;
    }

    Csv text(String value) {
      if (value != null) {
        quote(value);
      }
      out.append(',');
      return this;
    }

    /** A text[] literal such as {"a","b \"c\""}, quoted as one CSV field. */
    Csv array(List<String> values) {
      StringBuilder literal = new StringBuilder("{");
      for (int i = 0; i < values.size(); i++) {
        literal
            .append(i == 0 ? "\"" : ",\"")
            .append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
            .append('"');
      }
      quote(literal.append('}').toString());
      out.append(',');
      return this;
    }

    private void quote(String value) {
      out.append('"').append(value.replace("\"", "\"\"")).append('"');
    }
  }
}
