package io.callstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.gateway.support.Signers;
import io.callstream.gateway.support.TestGateway;
import io.callstream.gateway.support.TopicReader;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker goes away mid-run: requests get 503 while it is down (never 202), and once it is back
 * every request that got 202 is on the topic exactly once.
 */
@ExtendWith(LocalServices.class)
class BrokerOutageIT {
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);

  /** One request as the sender saw it, with when it started and ended. */
  private record Sent(String eventId, int status, long startNanos, long endNanos) {}

  @Test
  void noRequestIsAcceptedThatWasNotStoredAndNoneTwice(SchemaRegistryService registry)
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.startTemporary();
        TestGateway gateway =
            TestGateway.start(broker.bootstrapServers(), registry.url(), PUBLISH_TIMEOUT)) {
      Queue<Sent> sent = new ConcurrentLinkedQueue<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger sequence = new AtomicInteger();
      ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
      for (int i = 0; i < 8; i++) {
        senders.submit(() -> sendUntilStopped(gateway, running, sequence, sent));
      }

      Thread.sleep(2_000);
      long stopping = System.nanoTime();
      broker.stop();
      long stopped = System.nanoTime();
      Thread.sleep(6_000);
      long restarting = System.nanoTime();
      broker.start();
      Thread.sleep(6_000);
      running.set(false);
      senders.shutdown();
      assertThat(senders.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      List<Sent> all = List.copyOf(sent);
      assertThat(all).allSatisfy(s -> assertThat(s.status()).as(s.eventId()).isIn(202, 503));
      List<Sent> whileDown =
          all.stream().filter(s -> s.startNanos() > stopped && s.endNanos() < restarting).toList();
      assertThat(whileDown).as("requests made and answered while the broker was down").isNotEmpty();
      assertThat(whileDown).allSatisfy(s -> assertThat(s.status()).as(s.eventId()).isEqualTo(503));
      List<String> acceptedBefore = accepted(all, s -> s.endNanos() < stopping);
      List<String> acceptedAfter = accepted(all, s -> s.startNanos() > restarting);
      assertThat(acceptedBefore).isNotEmpty();
      assertThat(acceptedAfter).as("the gateway recovers once the broker is back").isNotEmpty();

      Map<String, Long> onTopic =
          TopicReader.readAll(broker.bootstrapServers(), Topics.CALLS_ENDED).stream()
              .map(
                  r ->
                      new String(
                          r.headers().lastHeader(EventHeaders.EVENT_ID).value(),
                          StandardCharsets.UTF_8))
              .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
      List<String> accepted = accepted(all, s -> true);
      for (String eventId : accepted) {
        assertThat(onTopic.get(eventId)).as("copies of accepted event " + eventId).isEqualTo(1L);
      }
      System.out.printf(
          "broker outage: %d requests, %d accepted (%d before, %d after), %d answered 503 while down, %d records on the topic%n",
          all.size(),
          accepted.size(),
          acceptedBefore.size(),
          acceptedAfter.size(),
          whileDown.size(),
          onTopic.values().stream().mapToLong(Long::longValue).sum());
    }
  }

  private static List<String> accepted(List<Sent> all, java.util.function.Predicate<Sent> when) {
    return all.stream().filter(s -> s.status() == 202).filter(when).map(Sent::eventId).toList();
  }

  private static void sendUntilStopped(
      TestGateway gateway, AtomicBoolean running, AtomicInteger sequence, Queue<Sent> sent) {
    while (running.get()) {
      int n = sequence.incrementAndGet();
      String eventId = "outage-" + n;
      byte[] body =
          ("{\"external_id\": \"outage-call-"
                  + n
                  + "\", \"event_id\": \""
                  + eventId
                  + "\", \"ended_at\": \"2026-11-20T15:00:00Z\"}")
              .getBytes(StandardCharsets.UTF_8);
      long start = System.nanoTime();
      HttpResponse<String> response =
          gateway.post(
              "/v1/calls",
              "application/json",
              body,
              "Authorization",
              "Bearer " + Signers.ACME_API_KEY);
      sent.add(new Sent(eventId, response.statusCode(), start, System.nanoTime()));
      if (response.statusCode() == 503) {
        sleep(50);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
