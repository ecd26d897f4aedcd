package io.callstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.gateway.support.Signers;
import io.callstream.gateway.support.TestGateway;
import io.callstream.gateway.support.TopicReader;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closing the gateway under load: requests in flight finish, later ones are refused, no 202 is
 * lost.
 */
@ExtendWith(LocalServices.class)
class GracefulShutdownIT {

  @Test
  void closingUnderLoadLosesNoAcceptedEvent(KafkaService kafka, SchemaRegistryService registry)
      throws Exception {
    TestGateway gateway =
        TestGateway.start(kafka.bootstrapServers(), registry.url(), Duration.ofSeconds(5));
    String run = UUID.randomUUID().toString().substring(0, 8);
    Queue<String> accepted = new ConcurrentLinkedQueue<>();
    Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    for (int sender = 0; sender < 16; sender++) {
      int id = sender;
      senders.submit(
          () -> {
            for (int n = 0; running.get(); n++) {
              String eventId = "shutdown-" + run + "-" + id + "-" + n;
              byte[] body =
                  ("{\"external_id\": \""
                          + eventId
                          + "\", \"event_id\": \""
                          + eventId
                          + "\", \"ended_at\": \"2026-11-20T15:00:00Z\"}")
                      .getBytes(StandardCharsets.UTF_8);
              try {
                int status =
                    gateway
                        .post(
                            "/v1/calls",
                            "application/json",
                            body,
                            "Authorization",
                            "Bearer " + Signers.ACME_API_KEY)
                        .statusCode();
                statuses.add(status);
                if (status == 202) {
                  accepted.add(eventId);
                }
              } catch (UncheckedIOException refused) {
                statuses.add(0); // the listener is gone: nothing was accepted
              }
            }
          });
    }
    Thread.sleep(1_500);
    gateway.close();
    running.set(false);
    senders.shutdown();
    assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(0, 202, 503));
    assertThat(accepted).isNotEmpty();
    Map<String, Long> onTopic =
        TopicReader.readAll(kafka.bootstrapServers(), Topics.CALLS_ENDED).stream()
            .map(
                r ->
                    new String(
                        r.headers().lastHeader(EventHeaders.EVENT_ID).value(),
                        StandardCharsets.UTF_8))
            .filter(id -> id.startsWith("shutdown-" + run))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    List<String> missingOrDoubled =
        accepted.stream().filter(id -> onTopic.getOrDefault(id, 0L) != 1L).toList();
    assertThat(missingOrDoubled).isEmpty();
  }
}
