package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.CallEnded;
import io.callstream.events.ErrorClass;
import io.callstream.events.StageError;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.topology.retry.RetryPolicy;
import io.callstream.topology.retry.RetryTier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where a failed stage sends its item: a transient failure to the retry tier for its attempt (due
 * after the tier's delay, or the AI service's Retry-After if longer), a permanent failure or an
 * exhausted item to the dead-letter topic. Either way the try is appended to the item's error
 * history, and the item keeps every completed stage so it resumes where it failed.
 */
public final class FailureRouter {

  /** The item's next stop. */
  public sealed interface Route {
    record Retry(RetryTier tier, WorkItem item) implements Route {}

    record DeadLetter(String reason, WorkItem item) implements Route {}
  }

  private final RetryPolicy policy;

  public FailureRouter(RetryPolicy policy) {
    this.policy = policy;
  }

  public Route route(WorkItem item, Outcome<?> failure, Instant now) {
    int attempt = item.getAttempt() + 1;
    return switch (failure) {
      case Outcome.Transient<?> t ->
          switch (policy.afterFailure(attempt, t.retryAfter())) {
            case RetryPolicy.Decision.Retry retry -> {
              Duration wait =
                  retry.tier().delay().compareTo(t.retryAfter()) >= 0
                      ? retry.tier().delay()
                      : t.retryAfter();
              yield new Route.Retry(
                  retry.tier(),
                  failed(item, attempt, ErrorClass.TRANSIENT, t.reason(), now, null)
                      .setDueAt(now.plus(wait))
                      .build());
            }
            case RetryPolicy.Decision.Exhausted exhausted ->
                new Route.DeadLetter(
                    "exhausted",
                    failed(item, attempt, ErrorClass.EXHAUSTED, t.reason(), now, "exhausted")
                        .build());
          };
      case Outcome.Permanent<?> p ->
          new Route.DeadLetter(reasonCode(p.reason()), deadLetter(item, p.reason(), now));
      case Outcome.Success<?> s ->
          throw new IllegalArgumentException("a success is not a failure to route");
    };
  }

  /** {@code item} dead-lettered for a permanent failure, with the try in its error history. */
  public WorkItem deadLetter(WorkItem item, String reason, Instant now) {
    return failed(
            item, item.getAttempt() + 1, ErrorClass.PERMANENT, reason, now, reasonCode(reason))
        .build();
  }

  /** {@code item} dead-lettered because it grew too large for a Kafka record at its stage. */
  public WorkItem tooLarge(WorkItem item, OversizedRecord e, Instant now) {
    return deadLetter(
        item,
        "too_large: the work item of call "
            + item.getCallId()
            + " at "
            + item.getStage()
            + ": "
            + e.getMessage(),
        now);
  }

  /**
   * An item that was too large to keep at all, without the bulk it was refused for: the call's
   * turns stay in its input topic, which the item's coordinates name (its raw payload was never in
   * the item: {@code Intake} leaves it there too).
   */
  static WorkItem lean(WorkItem item) {
    WorkItem.Builder lean =
        WorkItem.newBuilder(item).setTranscript(null).setDocument(null).setChunks(List.of());
    if (item.getCall() != null) {
      lean.setCall(CallEnded.newBuilder(item.getCall()).setTurns(List.of()).build());
    }
    return lean.build();
  }

  /** A dead letter's headers: its reason, and where its input event was read from. */
  static Headers deadLetterHeaders(WorkItem item) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, EventHeaders.DLT_REASON, item.getDeadLetterReason());
    add(headers, EventHeaders.DLT_SOURCE_TOPIC, item.getSourceTopic());
    add(headers, EventHeaders.DLT_SOURCE_PARTITION, item.getSourcePartition());
    add(headers, EventHeaders.DLT_SOURCE_OFFSET, item.getSourceOffset());
    return headers;
  }

  private static void add(Headers headers, String name, Object value) {
    if (value != null) {
      headers.add(name, value.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static WorkItem.Builder failed(
      WorkItem item,
      int attempt,
      ErrorClass kind,
      String message,
      Instant now,
      String deadLetterReason) {
    List<StageError> errors = new ArrayList<>(item.getErrors());
    errors.add(new StageError(item.getStage(), attempt, now, kind, reasonCode(message), message));
    return WorkItem.newBuilder(item)
        .setAttempt(attempt)
        .setErrors(errors)
        .setDeadLetterReason(deadLetterReason);
  }

  /**
   * A short machine-readable reason from a failure message: its first word, such as 429, timeout or
   * invalid_json.
   */
  static String reasonCode(String message) {
    String first =
        message == null || message.isBlank() ? "unknown" : message.trim().split("[\\s:]+", 2)[0];
    return first.matches("\\d{3}") ? "http_" + first : first.toLowerCase(java.util.Locale.ROOT);
  }
}
