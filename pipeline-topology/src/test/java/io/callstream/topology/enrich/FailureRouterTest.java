package io.callstream.topology.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.ErrorClass;
import io.callstream.events.Stage;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FailureRouterTest {
  private static final Instant NOW = Instant.parse("2026-11-20T14:00:00Z");
  private final FailureRouter router = new FailureRouter(RetryPolicy.defaults());

  @Test
  void aTransientFailureGoesToTheTierForItsAttemptKeepingItsStage() {
    var route =
        (FailureRouter.Route.Retry)
            router.route(
                item(0),
                Outcome.transientFailure("timeout calling /chat/completions", Duration.ZERO),
                NOW);
    assertThat(route.tier().topic()).isEqualTo(Topics.CALLS_RETRY_30S);
    WorkItem retried = route.item();
    assertThat(retried.getStage()).isEqualTo(Stage.CHUNK);
    assertThat(retried.getAttempt()).isEqualTo(1);
    assertThat(retried.getDueAt()).isEqualTo(NOW.plusSeconds(30));
    assertThat(retried.getErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getStage()).isEqualTo(Stage.CHUNK);
              assertThat(e.getErrorClass()).isEqualTo(ErrorClass.TRANSIENT);
              assertThat(e.getReason()).isEqualTo("timeout");
              assertThat(e.getAt()).isEqualTo(NOW);
            });
  }

  @Test
  void retryAfterLongerThanTheTierMovesTheItemLaterAndSetsItsDueTime() {
    var route =
        (FailureRouter.Route.Retry)
            router.route(
                item(0),
                Outcome.transientFailure("429 from /embeddings: slow down", Duration.ofMinutes(2)),
                NOW);
    assertThat(route.tier().topic()).isEqualTo(Topics.CALLS_RETRY_5M);
    assertThat(route.item().getDueAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(route.item().getErrors().get(0).getReason()).isEqualTo("http_429");
  }

  @Test
  void permanentFailuresAndExhaustedItemsAreDeadLetteredWithTheirHistory() {
    var permanent =
        (FailureRouter.Route.DeadLetter)
            router.route(
                item(1), Outcome.permanentFailure("invalid_json: the answer does not fit"), NOW);
    assertThat(permanent.reason()).isEqualTo("invalid_json");
    assertThat(permanent.item().getDeadLetterReason()).isEqualTo("invalid_json");
    assertThat(permanent.item().getErrors())
        .hasSize(2)
        .last()
        .satisfies(e -> assertThat(e.getErrorClass()).isEqualTo(ErrorClass.PERMANENT));

    var exhausted =
        (FailureRouter.Route.DeadLetter)
            router.route(
                item(4),
                Outcome.transientFailure("500 from /chat/completions", Duration.ZERO),
                NOW);
    assertThat(exhausted.reason()).isEqualTo("exhausted");
    assertThat(exhausted.item().getAttempt()).isEqualTo(5);
    assertThat(exhausted.item().getErrors())
        .hasSize(5)
        .last()
        .satisfies(e -> assertThat(e.getErrorClass()).isEqualTo(ErrorClass.EXHAUSTED));
  }

  private static WorkItem item(int failedSoFar) {
    var errors = new java.util.ArrayList<io.callstream.events.StageError>();
    for (int i = 1; i <= failedSoFar; i++) {
      errors.add(
          new io.callstream.events.StageError(
              Stage.CHUNK,
              i,
              NOW.minusSeconds(60L * i),
              ErrorClass.TRANSIENT,
              "timeout",
              "timeout"));
    }
    return WorkItem.newBuilder()
        .setCallId(UUID.randomUUID())
        .setEventId("evt")
        .setTenantId("acme")
        .setStage(Stage.CHUNK)
        .setAttempt(failedSoFar)
        .setAcceptedAt(NOW.minusSeconds(3600))
        .setErrors(errors)
        .build();
  }
}
