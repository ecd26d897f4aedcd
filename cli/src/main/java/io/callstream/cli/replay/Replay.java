package io.callstream.cli.replay;

import io.callstream.cli.AgentMap;
import io.callstream.events.AgentTenant;
import io.callstream.events.CallEnded;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicReader;
import io.callstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Re-publishes input events to their topics so the topology processes them again. The events are
 * found through the broker's timestamp index (only the offset range of the time window is read),
 * copied byte for byte with the same key (so the same partition) and headers, plus {@link
 * EventHeaders#REPLAY}, which lets them past the dedupe; events that are themselves replays are
 * skipped. The topology's AI result cache then answers every stage whose model and prompt version
 * did not change, which {@link #awaitEnrichment} counts from {@code calls.enriched.v1}.
 */
public final class Replay {
  static final List<String> INPUTS = List.of(Topics.CALLS_ENDED, Topics.RECORDINGS_UPLOADED);

  /** Which input events to replay; a null tenant or empty call set matches all. */
  public record Filter(Instant from, Instant to, String tenant, Set<String> calls) {}

  /** What a replay sent: events per call id, and the records the time window spanned. */
  public record Sent(Map<String, Integer> eventsByCall, long scanned, long events) {}

  /**
   * How the topology answered: enrichments seen, served from the AI cache, enriched by an AI call,
   * with nothing to analyze, and calls still waiting when the wait ended.
   */
  public record Enrichment(
      int enriched, int fromCache, int byAi, int nothingToAnalyze, int pending) {}

  private final Map<String, Object> clientConfig;
  private final SchemaRegistry registry;
  private final Deserializer<CallEnded> calls;
  private final Deserializer<RecordingUploaded> recordings;

  public Replay(Map<String, Object> clientConfig, SchemaRegistry registry) {
    this.clientConfig = clientConfig;
    this.registry = registry;
    this.calls = TopicCatalog.CALLS_ENDED.valueSerde(registry).deserializer();
    this.recordings = TopicCatalog.RECORDINGS_UPLOADED.valueSerde(registry).deserializer();
  }

  /** The offsets a time window spans on one input topic: from (inclusive) to (exclusive). */
  public record Range(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
    long records() {
      long total = 0;
      for (var start : from.entrySet()) {
        total += Math.max(0, to.get(start.getKey()) - start.getValue());
      }
      return total;
    }
  }

  /** The window's offsets on each input topic, found once, before anything is re-published. */
  public record Window(Map<String, Range> ranges) {
    /** How many records the window spans (what the progress is counted in). */
    public long records() {
      return ranges.values().stream().mapToLong(Range::records).sum();
    }
  }

  /** Looks {@code filter}'s times up in the broker's timestamp index. */
  public Window window(Filter filter) {
    Map<String, Range> ranges = new LinkedHashMap<>();
    try (TopicReader reader = new TopicReader(clientConfig)) {
      for (String topic : INPUTS) {
        ranges.put(
            topic,
            new Range(
                reader.at(topic, filter.from()),
                filter.to() == null ? reader.end(topic) : reader.at(topic, filter.to())));
      }
    }
    return new Window(ranges);
  }

  /**
   * Replays the matching events of {@code window} ({@code dryRun}: only counts them); {@code
   * progress} hears the number of records scanned so far.
   */
  public Sent run(Filter filter, Window window, boolean dryRun, LongConsumer progress) {
    Map<String, String> tenantOfAgent = filter.tenant() == null ? Map.of() : tenants();
    Map<String, Integer> eventsByCall = new HashMap<>();
    List<Future<RecordMetadata>> writes = new ArrayList<>();
    long[] scanned = {0};
    long[] events = {0};
    byte[] replayId = Instant.now().toString().getBytes(StandardCharsets.UTF_8);
    try (TopicReader reader = new TopicReader(clientConfig);
        KafkaProducer<byte[], byte[]> producer = dryRun ? null : producer()) {
      for (var range : window.ranges().entrySet()) {
        String topic = range.getKey();
        reader.read(
            range.getValue().from(),
            range.getValue().to(),
            record -> {
              progress.accept(++scanned[0]);
              if (!matches(record, filter, tenantOfAgent)) {
                return;
              }
              events[0]++;
              eventsByCall.merge(key(record), 1, Integer::sum);
              if (producer != null) {
                ProducerRecord<byte[], byte[]> copy =
                    new ProducerRecord<>(topic, null, record.key(), record.value());
                for (Header header : record.headers()) {
                  copy.headers().add(header);
                }
                copy.headers().add(EventHeaders.REPLAY, replayId);
                writes.add(producer.send(copy));
              }
            });
      }
      if (producer != null) {
        producer.flush();
        for (Future<RecordMetadata> write : writes) {
          write.get(); // every copy must be durable, or the replay failed
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while replaying", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a replayed event was not written", e.getCause());
    }
    return new Sent(eventsByCall, scanned[0], events[0]);
  }

  /** Where {@code calls.enriched.v1} ends now: what comes after is the replay's answer. */
  public Map<TopicPartition, Long> enrichedEnd() {
    try (TopicReader reader = new TopicReader(clientConfig)) {
      return reader.end(Topics.CALLS_ENRICHED);
    }
  }

  /**
   * Follows {@code calls.enriched.v1} from {@code from} until every replayed event of every call
   * has its enrichment, or {@code timeout} passed.
   */
  public Enrichment awaitEnrichment(
      Map<String, Integer> eventsByCall, Map<TopicPartition, Long> from, Duration timeout) {
    Deserializer<EnrichedCall> enriched =
        TopicCatalog.CALLS_ENRICHED.valueSerde(registry).deserializer();
    Map<String, Integer> waiting = new HashMap<>(eventsByCall);
    int[] counts = new int[4];
    try (TopicReader reader = new TopicReader(clientConfig)) {
      reader.follow(
          from,
          record -> {
            String call = key(record);
            Integer left = waiting.get(call);
            if (left == null || record.value() == null) {
              return;
            }
            EnrichedCall value = enriched.deserialize(Topics.CALLS_ENRICHED, record.value());
            counts[0]++;
            if (value.getUsage().getCached()) {
              counts[1]++;
            } else if ("none".equals(value.getAnalyzer())) {
              counts[3]++;
            } else {
              counts[2]++;
            }
            if (left <= 1) {
              waiting.remove(call);
            } else {
              waiting.put(call, left - 1);
            }
          },
          waiting::isEmpty,
          timeout);
    }
    return new Enrichment(counts[0], counts[1], counts[2], counts[3], waiting.size());
  }

  private boolean matches(
      ConsumerRecord<byte[], byte[]> record, Filter filter, Map<String, String> tenantOfAgent) {
    if (record.value() == null || record.headers().lastHeader(EventHeaders.REPLAY) != null) {
      return false; // a tombstone, or a copy made by an earlier replay
    }
    if (!filter.calls().isEmpty() && !filter.calls().contains(key(record))) {
      return false;
    }
    if (filter.tenant() == null) {
      return true;
    }
    String tenant;
    String agent;
    if (record.topic().equals(Topics.CALLS_ENDED)) {
      CallEnded call = calls.deserialize(record.topic(), record.value());
      tenant = call.getTenantId();
      agent = call.getAgentId();
    } else {
      RecordingUploaded recording = recordings.deserialize(record.topic(), record.value());
      tenant = recording.getTenantId();
      agent = recording.getAgentId();
    }
    if (tenant == null && agent != null) {
      tenant = tenantOfAgent.get(agent);
    }
    return filter.tenant().equals(tenant);
  }

  private Map<String, String> tenants() {
    Map<String, String> tenants = new HashMap<>();
    for (AgentTenant agent : new AgentMap(clientConfig, registry).all().values()) {
      tenants.put(agent.getAgentId(), agent.getTenantId());
    }
    return tenants;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
  }
}
