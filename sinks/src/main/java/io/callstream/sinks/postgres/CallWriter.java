package io.callstream.sinks.postgres;

import io.callstream.events.EnrichedCall;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

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
    return BatchedUpsert.run(
        jdbi,
        UPSERT,
        calls,
        (batch, c) ->
            batch
                .bind("call_id", c.getCallId())
                .bind("tenant_id", c.getTenantId())
                .bind("agent_id", c.getAgentId())
                .bind("provider", c.getProvider().name())
                .bind("provider_call_id", c.getProviderCallId())
                .bind("version", c.getVersion())
                .bind("direction", c.getDirection().name())
                .bind("status", c.getStatus().name())
                .bind(
                    "started_at",
                    c.getStartedAt() == null ? null : Timestamp.from(c.getStartedAt()))
                .bind("ended_at", Timestamp.from(c.getEndedAt()))
                .bind("duration_ms", c.getDurationMs())
                .bind("parties", Json.parties(c.getParties()))
                .bind("title", c.getTitle())
                .bind("summary", c.getSummary())
                .bind("sentiment", c.getSentiment().name())
                .bind("sentiment_score", c.getSentimentScore())
                .bind("speaker_sentiments", Json.speakerSentiments(c.getSpeakerSentiments()))
                .bind("success", c.getSuccess().name())
                .bind("success_reason", c.getSuccessReason())
                .bind("callback", Json.callback(c.getCallback()))
                .bind("topics", c.getTopics().toArray(String[]::new))
                .bind("action_items", c.getActionItems().toArray(String[]::new))
                .bind("extracted", c.getExtractedJson())
                .bind("transcript_source", c.getTranscriptSource().name())
                .bind("pii_redacted", c.getPiiRedacted())
                .bind("analyzer", c.getAnalyzer())
                .bind("model", c.getModel())
                .bind("prompt_version", c.getPromptVersion())
                .bind("input_tokens", c.getUsage().getInputTokens())
                .bind("output_tokens", c.getUsage().getOutputTokens())
                .bind("audio_ms", c.getUsage().getAudioMs())
                .bind("cost_usd", c.getUsage().getCostUsd())
                .bind("enriched_at", Timestamp.from(c.getEnrichedAt())));
  }
}
