package io.callstream.gateway.kafka;

import io.callstream.gateway.provider.IngestEvent;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.SizeLimits;
import io.callstream.schemas.topics.Topic;
import io.callstream.schemas.topics.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes accepted events to Kafka and says whether the write is durable. The producer is idempotent
 * with {@code acks=all}; an event counts as stored only when the broker acknowledged it within the
 * deadline. Past it the answer is {@link Outcome.Unavailable}, and the producer's own delivery
 * timeout equals the deadline, so a write given up on is not retried in the background either.
 */
public final class EventPublisher implements AutoCloseable {

  /** What became of a publish. */
  public sealed interface Outcome {
    /** The broker acknowledged the write. */
    record Durable(int partition, long offset) implements Outcome {}

    /** The write could not be confirmed in time; the caller must not report success. */
    record Unavailable(String reason) implements Outcome {}

    /** The event can never be written (larger than any record Kafka takes): retrying is futile. */
    record Refused(String reason) implements Outcome {}
  }

  /** Request headers that travel with the event. */
  public record Provenance(String source, long receivedAtMillis, String traceparent) {}

  // How late past its deadline an unacknowledged write may be answered 503.
  private static final Duration SWEEP_TICK = Duration.ofMillis(10);

  private final Producer<String, byte[]> producer;
  private final SchemaRegistry registry;
  private final Map<String, Serializer<Object>> serializers = new ConcurrentHashMap<>();
  private final AckDeadlines<RecordMetadata> deadlines;

  public EventPublisher(
      Producer<String, byte[]> producer, SchemaRegistry registry, Duration deadline) {
    this.producer = producer;
    this.registry = registry;
    this.deadlines = new AckDeadlines<>(deadline, SWEEP_TICK);
  }

  /** Producer settings for durable, ordered, fast writes that give up at {@code deadline}. */
  public static Map<String, Object> producerConfig(
      String bootstrapServers, Duration deadline, String compression, int lingerMs) {
    int deadlineMs = (int) deadline.toMillis();
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "callstream-gateway");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, SizeLimits.MAX_RECORD_BYTES);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, SizeLimits.PRODUCER_BUFFER_BYTES);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, deadlineMs);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, deadlineMs - 1000));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deadlineMs);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }

  /**
   * Registers the schemas of every event the gateway writes, so a registry problem shows at start.
   */
  public void registerSchemas() {
    for (Topic<?> topic : List.of(TopicCatalog.CALLS_ENDED, TopicCatalog.RECORDINGS_UPLOADED)) {
      registry.register(topic.valueSubject(), topic.valueSchema().orElseThrow());
    }
  }

  /**
   * Writes {@code event} and waits for the broker's acknowledgement, at most the deadline (and one
   * sweep tick).
   */
  public Outcome publish(IngestEvent event, Provenance provenance) {
    long start = System.nanoTime();
    byte[] value;
    try {
      value = serialize(event);
    } catch (RuntimeException e) {
      return new Outcome.Unavailable("cannot encode the event: " + e.getMessage());
    }
    if (value.length > SizeLimits.MAX_RECORD_BYTES) {
      return tooLarge(value.length);
    }
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(event.topic(), event.callId().toString(), value);
    record.headers().add(header(EventHeaders.EVENT_ID, event.eventId()));
    record.headers().add(header(EventHeaders.SOURCE, provenance.source()));
    record
        .headers()
        .add(header(EventHeaders.RECEIVED_AT, Long.toString(provenance.receivedAtMillis())));
    record.headers().add(header(EventHeaders.TRACEPARENT, provenance.traceparent()));
    CompletableFuture<RecordMetadata> ack = deadlines.track(start);
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              ack.complete(metadata);
            } else {
              ack.completeExceptionally(error);
            }
          });
      RecordMetadata metadata = ack.get();
      return new Outcome.Durable(metadata.partition(), metadata.offset());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RecordTooLargeException) {
        return tooLarge(value.length);
      }
      return new Outcome.Unavailable(
          e.getCause() instanceof TimeoutException
              ? e.getCause().getMessage()
              : "Kafka rejected the write: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Unavailable("interrupted while waiting for Kafka");
    } catch (RuntimeException e) {
      // send() itself throws when metadata is unavailable for max.block.ms (broker down).
      ack.completeExceptionally(e);
      return new Outcome.Unavailable("Kafka is unavailable: " + e.getMessage());
    }
  }

  private static Outcome tooLarge(int bytes) {
    return new Outcome.Refused(
        "the call's event is "
            + bytes
            + " bytes, more than the "
            + SizeLimits.MAX_RECORD_BYTES
            + " bytes of a Kafka record");
  }

  /** Sends everything buffered and waits for it. */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    deadlines.close();
  }

  private byte[] serialize(IngestEvent event) {
    return serializers
        .computeIfAbsent(
            event.topic(), topic -> TopicCatalog.named(topic).routingSerializer(registry))
        .serialize(event.topic(), event.value());
  }

  private static RecordHeader header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
