package io.callstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.ChildJvm;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.openai.OpenAiClient;
import io.callstream.enrichment.openai.OpenAiLimits;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.CallEnded;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.support.Events;
import io.callstream.topology.support.Kafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tasks moving between two topology instances while their AI calls are in flight (seconds each): a
 * second instance joins, then the first stops cleanly; and, apart, an instance in a child JVM is
 * killed with SIGKILL. Completions that reach an instance after its task moved are never forwarded
 * and the new owner resubmits what was in flight, so, read committed, every call has exactly one
 * enriched record. A clean stop leaves the group as it stops, so its tasks run on the other within
 * seconds, not after the session timeout; a killed instance's run elsewhere within 15 s.
 */
@ExtendWith(LocalServices.class)
class RebalanceIT {
  private static final int CALLS = 400;

  @Test
  void tasksMoveWithCallsInFlightAndEveryCallIsEnrichedOnce(
      KafkaService kafka, SchemaRegistryService registryService) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    Kafka.createTopics(bootstrap);
    Kafka.empty(bootstrap, Topics.CALLS_ENDED); // no other test's calls for its application
    SchemaRegistryClient registry = new SchemaRegistryClient(registryService.url());
    List<CallEnded> calls =
        Events.uniqueCalls("rebalance", CALLS, Instant.parse("2026-06-02T12:00:00Z"));
    Set<UUID> ids = calls.stream().map(CallEnded::getCallId).collect(Collectors.toSet());
    Map<UUID, Integer> enriched = new HashMap<>();
    Path state = Files.createTempDirectory("rebalance-it");
    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(1500), Duration.ofMillis(3000)),
                AiSimulator.Faults.NONE);
        KafkaConsumer<String, byte[]> reader =
            Kafka.committedReader(bootstrap, Topics.CALLS_ENRICHED)) {
      TopologyApp first = start(bootstrap, registryService.url(), simulator, state, "a", registry);
      awaitRunning(first);
      Set<TaskId> allTasks = activeTasks(first);
      Kafka.produce(
          bootstrap,
          registry,
          Topics.CALLS_ENDED,
          CallEnded.class,
          calls,
          c -> c.getCallId().toString());

      readUntil(reader, ids, enriched, CALLS / 8);
      TopologyApp second = start(bootstrap, registryService.url(), simulator, state, "b", registry);
      long joinDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (activeTasks(second).isEmpty() && System.nanoTime() < joinDeadline) {
        read(reader.poll(Duration.ofMillis(100)), ids, enriched);
      }
      assertThat(activeTasks(second)).as("the joining instance took tasks").isNotEmpty();
      assertThat(enriched.size()).as("calls were still in flight").isLessThan(CALLS);

      long stopping = System.nanoTime();
      first.close();
      long stopped = System.nanoTime();
      while (!activeTasks(second).containsAll(allTasks)
          && System.nanoTime() - stopped < Duration.ofSeconds(60).toNanos()) {
        Thread.sleep(50);
      }
      Duration handOver = Duration.ofNanos(System.nanoTime() - stopped);
      Duration close = Duration.ofNanos(stopped - stopping);
      System.out.printf(
          "clean stop: close took %d ms, its tasks ran on the other instance %d ms later%n",
          close.toMillis(), handOver.toMillis());
      assertThat(activeTasks(second)).containsAll(allTasks);
      // Had the stopped instance not left the group, its tasks would have waited out the session
      // timeout (10 s) first.
      assertThat(close.plus(handOver)).isLessThan(Duration.ofSeconds(7));

      readUntil(reader, ids, enriched, CALLS);
      long quietUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < quietUntil) {
        read(reader.poll(Duration.ofMillis(200)), ids, enriched);
      }
      second.close();
    }
    assertThat(enriched.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(enriched.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("calls with more than one committed enriched record")
        .isEmpty();
  }

  @Test
  void aKilledInstancesTasksRunElsewhereWithinFifteenSecondsAndEveryCallIsEnrichedOnce(
      KafkaService kafka, SchemaRegistryService registryService) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    Kafka.createTopics(bootstrap);
    Kafka.empty(bootstrap, Topics.CALLS_ENDED); // no other test's calls for its application
    SchemaRegistryClient registry = new SchemaRegistryClient(registryService.url());
    List<CallEnded> calls =
        Events.uniqueCalls("killed", CALLS, Instant.parse("2026-06-03T12:00:00Z"));
    Set<UUID> ids = calls.stream().map(CallEnded::getCallId).collect(Collectors.toSet());
    Map<UUID, Integer> enriched = new HashMap<>();
    Path state = Files.createTempDirectory("rebalance-kill-it");
    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(1500), Duration.ofMillis(3000)),
                AiSimulator.Faults.NONE);
        KafkaConsumer<String, byte[]> reader =
            Kafka.committedReader(bootstrap, Topics.CALLS_ENRICHED)) {
      Map<String, String> env = env(bootstrap, registryService.url(), state, "survivor", "kill-it");
      TopologyApp survivor =
          TopologyApp.start(TopologyConfig.fromEnv(env::get), ai(simulator), registry);
      awaitRunning(survivor);
      Set<TaskId> allTasks = activeTasks(survivor);
      Map<String, String> childEnv =
          env(bootstrap, registryService.url(), state, "killed", "kill-it");
      childEnv.put("OPENAI_BASE_URL", simulator.baseUrl());
      childEnv.put("OPENAI_API_KEY", "test-key");
      childEnv.put("OPENAI_MAX_CONCURRENCY", "256");
      childEnv.put("OPENAI_REQUESTS_PER_MINUTE", "6000000");
      childEnv.put("OPENAI_TOKENS_PER_MINUTE", "6000000000");
      childEnv.put("CALLSTREAM_TOPOLOGY_PORT", "0");
      Process child =
          ChildJvm.start(TopologyMain.class, childEnv, state.resolve("killed.log"), "512m");
      try {
        long joinDeadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (activeTasks(survivor).containsAll(allTasks) && System.nanoTime() < joinDeadline) {
          Thread.sleep(100);
        }
        assertThat(activeTasks(survivor))
            .as("the child instance took tasks")
            .hasSizeLessThan(allTasks.size());
        Kafka.produce(
            bootstrap,
            registry,
            Topics.CALLS_ENDED,
            CallEnded.class,
            calls,
            c -> c.getCallId().toString());
        readUntil(reader, ids, enriched, CALLS / 4);

        long rebalancesBefore = survivor.metrics().rebalanceCount();
        child.destroyForcibly().waitFor(); // SIGKILL: no leave, no commit
        long killed = System.nanoTime();
        while (!activeTasks(survivor).containsAll(allTasks)
            && System.nanoTime() - killed < Duration.ofSeconds(60).toNanos()) {
          read(reader.poll(Duration.ofMillis(50)), ids, enriched);
        }
        Duration takeOver = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf(
            "SIGKILL: the killed instance's tasks ran on the other %d ms later%n",
            takeOver.toMillis());
        assertThat(activeTasks(survivor)).containsAll(allTasks);
        assertThat(takeOver).isLessThan(Duration.ofSeconds(15));

        readUntil(reader, ids, enriched, CALLS);
        long quietUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
        while (System.nanoTime() < quietUntil) {
          read(reader.poll(Duration.ofMillis(200)), ids, enriched);
        }
        // The survivor rebalanced for the lost member and took its tasks over, promoting its
        // standbys, without a task found corrupt and the rebalances that follow from it.
        assertThat(survivor.metrics().rebalanceCount() - rebalancesBefore)
            .as("rebalances of the survivor after the kill")
            .isLessThanOrEqualTo(2);
      } finally {
        child.destroyForcibly();
        survivor.close();
      }
    }
    assertThat(enriched.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(enriched.entrySet().stream().filter(e -> e.getValue() != 1).toList())
        .as("calls with more than one committed enriched record")
        .isEmpty();
  }

  private static Map<String, String> env(
      String bootstrap, String registryUrl, Path state, String instance, String application) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.put("CALLSTREAM_APPLICATION_ID", "rebalance-" + application);
    env.put("CALLSTREAM_INSTANCE_ID", "rebalance-" + application + "-" + instance);
    env.put("CALLSTREAM_STATE_DIR", state.resolve(instance).toString());
    env.put("CALLSTREAM_STREAM_THREADS", "3");
    env.put("CALLSTREAM_CAPACITY", "64");
    env.put("CALLSTREAM_RETRY_DELAYS", "1s,2s,4s");
    env.put("CALLSTREAM_RETRY_CHECK_INTERVAL", "200ms");
    return env;
  }

  private static Enrichers ai(AiSimulator simulator) {
    return Enrichers.openAi(
        new OpenAiClient(
            simulator.baseUrl(),
            "test-key",
            new OpenAiLimits(
                256, 6_000_000, 6_000_000_000.0, Duration.ofSeconds(60), Duration.ofSeconds(30))),
        Enrichers.OpenAiModels.defaults());
  }

  private static TopologyApp start(
      String bootstrap,
      String registryUrl,
      AiSimulator simulator,
      Path state,
      String instance,
      SchemaRegistryClient registry) {
    Map<String, String> env = env(bootstrap, registryUrl, state, instance, "it");
    return TopologyApp.start(TopologyConfig.fromEnv(env::get), ai(simulator), registry);
  }

  private static void awaitRunning(TopologyApp app) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!app.running() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(app.running()).isTrue();
  }

  private static Set<TaskId> activeTasks(TopologyApp app) {
    Set<TaskId> tasks = new HashSet<>();
    for (ThreadMetadata thread : app.streams().metadataForLocalThreads()) {
      thread.activeTasks().forEach(task -> tasks.add(task.taskId()));
    }
    return tasks;
  }

  private static void readUntil(
      KafkaConsumer<String, byte[]> reader, Set<UUID> ids, Map<UUID, Integer> enriched, int count) {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (enriched.size() < count && System.nanoTime() < deadline) {
      read(reader.poll(Duration.ofMillis(100)), ids, enriched);
    }
    assertThat(enriched.size()).isGreaterThanOrEqualTo(count);
  }

  private static void read(
      Iterable<ConsumerRecord<String, byte[]>> records,
      Set<UUID> ids,
      Map<UUID, Integer> enriched) {
    for (ConsumerRecord<String, byte[]> record : records) {
      UUID call = UUID.fromString(record.key());
      if (ids.contains(call)) {
        enriched.merge(call, 1, Integer::sum);
      }
    }
  }
}
