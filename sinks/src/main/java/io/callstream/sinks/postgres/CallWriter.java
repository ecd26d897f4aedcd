package io.callstream.sinks.postgres;

import io.callstream.events.EnrichedCall;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes enriched calls to {@code calls}, one row per call, in one batched statement per batch. A
 * row is replaced only by a strictly newer version: a replay (same version) or an older version
 * writes nothing, so reprocessing any topic leaves the same rows.
 */
public final class CallWriter {
  private static final String UPSERT =
      """
      INSERT INTO calls (call_id, tenant_id, agent_id, provider, provider_call_id, version, direction, status,
        started_at, ended_at, duration_ms, parties, title, summary, sentiment, sentiment_score, speaker_sentiments,
        success, success_reason, callback, topics, action_items, extracted, transcript_source, pii_redacted,
        analyzer, model, prompt_version, input_tokens, output_tokens, audio_ms, cost_usd, enriched_at)
      VALUES (:call_id, :tenant_id, :agent_id, :provider, :provider_call_id, :version, :direction, :status,
        :started_at, :ended_at, :duration_ms, CAST(:parties AS jsonb), :title, :summary, :sentiment, :sentiment_score,
        CAST(:speaker_sentiments AS jsonb), :success, :success_reason, CAST(:callback AS jsonb), :topics, :action_items,
        CAST(:extracted AS jsonb), :transcript_source, :pii_redacted, :analyzer, :model, :prompt_version,
        :input_tokens, :output_tokens, :audio_ms, :cost_usd, :enriched_at)
      ON CONFLICT (call_id) DO UPDATE SET
        tenant_id = EXCLUDED.tenant_id, agent_id = EXCLUDED.agent_id, provider = EXCLUDED.provider,
        provider_call_id = EXCLUDED.provider_call_id, version = EXCLUDED.version, direction = EXCLUDED.direction,
        status = EXCLUDED.status, started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
        duration_ms = EXCLUDED.duration_ms, parties = EXCLUDED.parties, title = EXCLUDED.title,
        summary = EXCLUDED.summary, sentiment = EXCLUDED.sentiment, sentiment_score = EXCLUDED.sentiment_score,
        speaker_sentiments = EXCLUDED.speaker_sentiments, success = EXCLUDED.success,
        success_reason = EXCLUDED.success_reason, callback = EXCLUDED.callback, topics = EXCLUDED.topics,
        action_items = EXCLUDED.action_items, extracted = EXCLUDED.extracted,
        transcript_source = EXCLUDED.transcript_source, pii_redacted = EXCLUDED.pii_redacted,
        analyzer = EXCLUDED.analyzer, model = EXCLUDED.model, prompt_version = EXCLUDED.prompt_version,
        input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens, audio_ms = EXCLUDED.audio_ms,
        cost_usd = EXCLUDED.cost_usd, enriched_at = EXCLUDED.enriched_at, written_at = now()
      WHERE calls.version < EXCLUDED.version
      """;

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
    return jdbi.inTransaction(
        handle -> {
          PreparedBatch batch = handle.prepareBatch(UPSERT);
          for (EnrichedCall call : calls) {
            batch
                .bind("call_id", call.getCallId())
                .bind("tenant_id", call.getTenantId())
                .bind("agent_id", call.getAgentId())
                .bind("provider", call.getProvider().name())
                .bind("provider_call_id", call.getProviderCallId())
                .bind("version", call.getVersion())
                .bind("direction", call.getDirection().name())
                .bind("status", call.getStatus().name())
                .bind(
                    "started_at",
                    call.getStartedAt() == null ? null : Timestamp.from(call.getStartedAt()))
                .bind("ended_at", Timestamp.from(call.getEndedAt()))
                .bind("duration_ms", call.getDurationMs())
                .bind("parties", Json.parties(call.getParties()))
                .bind("title", call.getTitle())
                .bind("summary", call.getSummary())
                .bind("sentiment", call.getSentiment().name())
                .bind("sentiment_score", call.getSentimentScore())
                .bind("speaker_sentiments", Json.speakerSentiments(call.getSpeakerSentiments()))
                .bind("success", call.getSuccess().name())
                .bind("success_reason", call.getSuccessReason())
                .bind("callback", Json.callback(call.getCallback()))
                .bind("topics", call.getTopics().toArray(String[]::new))
                .bind("action_items", call.getActionItems().toArray(String[]::new))
                .bind("extracted", call.getExtractedJson())
                .bind("transcript_source", call.getTranscriptSource().name())
                .bind("pii_redacted", call.getPiiRedacted())
                .bind("analyzer", call.getAnalyzer())
                .bind("model", call.getModel())
                .bind("prompt_version", call.getPromptVersion())
                .bind("input_tokens", call.getUsage().getInputTokens())
                .bind("output_tokens", call.getUsage().getOutputTokens())
                .bind("audio_ms", call.getUsage().getAudioMs())
                .bind("cost_usd", call.getUsage().getCostUsd())
                .bind("enriched_at", Timestamp.from(call.getEnrichedAt()))
                .add();
          }
          int written = 0;
          for (int count : batch.execute()) {
            written += count;
          }
          return written;
        });
  }
}
