package io.callstream.query.redrive;

import io.callstream.events.StageError;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicReader;
import io.callstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dead-letter topic as a user sees it: entries named by their place in {@code calls.dlt.v1}
 * ({@code partition-offset}), listed with their reason and failures, and redriven back to the stage
 * that failed. A redrive publishes the item to the first retry tier, due now and with its reason
 * cleared, and marks the entry in {@code dlt.redriven.v1}, in one transaction: the entry is then no
 * longer listed, and is never sent twice.
 */
public final class DeadLetters {
  private static final String REDRIVE_TRANSACTION = "callstream-dlt-redrive";
  private static final Duration READABLE_WITHIN = Duration.ofSeconds(30);

  /** One dead letter, and what a table shows of it. */
  public record Entry(String id, WorkItem item) {
    public UUID callId() {
      return item.getCallId();
    }

    public String reason() {
      return item.getDeadLetterReason();
    }

    public int attempts() {
      return item.getErrors().size();
    }

    public Instant firstFailure() {
      return item.getErrors().isEmpty() ? null : item.getErrors().get(0).getAt();
    }

    public Instant lastFailure() {
      List<StageError> errors = item.getErrors();
      return errors.isEmpty() ? null : errors.get(errors.size() - 1).getAt();
    }
  }

  private final Map<String, Object> clientConfig;
  private final Deserializer<WorkItem> deadLetters;
  private final Serializer<WorkItem> retries;

  public DeadLetters(Map<String, Object> clientConfig, SchemaRegistry registry) {
    this.clientConfig = clientConfig;
    this.deadLetters = TopicCatalog.CALLS_DLT.valueSerde(registry).deserializer();
    this.retries = TopicCatalog.CALLS_RETRY_30S.valueSerde(registry).serializer();
  }

  /**
   * Entries not yet redriven, with {@code reason} (null: any), that last failed at or after {@code
   * since}.
   */
  public List<Entry> list(String reason, Instant since, Set<UUID> calls) {
    Set<String> redriven = redriven();
    List<Entry> entries = new ArrayList<>();
    try (TopicReader reader = new TopicReader(clientConfig)) {
      reader.readAll(
          Topics.CALLS_DLT,
          record -> {
            if (record.value() == null || redriven.contains(id(record))) {
              return;
            }
            Entry entry =
                new Entry(id(record), deadLetters.deserialize(Topics.CALLS_DLT, record.value()));
            boolean matches =
                (reason == null || reason.equals(entry.reason()))
                    && (since == null
                        || (entry.lastFailure() != null && !entry.lastFailure().isBefore(since)))
                    && (calls.isEmpty() || calls.contains(entry.callId()));
            if (matches) {
              entries.add(entry);
            }
          });
    }
    entries.sort(
        Comparator.comparing(Entry::lastFailure, Comparator.nullsFirst(Comparator.naturalOrder())));
    return entries;
  }

  /** The entry {@code id} ({@code partition-offset}), redriven or not, and whether it was. */
  public Optional<Shown> show(String id) {
    TopicPartition partition;
    long offset;
    try {
      String[] parts = id.split("-", 2);
      partition = new TopicPartition(Topics.CALLS_DLT, Integer.parseInt(parts[0]));
      offset = Long.parseLong(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "a dead letter's id is its partition and offset, such as 3-17; got '" + id + "'");
    }
    try (TopicReader reader = new TopicReader(clientConfig)) {
      return reader
          .at(partition, offset)
          .filter(record -> record.value() != null)
          .map(
              record ->
                  new Shown(
                      new Entry(id, deadLetters.deserialize(Topics.CALLS_DLT, record.value())),
                      redriven().contains(id)));
    }
  }

  /** An entry shown in full. */
  public record Shown(Entry entry, boolean redriven) {}

  /**
   * Redrives every listed entry with {@code reason} (null: any) of {@code calls} (empty: any), and
   * returns once its marks are readable, so the next listing no longer shows them. Redrives in one
   * process take turns, so two requests never send the same entry.
   */
  public synchronized List<Entry> redrive(String reason, Set<UUID> calls) {
    List<Entry> entries = list(reason, null, calls);
    if (entries.isEmpty()) {
      return entries;
    }
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, REDRIVE_TRANSACTION);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    Instant now = Instant.now();
    byte[] redrivenAt = now.toString().getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      List<Future<RecordMetadata>> marks = new ArrayList<>();
      for (Entry entry : entries) {
        WorkItem again =
            WorkItem.newBuilder(entry.item())
                .setDeadLetterReason(null)
                .setDueAt(now)
                .setAttempt(0)
                .setRedrives(entry.item().getRedrives() + 1)
                .build();
        producer.send(
            new ProducerRecord<>(
                Topics.CALLS_RETRY_30S,
                again.getCallId().toString(),
                retries.serialize(Topics.CALLS_RETRY_30S, again)));
        marks.add(
            producer.send(new ProducerRecord<>(Topics.CALLS_DLT_REDRIVEN, entry.id(), redrivenAt)));
      }
      producer.commitTransaction();
      awaitReadable(marks);
    }
    return entries;
  }

  /**
   * A committed transaction's markers reach its partitions a moment after the commit returns; until
   * then a committed reader does not see its records. Waits for them, so the marks are seen.
   */
  private void awaitReadable(List<Future<RecordMetadata>> marks) {
    Map<TopicPartition, Long> needed = new HashMap<>();
    try {
      for (Future<RecordMetadata> mark : marks) {
        RecordMetadata written = mark.get();
        needed.merge(
            new TopicPartition(written.topic(), written.partition()),
            written.offset() + 1,
            Math::max);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while redriving", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a redrive mark was not written: " + e.getCause(), e);
    }
    long deadline = System.nanoTime() + READABLE_WITHIN.toNanos();
    try (TopicReader reader = new TopicReader(clientConfig)) {
      while (true) {
        Map<TopicPartition, Long> end = reader.end(Topics.CALLS_DLT_REDRIVEN);
        if (needed.entrySet().stream().allMatch(n -> end.get(n.getKey()) >= n.getValue())) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the redrive committed, but its marks were not readable within " + READABLE_WITHIN);
        }
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while redriving", e);
    }
  }

  private Set<String> redriven() {
    Set<String> ids = new HashSet<>();
    try (TopicReader reader = new TopicReader(clientConfig)) {
      reader.readAll(
          Topics.CALLS_DLT_REDRIVEN,
          record -> {
            String id = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
              ids.remove(id);
            } else {
              ids.add(id);
            }
          });
    }
    return ids;
  }

  private static String id(ConsumerRecord<byte[], byte[]> record) {
    return record.partition() + "-" + record.offset();
  }
}
