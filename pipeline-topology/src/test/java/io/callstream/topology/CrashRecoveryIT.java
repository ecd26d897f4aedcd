package io.callstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.ChildJvm;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.CallChunk;
import io.callstream.events.CallEnded;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.support.Events;
import io.callstream.topology.support.Kafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topology in a child JVM, killed with SIGKILL twice at random moments while it enriches 10,000
 * calls against the AI simulator, and restarted each time: read committed, every call has exactly
 * one enriched record and exactly its chunk set, none missing, none twice.
 */
@ExtendWith(LocalServices.class)
class CrashRecoveryIT {
  private static final int CALLS = 10_000;

  @Test
  void everyCallIsEnrichedExactlyOnceAcrossTwoKills(
      KafkaService kafka, SchemaRegistryService registryService) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    Kafka.createTopics(bootstrap);
    Kafka.empty(bootstrap, Topics.CALLS_ENDED); // no other test's calls for its application
    SchemaRegistryClient registry = new SchemaRegistryClient(registryService.url());
    Instant endedAt = Instant.parse("2026-06-01T12:00:00Z");
    List<CallEnded> calls = Events.uniqueCalls("crash", CALLS, endedAt);
    Set<UUID> ids = calls.stream().map(CallEnded::getCallId).collect(Collectors.toSet());
    Kafka.produce(
        bootstrap,
        registry,
        Topics.CALLS_ENDED,
        CallEnded.class,
        calls,
        c -> c.getCallId().toString());

    Random random = new Random();
    int firstKill = 1_000 + random.nextInt(2_500);
    int secondKill = 5_000 + random.nextInt(3_000);
    Path state = Files.createTempDirectory("crash-it");
    Map<UUID, Integer> enriched = new HashMap<>();
    Map<UUID, List<CallChunk>> chunks = new HashMap<>();
    AvroSerde<CallChunk> chunkSerde = AvroSerde.forValues(CallChunk.class, registry);
    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(20), Duration.ofMillis(100)),
                AiSimulator.Faults.NONE);
        KafkaConsumer<String, byte[]> reader =
            Kafka.committedReader(bootstrap, Topics.CALLS_ENRICHED, Topics.CALLS_CHUNKS)) {
      Map<String, String> env =
          Map.ofEntries(
              Map.entry("KAFKA_BOOTSTRAP_SERVERS", bootstrap),
              Map.entry("SCHEMA_REGISTRY_URL", registryService.url()),
              Map.entry("OPENAI_BASE_URL", simulator.baseUrl()),
              Map.entry("OPENAI_API_KEY", "test-key"),
              Map.entry("OPENAI_MAX_CONCURRENCY", "128"),
              Map.entry("OPENAI_REQUESTS_PER_MINUTE", "6000000"),
              Map.entry("OPENAI_TOKENS_PER_MINUTE", "6000000000"),
              Map.entry("CALLSTREAM_APPLICATION_ID", "crash-it"),
              Map.entry("CALLSTREAM_INSTANCE_ID", "crash-it-1"),
              Map.entry("CALLSTREAM_STATE_DIR", state.resolve("streams").toString()),
              Map.entry("CALLSTREAM_CAPACITY", "64"));
      Process topology = startTopology(env, state.resolve("run-1.log"));
      int kills = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
      while (enriched.size() < CALLS && System.nanoTime() < deadline) {
        read(reader.poll(Duration.ofMillis(200)), ids, enriched, chunks, chunkSerde);
        if ((kills == 0 && enriched.size() >= firstKill)
            || (kills == 1 && enriched.size() >= secondKill)) {
          topology.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no commit
          kills++;
          topology = startTopology(env, state.resolve("run-" + (kills + 1) + ".log"));
        }
      }
      // Read on for a while: the last chunks, and anything emitted twice, would show by now.
      long quietUntil = System.nanoTime() + Duration.ofSeconds(8).toNanos();
      while (System.nanoTime() < quietUntil) {
        read(reader.poll(Duration.ofMillis(200)), ids, enriched, chunks, chunkSerde);
      }
      topology.destroy();
      topology.waitFor();

      assertThat(kills).isEqualTo(2);
      assertThat(enriched.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(enriched.values().stream().filter(n -> n != 1).count())
          .as("calls enriched more than once")
          .isZero();
      assertThat(chunks.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      for (Map.Entry<UUID, List<CallChunk>> set : chunks.entrySet()) {
        int count = set.getValue().get(0).getChunkCount();
        Set<Integer> indexes = new TreeSet<>();
        set.getValue().forEach(chunk -> indexes.add(chunk.getChunkIndex()));
        assertThat(set.getValue()).as("chunks of %s", set.getKey()).hasSize(count);
        assertThat(indexes).hasSize(count);
      }
    }
  }

  private static void read(
      Iterable<ConsumerRecord<String, byte[]>> records,
      Set<UUID> ids,
      Map<UUID, Integer> enriched,
      Map<UUID, List<CallChunk>> chunks,
      AvroSerde<CallChunk> chunkSerde) {
    for (ConsumerRecord<String, byte[]> record : records) {
      UUID call = UUID.fromString(record.key());
      if (!ids.contains(call)) {
        continue; // another test's call on the shared broker
      }
      if (record.topic().equals(Topics.CALLS_ENRICHED)) {
        enriched.merge(call, 1, Integer::sum);
      } else {
        chunks
            .computeIfAbsent(call, c -> new java.util.ArrayList<>())
            .add(chunkSerde.deserialize(record.topic(), record.value()));
      }
    }
  }

  private static Process startTopology(Map<String, String> env, Path log) throws Exception {
    return ChildJvm.start(TopologyMain.class, env, log, "768m");
  }
}
