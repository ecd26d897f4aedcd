package io.callstream.sinks.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.events.AgentTenant;
import io.callstream.events.CallDocument;
import io.callstream.events.Callback;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.StageError;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.TranscriptWord;
import io.callstream.events.WorkItem;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writers for the tables beside {@code calls}: transcripts, callbacks, documents, tenant stats,
 * retries, recordings and agents. Each is one batched upsert per batch in one transaction, guarded
 * so that an older record never replaces a newer row and a replay writes nothing.
 */
public final class RowWriters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TRANSCRIPT =
      """
      INSERT INTO transcripts (call_id, tenant_id, recording_id, language, duration_ms, text, segments, model, transcribed_at)
      VALUES (:call_id, :tenant_id, :recording_id, :language, :duration_ms, :text, CAST(:segments AS jsonb), :model, :transcribed_at)
      ON CONFLICT (call_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, recording_id = EXCLUDED.recording_id,
        language = EXCLUDED.language, duration_ms = EXCLUDED.duration_ms, text = EXCLUDED.text, segments = EXCLUDED.segments,
        model = EXCLUDED.model, transcribed_at = EXCLUDED.transcribed_at
      WHERE transcripts.transcribed_at < EXCLUDED.transcribed_at
      """;

  // A callback moves SCHEDULED -> DUE or CANCELED within one version, and a waiting one may be
  // rescheduled (a replay after a prompt change: later created_at); a newer version (a newer
  // analysis) wins outright.
  private static final String CALLBACK =
      """
      INSERT INTO callbacks (callback_id, call_id, tenant_id, agent_id, phone_number, due_at, time_zone, reason, phrase, state, version, created_at)
      VALUES (:callback_id, :call_id, :tenant_id, :agent_id, :phone_number, :due_at, :time_zone, :reason, :phrase, :state, :version, :created_at)
      ON CONFLICT (callback_id) DO UPDATE SET due_at = EXCLUDED.due_at, time_zone = EXCLUDED.time_zone, reason = EXCLUDED.reason,
        phrase = EXCLUDED.phrase, state = EXCLUDED.state, version = EXCLUDED.version, phone_number = EXCLUDED.phone_number,
        created_at = EXCLUDED.created_at
      WHERE callbacks.version < EXCLUDED.version
         OR (callbacks.version = EXCLUDED.version
             AND (CASE callbacks.state WHEN 'SCHEDULED' THEN 0 WHEN 'DUE' THEN 1 ELSE 2 END)
               < (CASE EXCLUDED.state WHEN 'SCHEDULED' THEN 0 WHEN 'DUE' THEN 1 ELSE 2 END))
         OR (callbacks.version = EXCLUDED.version AND callbacks.state = 'SCHEDULED' AND EXCLUDED.state = 'SCHEDULED'
             AND callbacks.created_at < EXCLUDED.created_at)
      """;

  // Replaced as a calls row is: by a newer version, or by the same one rewritten after a prompt
  // change.
  private static final String DOCUMENT =
      """
      INSERT INTO documents (call_id, tenant_id, version, title, markdown, model, prompt_version, generated_at)
      VALUES (:call_id, :tenant_id, :version, :title, :markdown, :model, :prompt_version, :generated_at)
      ON CONFLICT (call_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, version = EXCLUDED.version, title = EXCLUDED.title,
        markdown = EXCLUDED.markdown, model = EXCLUDED.model, prompt_version = EXCLUDED.prompt_version, generated_at = EXCLUDED.generated_at
      WHERE
      """
          + CallWriter.replacedWhen("documents", "generated_at");

  private static final String STATS =
      """
      INSERT INTO tenant_stats (tenant_id, window_start, window_end, calls, total_duration_ms, positive, neutral, negative, mixed,
        successful, callbacks, input_tokens, output_tokens, cost_usd, updated_at)
      VALUES (:tenant_id, :window_start, :window_end, :calls, :total_duration_ms, :positive, :neutral, :negative, :mixed,
        :successful, :callbacks, :input_tokens, :output_tokens, :cost_usd, :updated_at)
      ON CONFLICT (tenant_id, window_start) DO UPDATE SET window_end = EXCLUDED.window_end, calls = EXCLUDED.calls,
        total_duration_ms = EXCLUDED.total_duration_ms, positive = EXCLUDED.positive, neutral = EXCLUDED.neutral,
        negative = EXCLUDED.negative, mixed = EXCLUDED.mixed, successful = EXCLUDED.successful, callbacks = EXCLUDED.callbacks,
        input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens, cost_usd = EXCLUDED.cost_usd,
        updated_at = EXCLUDED.updated_at
      WHERE tenant_stats.updated_at < EXCLUDED.updated_at
      """;

  // The latest retry of a call wins; a replayed older one writes nothing.
  private static final String RETRY =
      """
      INSERT INTO call_retries (call_id, tenant_id, tier, stage, attempt, due_at, failed_at, errors)
      VALUES (:call_id, :tenant_id, :tier, :stage, :attempt, :due_at, :failed_at, CAST(:errors AS jsonb))
      ON CONFLICT (call_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, tier = EXCLUDED.tier, stage = EXCLUDED.stage,
        attempt = EXCLUDED.attempt, due_at = EXCLUDED.due_at, failed_at = EXCLUDED.failed_at, errors = EXCLUDED.errors
      WHERE call_retries.failed_at < EXCLUDED.failed_at
      """;

  private static final String RECORDING =
      """
      INSERT INTO recordings (call_id, event_id, recording_id, audio_url, format, duration_ms, channels, size_bytes, received_at)
      VALUES (:call_id, :event_id, :recording_id, :audio_url, :format, :duration_ms, :channels, :size_bytes, :received_at)
      ON CONFLICT (call_id, event_id) DO NOTHING
      """;

  // A mapping replaces an older one; a tombstone (no mapping) deletes the agent.
  private static final String AGENT =
      """
      INSERT INTO agents (agent_id, tenant_id, provider, name, time_zone, updated_at)
      VALUES (:agent_id, :tenant_id, :provider, :name, :time_zone, :updated_at)
      ON CONFLICT (agent_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, provider = EXCLUDED.provider,
        name = EXCLUDED.name, time_zone = EXCLUDED.time_zone, updated_at = EXCLUDED.updated_at
      WHERE agents.updated_at <= EXCLUDED.updated_at
      """;

  private static final String AGENT_REMOVED = "DELETE FROM agents WHERE agent_id = :agent_id";

  /** A record of {@code tenants.agents.v1}: the agent's mapping, or null for a tombstone. */
  public record Agent(String agentId, AgentTenant mapping) {}

  /**
   * A work item on a retry tier ({@code tier}, as {@code 30s}); it failed at its last error's time,
   * or when the record was written if it carries none.
   */
  public record Retry(String tier, Instant writtenAt, WorkItem item) {
    Instant failedAt() {
      List<StageError> errors = item.getErrors();
      return errors.isEmpty() ? writtenAt : errors.get(errors.size() - 1).getAt();
    }
  }

  private final Jdbi jdbi;

  public RowWriters(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public int transcripts(List<Transcript> transcripts) {
    return batch(
        TRANSCRIPT,
        transcripts,
        (b, t) ->
            b.bind("call_id", t.getCallId())
                .bind("tenant_id", t.getTenantId())
                .bind("recording_id", t.getRecordingId())
                .bind("language", t.getLanguage())
                .bind("duration_ms", t.getDurationMs())
                .bind("text", t.getText())
                .bind("segments", segments(t.getSegments()))
                .bind("model", t.getModel())
                .bind("transcribed_at", Timestamp.from(t.getTranscribedAt())));
  }

  public int callbacks(List<Callback> callbacks) {
    return batch(
        CALLBACK,
        callbacks,
        (b, c) ->
            b.bind("callback_id", c.getCallbackId())
                .bind("call_id", c.getCallId())
                .bind("tenant_id", c.getTenantId())
                .bind("agent_id", c.getAgentId())
                .bind("phone_number", c.getPhoneNumber())
                .bind("due_at", Timestamp.from(c.getDueAt()))
                .bind("time_zone", c.getTimeZone())
                .bind("reason", c.getReason())
                .bind("phrase", c.getPhrase())
                .bind("state", c.getStatus().name())
                .bind("version", c.getVersion())
                .bind("created_at", Timestamp.from(c.getCreatedAt())));
  }

  public int documents(List<CallDocument> documents) {
    return batch(
        DOCUMENT,
        documents,
        (b, d) ->
            b.bind("call_id", d.getCallId())
                .bind("tenant_id", d.getTenantId())
                .bind("version", d.getVersion())
                .bind("title", d.getTitle())
                .bind("markdown", d.getMarkdown())
                .bind("model", d.getModel())
                .bind("prompt_version", d.getPromptVersion())
                .bind("generated_at", Timestamp.from(d.getGeneratedAt())));
  }

  public int tenantStats(List<TenantStats> stats) {
    return batch(
        STATS,
        stats,
        (b, s) ->
            b.bind("tenant_id", s.getTenantId())
                .bind("window_start", Timestamp.from(s.getWindowStart()))
                .bind("window_end", Timestamp.from(s.getWindowEnd()))
                .bind("calls", s.getCalls())
                .bind("total_duration_ms", s.getTotalDurationMs())
                .bind("positive", s.getPositive())
                .bind("neutral", s.getNeutral())
                .bind("negative", s.getNegative())
                .bind("mixed", s.getMixed())
                .bind("successful", s.getSuccessful())
                .bind("callbacks", s.getCallbacks())
                .bind("input_tokens", s.getInputTokens())
                .bind("output_tokens", s.getOutputTokens())
                .bind("cost_usd", s.getCostUsd())
                .bind("updated_at", Timestamp.from(s.getUpdatedAt())));
  }

  public int retries(List<Retry> retries) {
    return batch(
        RETRY,
        retries,
        (b, r) ->
            b.bind("call_id", r.item().getCallId())
                .bind("tenant_id", r.item().getTenantId())
                .bind("tier", r.tier())
                .bind("stage", r.item().getStage().name())
                .bind("attempt", r.item().getAttempt())
                .bind(
                    "due_at",
                    r.item().getDueAt() == null ? null : Timestamp.from(r.item().getDueAt()))
                .bind("failed_at", Timestamp.from(r.failedAt()))
                .bind("errors", Json.errors(r.item().getErrors())));
  }

  public int recordings(List<RecordingUploaded> recordings) {
    return batch(
        RECORDING,
        recordings,
        (b, r) ->
            b.bind("call_id", r.getCallId())
                .bind("event_id", r.getEventId())
                .bind("recording_id", r.getRecordingId())
                .bind("audio_url", r.getAudioUrl())
                .bind("format", r.getFormat().name())
                .bind("duration_ms", r.getDurationMs())
                .bind("channels", r.getChannels())
                .bind("size_bytes", r.getSizeBytes())
                .bind("received_at", Timestamp.from(r.getReceivedAt())));
  }

  /** Applies the agents' mappings and removals in order, in one transaction. */
  public int agents(List<Agent> agents) {
    return jdbi.inTransaction(
        handle -> {
          for (Agent agent : agents) {
            AgentTenant m = agent.mapping();
            if (m == null) {
              handle.createUpdate(AGENT_REMOVED).bind("agent_id", agent.agentId()).execute();
            } else {
              handle
                  .createUpdate(AGENT)
                  .bind("agent_id", m.getAgentId())
                  .bind("tenant_id", m.getTenantId())
                  .bind("provider", m.getProvider().name())
                  .bind("name", m.getAgentName())
                  .bind("time_zone", m.getTimeZone())
                  .bind("updated_at", Timestamp.from(m.getUpdatedAt()))
                  .execute();
            }
          }
          return agents.size();
        });
  }

  private <T> int batch(String sql, List<T> records, BiConsumer<PreparedBatch, T> binder) {
    return BatchedUpsert.run(jdbi, sql, records, binder);
  }

  private static String segments(List<TranscriptSegment> segments) {
    ArrayNode array = JSON.createArrayNode();
    for (TranscriptSegment segment : segments) {
      ObjectNode item =
          array
              .addObject()
              .put("index", segment.getIndex())
              .put("speaker", segment.getSpeaker())
              .put("text", segment.getText())
              .put("start_ms", segment.getStartMs())
              .put("end_ms", segment.getEndMs());
      ArrayNode words = item.putArray("words");
      for (TranscriptWord word : segment.getWords()) {
        words
            .addObject()
            .put("text", word.getText())
            .put("start_ms", word.getStartMs())
            .put("end_ms", word.getEndMs());
      }
    }
    return array.toString();
  }
}
