package io.callstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.enrichment.AiConfig;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Provider;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.TopologyApp;
import io.callstream.topology.TopologyConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The topology on the real broker and registry against the AI simulator at log-normal latency
 * (median 500 ms, p99 2 s): 20,000 calls (and a second event for 5% of them, to check per-call
 * order) with 256 calls in flight, against the sync mode (each AI call inline on the stream thread)
 * measured in the same run. Judged by AI requests completed per second (target >= 0.9 x 256 / 0.5
 * s) and by async calls per second over sync (target >= 100).
 */
public final class TopologyBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int calls = Integer.getInteger("calls", 20_000);
    int inFlight = Integer.getInteger("inflight", 256);
    int syncSeconds = Integer.getInteger("sync.seconds", 60);
    int secondEvents = calls / 20;
    Path work = Files.createTempDirectory("topology-bench");
    try (KafkaBroker broker = KafkaBroker.startTemporary();
        ApicurioRegistry registryService = ApicurioRegistry.start();
        AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(500), Duration.ofSeconds(2)),
                AiSimulator.Faults.NONE)) {
      String bootstrap = broker.bootstrapServers();
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
      }
      SchemaRegistryClient registry = new SchemaRegistryClient(registryService.url());
      List<CallEnded> events = events(calls, secondEvents);
      produce(bootstrap, registry, events);
      int perTask = inFlight / TopicCatalog.CALL_PARTITIONS;

      // The baseline first: each AI call inline, one call at a time.
      Run sync = run("sync", bootstrap, registryService, simulator, work, perTask, -1, syncSeconds);
      // Then the async processor over all events.
      long asyncStart = System.currentTimeMillis();
      Run async =
          run("async", bootstrap, registryService, simulator, work, perTask, events.size(), 900);
      Latencies latencies = latencies(bootstrap, registry, asyncStart);

      double aiTarget = 0.9 * inFlight / 0.5;
      double speedup = async.itemsPerSecond() / sync.itemsPerSecond();
      ObjectNode line = JSON.createObjectNode();
      line.put("benchmark", "topology-async-enrichment");
      line.put("calls", calls);
      line.put("second_events", secondEvents);
      line.put("calls_in_flight", perTask * TopicCatalog.CALL_PARTITIONS);
      line.put("ai_latency_median_ms", 500);
      line.put("ai_latency_p99_ms", 2000);
      line.put("async_calls_per_s", round(async.itemsPerSecond()));
      line.put("sync_calls_per_s", round(sync.itemsPerSecond()));
      line.put("speedup", round(speedup));
      line.put("target_speedup", 100);
      line.put("ai_requests_per_s", round(async.requestsPerSecond()));
      line.put("ai_requests_per_s_whole_run", round(async.wholeRunRequestsPerSecond()));
      line.put("target_ai_requests_per_s", aiTarget);
      line.put("ai_requests_per_s_ratio", round(async.requestsPerSecond() / (inFlight / 0.5)));
      // A healthy instance alone never rebalances: each one here is a fenced stream thread
      // (its transaction aborted) rejoining; aborted records are those in aborted transactions.
      line.put("rebalances_while_running", async.rebalances());
      line.put("aborted_records", abortedRecords(bootstrap));
      line.put("e2e_p50_ms", latencies.p50());
      line.put("e2e_p90_ms", latencies.p90());
      line.put("e2e_p99_ms", latencies.p99());
      line.put("per_call_order_kept", latencies.orderKept());
      line.put("async_seconds", round(async.seconds()));
      line.put(
          "pass", async.requestsPerSecond() >= aiTarget && speedup >= 100 && latencies.orderKept());
      System.out.println(line);
    }
  }

  /**
   * Completions over time: items and AI requests per second between 10% and 90% of the run (the
   * steady state), and requests over the whole run.
   */
  record Run(
      double itemsPerSecond,
      double requestsPerSecond,
      double wholeRunRequestsPerSecond,
      double seconds,
      long rebalances) {}

  private static Run run(
      String mode,
      String bootstrap,
      ApicurioRegistry registry,
      AiSimulator simulator,
      Path work,
      int perTask,
      int items,
      int seconds)
      throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registry.url());
    env.put("CALLSTREAM_APPLICATION_ID", "bench-" + mode);
    env.put("CALLSTREAM_STATE_DIR", work.resolve(mode).toString());
    env.put("CALLSTREAM_ENRICHMENT_MODE", mode);
    env.put("CALLSTREAM_CAPACITY", Integer.toString(perTask));
    // The baseline is the classic worker: one call at a time, inline on one stream thread.
    env.put("CALLSTREAM_STREAM_THREADS", mode.equals("sync") ? "1" : "6");
    env.put("OPENAI_BASE_URL", simulator.baseUrl());
    env.put("OPENAI_API_KEY", "bench");
    env.put("OPENAI_MAX_CONCURRENCY", "1024");
    env.put("OPENAI_REQUESTS_PER_MINUTE", "100000000");
    env.put("OPENAI_TOKENS_PER_MINUTE", "10000000000");
    TopologyConfig config = TopologyConfig.fromEnv(env::get);
    AiConfig ai = AiConfig.fromEnv(env::get);
    try (TopologyApp app =
        TopologyApp.start(config, ai.enrichers(), new SchemaRegistryClient(registry.url()))) {
      while (!app.running()) {
        Thread.sleep(50);
      }
      long requests0 = simulator.totalRequests();
      long t0 = System.nanoTime();
      long deadline = t0 + Duration.ofSeconds(seconds).toNanos();
      List<long[]> samples = new ArrayList<>(); // nanos, items, requests
      while (System.nanoTime() < deadline
          && (items < 0 || app.metrics().completedCount() < items)) {
        samples.add(
            new long[] {
              System.nanoTime(), app.metrics().completedCount(), simulator.totalRequests()
            });
        Thread.sleep(100);
      }
      long t1 = System.nanoTime();
      long done = app.metrics().completedCount();
      System.err.printf(
          "%s: completed %d, retried %s, dead-lettered %s, AI calls %d, cache hits %d,"
              + " rebalances while running %d%n",
          mode,
          done,
          app.metrics().retriedByTier(),
          app.metrics().deadLetteredByReason(),
          app.metrics().aiCallCount(),
          app.metrics().cacheHitCount(),
          app.metrics().rebalanceCount());
      samples.add(new long[] {t1, done, simulator.totalRequests()});
      double wholeSeconds = (t1 - t0) / 1e9;
      double wholeRequests = (simulator.totalRequests() - requests0) / wholeSeconds;
      if (items < 0) { // a fixed window: the whole window is the measure
        return new Run(
            done / wholeSeconds,
            wholeRequests,
            wholeRequests,
            wholeSeconds,
            app.metrics().rebalanceCount());
      }
      long[] from = firstReaching(samples, done / 10);
      long[] to = firstReaching(samples, done * 9 / 10);
      double steadySeconds = (to[0] - from[0]) / 1e9;
      return new Run(
          (to[1] - from[1]) / steadySeconds,
          (to[2] - from[2]) / steadySeconds,
          wholeRequests,
          wholeSeconds,
          app.metrics().rebalanceCount());
    }
  }

  /**
   * Records of {@code calls.enriched.v1} that transactions wrote and then aborted: those a
   * read-uncommitted reader sees and a read-committed one does not.
   */
  /** Records of calls.enriched.v1 in aborted transactions: read uncommitted, not committed. */
  static long abortedRecords(String bootstrap) {
    return count(bootstrap, "read_uncommitted") - count(bootstrap, "read_committed");
  }

  private static long count(String bootstrap, String isolation) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.CALLS_ENRICHED).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long idle = System.nanoTime();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() - idle < Duration.ofSeconds(10).toNanos()) {
        int got = consumer.poll(Duration.ofMillis(200)).count();
        if (got > 0) {
          seen += got;
          idle = System.nanoTime();
        }
      }
    }
    return seen;
  }

  private static long[] firstReaching(List<long[]> samples, long items) {
    return samples.stream().filter(s -> s[1] >= items).findFirst().orElseThrow();
  }

  record Latencies(long p50, long p90, long p99, boolean orderKept) {}

  /** Accepted to enriched, per enriched call written after {@code since}; and per-call order. */
  private static Latencies latencies(String bootstrap, SchemaRegistryClient registry, long since) {
    Deserializer<EnrichedCall> serde =
        TopicCatalog.CALLS_ENRICHED.valueSerde(registry).deserializer();
    List<Long> millis = new ArrayList<>();
    Map<UUID, Long> lastVersion = new HashMap<>();
    boolean ordered = true;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                "bench-latency-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.CALLS_ENRICHED));
      int empty = 0;
      while (empty < 10) {
        var records = consumer.poll(Duration.ofMillis(300));
        empty = records.isEmpty() ? empty + 1 : 0;
        for (ConsumerRecord<String, byte[]> record : records) {
          EnrichedCall call = serde.deserialize(record.topic(), record.value());
          if (call.getEnrichedAt().toEpochMilli() < since) {
            continue; // the sync baseline's output
          }
          millis.add(call.getEnrichedAt().toEpochMilli() - record.timestamp());
          Long previous = lastVersion.put(call.getCallId(), call.getVersion());
          if (previous != null && previous >= call.getVersion()) {
            ordered = false;
            System.err.printf(
                "out of order: call %s version %d after %d%n",
                call.getCallId(), call.getVersion(), previous);
          }
        }
      }
    }
    millis.sort(Long::compare);
    return new Latencies(
        percentile(millis, 0.5), percentile(millis, 0.9), percentile(millis, 0.99), ordered);
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, p * sorted.size()));
  }

  /** Distinct calls of about ten turns, and a later second event for some of them. */
  private static List<CallEnded> events(int calls, int secondEvents) {
    Instant base = Instant.parse("2026-09-01T08:00:00Z");
    List<CallEnded> events = new ArrayList<>(calls + secondEvents);
    for (int i = 0; i < calls; i++) {
      events.add(call(i, base.plusSeconds(i), 0));
    }
    for (int i = 0; i < secondEvents; i++) {
      events.add(call(i * 20, base.plusSeconds(i * 20L), 1));
    }
    return events;
  }

  private static CallEnded call(int n, Instant endedAt, int event) {
    String providerCallId = "bench-" + n;
    List<TranscriptTurn> turns = new ArrayList<>();
    turns.add(turn(SpeakerRole.AGENT, "Thank you for calling Northwind support, this is Ava."));
    turns.add(turn(SpeakerRole.USER, "Hi, I am calling about order " + (500_000 + n) + "."));
    turns.add(
        turn(SpeakerRole.AGENT, "Let me look that up for you. Can you confirm the postcode?"));
    turns.add(turn(SpeakerRole.USER, "It is " + (10_000 + n % 80_000) + ". The parcel is late."));
    turns.add(turn(SpeakerRole.AGENT, "I see it left the depot yesterday and should arrive soon."));
    turns.add(turn(SpeakerRole.USER, "Could you call me back tomorrow at 10 am to confirm?"));
    turns.add(turn(SpeakerRole.AGENT, "Of course, we will call you tomorrow at 10 am."));
    if (event > 0) {
      turns.add(turn(SpeakerRole.USER, "Actually it just arrived, thanks for your help."));
    }
    turns.add(turn(SpeakerRole.AGENT, "Thanks for your patience. Goodbye."));
    return CallEnded.newBuilder()
        .setCallId(UUID.nameUUIDFromBytes(providerCallId.getBytes(StandardCharsets.UTF_8)))
        .setEventId(providerCallId + "-" + event)
        .setProvider(Provider.VAPI)
        .setProviderCallId(providerCallId)
        .setTenantId("tenant-" + (n % 10))
        .setAgentId("agent-" + (n % 10))
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setStartedAt(endedAt.minusSeconds(120))
        .setEndedAt(endedAt)
        .setDurationMs(120_000L)
        .setTurns(turns)
        .setReceivedAt(endedAt.plusSeconds(1 + event * 60L))
        .setRawPayload("{}")
        .build();
  }

  private static TranscriptTurn turn(SpeakerRole role, String text) {
    return new TranscriptTurn(role, text, null, null);
  }

  private static void produce(
      String bootstrap, SchemaRegistryClient registry, List<CallEnded> events) throws Exception {
    Serializer<CallEnded> serde = TopicCatalog.CALLS_ENDED.valueSerde(registry).serializer();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (CallEnded event : events) {
        producer.send(
            new ProducerRecord<>(
                Topics.CALLS_ENDED,
                event.getCallId().toString(),
                serde.serialize(Topics.CALLS_ENDED, event)));
      }
      producer.flush();
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
