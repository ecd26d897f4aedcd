package io.callstream.schemas.topics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads ranges of topics without a consumer group: committed records only (the topology writes in
 * transactions), keys and values as bytes. Ranges are found by offset or, through the broker's
 * timestamp index, by time, so nothing outside them is read.
 */
public final class TopicReader implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);
  private final KafkaConsumer<byte[], byte[]> consumer;

  public TopicReader(Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Every partition of {@code topic}. */
  public List<TopicPartition> partitions(String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    return partitions;
  }

  /** Where each partition of {@code topic} begins. */
  public Map<TopicPartition, Long> beginning(String topic) {
    return consumer.beginningOffsets(partitions(topic), Duration.ofSeconds(30));
  }

  /** Where each partition of {@code topic} ends now (the next offset to be written). */
  public Map<TopicPartition, Long> end(String topic) {
    return consumer.endOffsets(partitions(topic), Duration.ofSeconds(30));
  }

  /**
   * The first offset of each partition of {@code topic} whose record is at or after {@code time},
   * by the broker's timestamp index; the partition's end where no record is that late.
   */
  public Map<TopicPartition, Long> at(String topic, Instant time) {
    List<TopicPartition> partitions = partitions(topic);
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(partition -> query.put(partition, time.toEpochMilli()));
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(query, Duration.ofSeconds(30));
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp hit = found.get(partition);
      offsets.put(partition, hit == null ? end.get(partition) : hit.offset());
    }
    return offsets;
  }

  /** Hands every record from {@code from} (inclusive) to {@code to} (exclusive) to {@code each}. */
  public long read(
      Map<TopicPartition, Long> from,
      Map<TopicPartition, Long> to,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    List<TopicPartition> pending = new ArrayList<>();
    for (var start : from.entrySet()) {
      if (start.getValue() < to.getOrDefault(start.getKey(), 0L)) {
        pending.add(start.getKey());
      }
    }
    if (pending.isEmpty()) {
      return 0;
    }
    consumer.assign(pending);
    pending.forEach(partition -> consumer.seek(partition, from.get(partition)));
    long read = 0;
    while (!pending.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < to.get(partition)) {
          each.accept(record);
          read++;
        }
      }
      // Transaction markers take offsets too: a partition is done when its position passed the end.
      pending.removeIf(partition -> consumer.position(partition) >= to.get(partition));
      consumer.pause(
          consumer.assignment().stream()
              .filter(partition -> !pending.contains(partition))
              .toList());
    }
    consumer.assign(List.of());
    return read;
  }

  /**
   * Hands every record from {@code from} on to {@code each} as it arrives, until {@code done} says
   * so or {@code timeout} passed; returns whether {@code done} said so.
   */
  public boolean follow(
      Map<TopicPartition, Long> from,
      Consumer<ConsumerRecord<byte[], byte[]>> each,
      BooleanSupplier done,
      Duration timeout) {
    consumer.assign(from.keySet());
    from.forEach(consumer::seek);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        consumer.poll(POLL).forEach(each);
      }
      return true;
    } finally {
      consumer.assign(List.of());
    }
  }

  /** The record at {@code offset} of {@code partition}, if it is there and committed. */
  public Optional<ConsumerRecord<byte[], byte[]>> at(TopicPartition partition, long offset) {
    long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
    if (offset < 0 || offset >= end) {
      return Optional.empty();
    }
    AtomicReference<ConsumerRecord<byte[], byte[]>> found = new AtomicReference<>();
    read(Map.of(partition, offset), Map.of(partition, offset + 1), found::set);
    return Optional.ofNullable(found.get());
  }

  /** Reads the whole of {@code topic} as it is now. */
  public long readAll(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    return read(beginning(topic), end(topic), each);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
