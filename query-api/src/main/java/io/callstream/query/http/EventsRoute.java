package io.callstream.query.http;

import io.callstream.events.EnrichedCall;
import io.callstream.events.WorkItem;
import io.callstream.query.auth.ReadKeys;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code GET /v1/events}: Server-Sent Events of the tenant's calls as they are enriched ({@code
 * enriched}) or dead-lettered ({@code dead_lettered}), read from Kafka with {@code read_committed}
 * (the one read that is not from Postgres: it is live). Each event's id is where the stream stands
 * in both topics, so a client that reconnects with {@code Last-Event-ID} misses nothing and sees
 * nothing twice; without it the stream starts now.
 */
public final class EventsRoute implements AutoCloseable {
  private static final Set<String> PARAMS = Set.of("tenant");
  private static final List<String> TOPICS = List.of(Topics.CALLS_ENRICHED, Topics.CALLS_DLT);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Map<String, Object> kafka;
  private final Deserializer<EnrichedCall> enriched;
  private final Deserializer<WorkItem> deadLetters;
  private final ReadKeys keys;
  private volatile boolean closed;

  /** The route itself until it closes, and each open stream: close waits for the streams. */
  private final Phaser streams = new Phaser(1);

  /** {@code kafka} null: not configured, and the route answers 503. */
  public EventsRoute(Map<String, Object> kafka, SchemaRegistry registry, ReadKeys keys) {
    this.kafka = kafka;
    this.enriched =
        registry == null ? null : TopicCatalog.CALLS_ENRICHED.valueSerde(registry).deserializer();
    this.deadLetters =
        registry == null ? null : TopicCatalog.CALLS_DLT.valueSerde(registry).deserializer();
    this.keys = keys;
  }

  public void events(Context ctx) throws Exception {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, PARAMS);
    String tenant = Readers.tenant(reader, params, false);
    if (kafka == null) {
      throw ApiProblem.unavailable(
          "the events stream reads Kafka: set KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL", 60);
    }
    String accept = ctx.header("Accept");
    if (accept == null || !accept.contains("text/event-stream")) {
      throw ApiProblem.notAcceptable(
          "this route streams Server-Sent Events: send Accept: text/event-stream");
    }
    Map<TopicPartition, Long> from = parse(ctx.header("Last-Event-ID"));
    new SseHandler(client -> stream(client, tenant, from)).handle(ctx);
  }

  private void stream(SseClient client, String tenant, Map<TopicPartition, Long> from) {
    if (streams.register() < 0) {
      return; // the route closed
    }
    try {
      follow(client, tenant, from);
    } finally {
      streams.arriveAndDeregister();
    }
  }

  private void follow(SseClient client, String tenant, Map<TopicPartition, Long> from) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : TOPICS) {
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(10))) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> position = new TreeMap<>(EventsRoute::compare);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        long start = from.getOrDefault(partition, from.isEmpty() ? ends.get(partition) : 0L);
        consumer.seek(partition, start);
        position.put(partition, start);
      }
      long quietSince = System.nanoTime();
      while (!client.terminated() && !closed) {
        boolean sent = false;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          position.put(partition, record.offset() + 1);
          Map<String, Object> event = event(record, tenant);
          if (event != null) {
            client.sendEvent((String) event.remove("event"), event, encode(position));
            sent = true;
          }
        }
        if (sent) {
          quietSince = System.nanoTime();
        } else if (System.nanoTime() - quietSince > KEEP_ALIVE.toNanos()) {
          client.sendComment("still here"); // finds a client that went away
          quietSince = System.nanoTime();
        }
      }
    }
  }

  /**
   * Ends every stream and waits (a few polls at most) until each has returned, so the server stops
   * after its streams and not under them.
   */
  @Override
  public void close() {
    closed = true;
    try {
      streams.awaitAdvanceInterruptibly(streams.arriveAndDeregister(), 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      // a stream still blocked in a write; stopping the server ends it
    }
  }

  /** The event a record makes for {@code tenant} (null: every tenant), or null if it is not its. */
  private Map<String, Object> event(ConsumerRecord<String, byte[]> record, String tenant) {
    Map<String, Object> event = new LinkedHashMap<>();
    if (record.topic().equals(Topics.CALLS_ENRICHED)) {
      EnrichedCall call = enriched.deserialize(record.topic(), record.value());
      if (tenant != null && !tenant.equals(call.getTenantId())) {
        return null;
      }
      event.put("event", "enriched");
      event.put("call_id", call.getCallId().toString());
      event.put("tenant_id", call.getTenantId());
      event.put("version", call.getVersion());
      event.put("provider", call.getProvider().name());
      event.put("ended_at", call.getEndedAt().toString());
      event.put("title", call.getTitle());
      event.put("summary", call.getSummary());
      event.put("sentiment", call.getSentiment().name());
      event.put("success", call.getSuccess().name());
      return event;
    }
    WorkItem item = deadLetters.deserialize(record.topic(), record.value());
    if (tenant != null && !tenant.equals(item.getTenantId())) {
      return null;
    }
    event.put("event", "dead_lettered");
    event.put("id", record.partition() + "-" + record.offset());
    event.put("call_id", item.getCallId().toString());
    event.put("tenant_id", item.getTenantId());
    event.put("reason", item.getDeadLetterReason());
    event.put("stage", item.getStage().name());
    return event;
  }

  private static int compare(TopicPartition a, TopicPartition b) {
    int topic = a.topic().compareTo(b.topic());
    return topic != 0 ? topic : Integer.compare(a.partition(), b.partition());
  }

  /** Where the stream stands, as an opaque event id (a client may start from any it was given). */
  public static String encode(Map<TopicPartition, Long> position) {
    StringBuilder text = new StringBuilder();
    position.forEach(
        (partition, offset) ->
            text.append(partition.topic())
                .append(':')
                .append(partition.partition())
                .append(':')
                .append(offset)
                .append(';'));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** An event id back to positions; none for no id; a 400 for one this API did not give out. */
  static Map<TopicPartition, Long> parse(String lastEventId) {
    Map<TopicPartition, Long> position = new HashMap<>();
    if (lastEventId == null || lastEventId.isBlank()) {
      return position;
    }
    try {
      String text =
          new String(Base64.getUrlDecoder().decode(lastEventId.trim()), StandardCharsets.UTF_8);
      for (String part : text.split(";")) {
        String[] fields = part.split(":");
        if (!TOPICS.contains(fields[0]) || fields.length != 3) {
          throw new IllegalArgumentException(part);
        }
        position.put(
            new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
      }
      return position;
    } catch (RuntimeException e) {
      throw ApiProblem.badParameter(
          "Last-Event-ID", "Last-Event-ID '" + lastEventId + "' is not an id this stream gave out");
    }
  }
}
