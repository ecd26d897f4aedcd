package io.callstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.events.CallChunk;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jdbi.v3.core.Jdbi;

/**
 * Every exit of every accepted call, read committed: its enriched record (exactly one, unless its
 * analysis failed for good), its chunk set (every index once, unless a stage failed for good), its
 * dead letter (at most one, with its reason), and its rows in Postgres. Whatever does not add up is
 * a problem the chaos run reports and its test fails on.
 */
final class ChaosOutcome {
  private final Set<UUID> accepted;
  private final Map<UUID, Integer> enriched;
  private final Map<UUID, Long> enrichedAtMs;
  private final Map<UUID, Map<Integer, Integer>> chunks;
  private final Map<UUID, Integer> chunkCounts;
  private final Map<UUID, List<String>> deadLetters;
  private final List<String> problems = new ArrayList<>();

  private ChaosOutcome(Reader reader, Set<UUID> accepted) {
    this.accepted = Set.copyOf(accepted);
    this.enriched = new HashMap<>(reader.enriched);
    this.enrichedAtMs = new HashMap<>(reader.enrichedAtMs);
    this.chunks = new HashMap<>(reader.chunks);
    this.chunkCounts = new HashMap<>(reader.chunkCounts);
    this.deadLetters = new HashMap<>(reader.deadLetters);
    for (UUID call : this.accepted) {
      int records = enriched.getOrDefault(call, 0);
      List<String> dead = deadLetters.getOrDefault(call, List.of());
      if (records > 1) {
        problems.add(call + ": " + records + " enriched records");
      }
      if (dead.size() > 1) {
        problems.add(call + ": " + dead.size() + " dead letters");
      }
      if (dead.stream().anyMatch(reason -> reason == null || reason.isBlank())) {
        problems.add(call + ": a dead letter without its reason");
      }
      if (!complete(call) && dead.isEmpty()) {
        problems.add(call + ": no complete chunk set and no dead letter");
      }
      chunks
          .getOrDefault(call, Map.of())
          .forEach(
              (index, count) -> {
                if (count > 1) {
                  problems.add(call + ": chunk " + index + " written " + count + " times");
                }
              });
    }
    enriched.keySet().stream()
        .filter(call -> !this.accepted.contains(call))
        .forEach(call -> problems.add(call + ": enriched but never accepted"));
  }

  private boolean complete(UUID call) {
    Integer count = chunkCounts.get(call);
    Map<Integer, Integer> indexes = chunks.get(call);
    return count != null
        && indexes != null
        && indexes.size() == count
        && indexes.keySet().stream().allMatch(i -> i >= 0 && i < count)
        && enriched.getOrDefault(call, 0) == 1;
  }

  private boolean settled(UUID call) {
    return complete(call) || !deadLetters.getOrDefault(call, List.of()).isEmpty();
  }

  List<String> problems() {
    return problems;
  }

  /** Waits until Postgres holds a row per enriched call and every complete chunk set whole. */
  void awaitRows(Jdbi jdbi, Duration atMost) throws InterruptedException {
    long calls = enriched.size();
    long sets = accepted.stream().filter(this::complete).count();
    long deadline = System.nanoTime() + atMost.toNanos();
    long rows = 0;
    long chunkSets = 0;
    while (System.nanoTime() < deadline) {
      rows =
          jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM calls").mapTo(Long.class).one());
      chunkSets =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT count(*) FROM (SELECT s.call_id FROM call_chunk_sets s JOIN call_chunks c USING (call_id) GROUP BY s.call_id, s.chunk_count HAVING count(*) = s.chunk_count) whole")
                      .mapTo(Long.class)
                      .one());
      if (rows == calls && chunkSets == sets) {
        return;
      }
      Thread.sleep(500);
    }
    problems.add(
        "Postgres: "
            + rows
            + " call rows for "
            + calls
            + " enriched calls, "
            + chunkSets
            + " whole chunk sets for "
            + sets);
  }

  void describe(ObjectNode line) {
    line.put("enriched_calls", enriched.size());
    line.put("complete_chunk_sets", accepted.stream().filter(this::complete).count());
    Map<String, Integer> reasons = new TreeMap<>();
    deadLetters.values().forEach(list -> list.forEach(r -> reasons.merge(r, 1, Integer::sum)));
    line.put("dead_lettered_calls", deadLetters.size());
    reasons.forEach(line.putObject("dead_letters_by_reason")::put);
    line.put("problems", problems.size());
    var first = line.putArray("first_problems");
    problems.stream().limit(5).forEach(first::add);
  }

  /** From {@code faultMs} until every call accepted before it had settled. */
  long drainMs(Map<UUID, Long> postedMs, long faultMs) {
    long last = faultMs;
    for (var posted : postedMs.entrySet()) {
      if (posted.getValue() <= faultMs) {
        last = Math.max(last, enrichedAtMs.getOrDefault(posted.getKey(), faultMs));
      }
    }
    return last - faultMs;
  }

  record Latencies(long duringFaults, long withoutFaults) {
    double ratio() {
      return withoutFaults == 0 ? 0 : Math.round(100.0 * duringFaults / withoutFaults) / 100.0;
    }
  }

  /**
   * p99 from 202 to the enriched record, for calls accepted within 30 s after a fault and the rest.
   */
  Latencies latencies(Map<UUID, Long> postedMs, List<Long> faultsMs) {
    List<Long> during = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    postedMs.forEach(
        (call, at) -> {
          Long done = enrichedAtMs.get(call);
          if (done == null) {
            return;
          }
          boolean near = faultsMs.stream().anyMatch(f -> at >= f && at < f + 30_000);
          (near ? during : without).add(done - at);
        });
    return new Latencies(p99(during), p99(without));
  }

  private static long p99(List<Long> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
  }

  /** The longest run of moments no more than {@code gapMs} apart. */
  static long longestWindowMs(Collection<Long> moments, long gapMs) {
    List<Long> sorted = moments.stream().sorted().toList();
    long longest = 0;
    for (int i = 0, start = 0; i < sorted.size(); i++) {
      if (i > 0 && sorted.get(i) - sorted.get(i - 1) > gapMs) {
        start = i;
      }
      longest = Math.max(longest, sorted.get(i) - sorted.get(start));
    }
    return longest;
  }

  /** Reads the outputs as they are committed, on a thread of its own. */
  static final class Reader implements AutoCloseable {
    private final Map<UUID, Integer> enriched = new HashMap<>();
    private final Map<UUID, Long> enrichedAtMs = new HashMap<>();
    private final Map<UUID, Map<Integer, Integer>> chunks = new HashMap<>();
    private final Map<UUID, Integer> chunkCounts = new HashMap<>();
    private final Map<UUID, List<String>> deadLetters = new HashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    private Reader(ChaosStack stack, LongSupplier clock) {
      SchemaRegistryClient registry = new SchemaRegistryClient(stack.registry.url());
      Deserializer<CallChunk> chunkSerde =
          TopicCatalog.CALLS_CHUNKS.valueSerde(registry).deserializer();
      Deserializer<WorkItem> itemSerde = TopicCatalog.CALLS_DLT.valueSerde(registry).deserializer();
      KafkaConsumer<String, byte[]> consumer =
          new KafkaConsumer<>(
              Map.of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  stack.kafka.bootstrapServers(),
                  ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                  "read_committed",
                  ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                  8 * 1024 * 1024),
              new StringDeserializer(),
              new ByteArrayDeserializer());
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(Topics.CALLS_ENRICHED, Topics.CALLS_CHUNKS, Topics.CALLS_DLT)) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      thread =
          Thread.ofPlatform()
              .name("chaos-reader")
              .start(
                  () -> {
                    try (consumer) {
                      while (!stop) {
                        for (ConsumerRecord<String, byte[]> record :
                            consumer.poll(Duration.ofMillis(200))) {
                          read(record, clock.getAsLong(), chunkSerde, itemSerde);
                        }
                      }
                    }
                  });
    }

    static Reader start(ChaosStack stack, LongSupplier clock) {
      return new Reader(stack, clock);
    }

    private synchronized void read(
        ConsumerRecord<String, byte[]> record,
        long nowMs,
        Deserializer<CallChunk> chunkSerde,
        Deserializer<WorkItem> itemSerde) {
      UUID call = UUID.fromString(record.key());
      switch (record.topic()) {
        case Topics.CALLS_ENRICHED -> {
          enriched.merge(call, 1, Integer::sum);
          enrichedAtMs.putIfAbsent(call, nowMs);
        }
        case Topics.CALLS_CHUNKS -> {
          CallChunk chunk = chunkSerde.deserialize(record.topic(), record.value());
          chunks
              .computeIfAbsent(call, c -> new HashMap<>())
              .merge(chunk.getChunkIndex(), 1, Integer::sum);
          chunkCounts.put(call, chunk.getChunkCount());
        }
        default -> {
          WorkItem item = itemSerde.deserialize(record.topic(), record.value());
          deadLetters.computeIfAbsent(call, c -> new ArrayList<>()).add(item.getDeadLetterReason());
        }
      }
    }

    synchronized String progress() {
      return enriched.size() + " enriched, " + deadLetters.size() + " dead-lettered";
    }

    /** Waits until every accepted call settled, then returns what was read. */
    ChaosOutcome awaitOutcome(Set<UUID> accepted, Duration atMost) throws InterruptedException {
      long deadline = System.nanoTime() + atMost.toNanos();
      while (true) {
        ChaosOutcome outcome;
        synchronized (this) {
          outcome = new ChaosOutcome(this, accepted);
        }
        if (accepted.stream().allMatch(outcome::settled) || System.nanoTime() > deadline) {
          Thread.sleep(3_000); // anything late (a duplicate) arrives too
          synchronized (this) {
            return new ChaosOutcome(this, accepted);
          }
        }
        Thread.sleep(500);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(10_000);
    }
  }
}
