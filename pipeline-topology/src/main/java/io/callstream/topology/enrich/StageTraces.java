package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.StageResult;
import io.callstream.events.WorkItem;
import io.callstream.schemas.trace.CallTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The spans of the stages running in one task: a call runs one stage at a time, so one stage span
 * (and, while its AI call is out, one AI span) per call. A stage's span is a child of the call's
 * trace ({@code WorkItem.trace_parent}: the gateway's request), and the stage's outputs carry the
 * stage span's {@code traceparent}, so the sinks' writes join the same trace.
 */
final class StageTraces {
  private final boolean enabled = CallTracing.enabled();
  private final Tracer tracer = CallTracing.tracer();
  private final Map<UUID, Span> stages = new HashMap<>();
  private final Map<UUID, Span> aiCalls = new HashMap<>();

  /**
   * Opens the span of {@code item}'s stage; {@code retryTier} is the retry topic it came back from,
   * or null.
   */
  void stageStarted(WorkItem item, String retryTier) {
    if (!enabled) {
      return; // the maps stay empty: nothing on the enrichment's path but this test
    }
    end(stages.remove(item.getCallId()), null);
    var span =
        tracer
            .spanBuilder("stage " + item.getStage())
            .setParent(CallTracing.parent(item.getTraceParent()))
            .setAttribute("callstream.call_id", item.getCallId().toString())
            .setAttribute("callstream.stage", item.getStage().name())
            .setAttribute("callstream.attempt", item.getAttempt() + 1L);
    if (item.getTenantId() != null) {
      span.setAttribute("callstream.tenant_id", item.getTenantId());
    }
    if (retryTier != null) {
      span.setAttribute("callstream.retry_tier", retryTier);
    }
    stages.put(item.getCallId(), span.startSpan());
  }

  /** Opens the span of the AI call of {@code item}'s stage; a cache hit's ends at once. */
  void aiCallStarted(WorkItem item, boolean cacheHit) {
    Span stage = stages.get(item.getCallId());
    if (stage == null) {
      return;
    }
    Span ai =
        tracer
            .spanBuilder("ai " + item.getStage())
            .setParent(Context.root().with(stage))
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("callstream.ai.cache_hit", cacheHit)
            .setAttribute("callstream.attempt", item.getAttempt() + 1L)
            .startSpan();
    if (cacheHit) {
      ai.end();
    } else {
      end(aiCalls.put(item.getCallId(), ai), null);
    }
  }

  /** Closes the AI call's span with what it answered: model and tokens, or the failure. */
  void aiCallDone(WorkItem item, Outcome<StageResult> outcome) {
    Span ai = aiCalls.remove(item.getCallId());
    if (ai == null) {
      return;
    }
    if (outcome instanceof Outcome.Success<StageResult> success && success.result() != null) {
      StageResult result = success.result();
      ai.setAttribute("gen_ai.request.model", result.getModel());
      ai.setAttribute("gen_ai.usage.input_tokens", result.getUsage().getInputTokens());
      ai.setAttribute("gen_ai.usage.output_tokens", result.getUsage().getOutputTokens());
      ai.end();
    } else {
      end(ai, outcome.toString());
    }
  }

  /**
   * Closes the stage's span, with {@code failure} when it failed (retry tier or dead letter), and
   * returns its {@code traceparent} for the stage's outputs (null when tracing is off).
   */
  String stageDone(UUID callId, String failure) {
    Span stage = stages.remove(callId);
    if (stage == null) {
      return null;
    }
    String traceparent = CallTracing.traceparent(stage);
    end(stage, failure);
    return traceparent;
  }

  /** Marks the stage of {@code callId} as sent to {@code tier} before {@link #stageDone}. */
  void retried(UUID callId, String tier) {
    Span stage = stages.get(callId);
    if (stage != null) {
      stage.setAttribute("callstream.retry_to", tier);
    }
  }

  /** The task closes: what is still open ends, marked as moved on. */
  void closeAll() {
    aiCalls.values().forEach(span -> end(span, "the task closed with the call in flight"));
    stages.values().forEach(span -> end(span, "the task closed with the call in flight"));
    aiCalls.clear();
    stages.clear();
  }

  private static void end(Span span, String failure) {
    if (span == null) {
      return;
    }
    if (failure != null) {
      span.setStatus(StatusCode.ERROR, failure);
    }
    span.end();
  }
}
