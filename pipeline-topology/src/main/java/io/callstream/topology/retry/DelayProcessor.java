package io.callstream.topology.retry;

import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.EventHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Holds the items of one retry tier until they are due and then passes them on, so a waiting item
 * never blocks its partition. Items wait in a changelogged store keyed by due time (then arrival),
 * which keeps them in FIFO order and survives restarts; a wall-clock punctuator releases what is
 * due. An item is due at its {@code due_at}, or {@code delay} after it reached the tier.
 */
public final class DelayProcessor implements Processor<String, WorkItem, String, WorkItem> {
  private final String storeName;
  private final byte[] tierTopic;
  private final Duration delay;
  private final Duration checkEvery;
  private ProcessorContext<String, WorkItem> context;
  private KeyValueStore<Bytes, WorkItem> waiting;
  private long sequence;

  /**
   * @param tierTopic the tier's topic, named on each item it passes on (the {@code
   *     callstream.retry.tier} header: the resumed stage's trace says where it waited)
   */
  public DelayProcessor(String storeName, String tierTopic, Duration delay, Duration checkEvery) {
    this.storeName = storeName;
    this.tierTopic = tierTopic.getBytes(StandardCharsets.UTF_8);
    this.delay = delay;
    this.checkEvery = checkEvery;
  }

  /** The store a tier's delay processor keeps its items in. */
  public static StoreBuilder<KeyValueStore<Bytes, WorkItem>> store(
      String name, Serde<WorkItem> items) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), items);
  }

  @Override
  public void init(ProcessorContext<String, WorkItem> context) {
    this.context = context;
    this.waiting = context.getStateStore(storeName);
    try (KeyValueIterator<Bytes, WorkItem> last = waiting.reverseAll()) {
      sequence = last.hasNext() ? ByteBuffer.wrap(last.next().key.get()).getLong(8) + 1 : 0;
    }
    context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, this::release);
  }

  @Override
  public void process(Record<String, WorkItem> record) {
    WorkItem item = record.value();
    long dueAt =
        item.getDueAt() != null
            ? item.getDueAt().toEpochMilli()
            : context.currentSystemTimeMs() + delay.toMillis();
    waiting.put(key(dueAt, sequence++), item);
  }

  /** Passes on, in order, every item due by {@code now}. */
  void release(long now) {
    try (KeyValueIterator<Bytes, WorkItem> items = waiting.all()) {
      while (items.hasNext()) {
        var entry = items.next();
        if (ByteBuffer.wrap(entry.key.get()).getLong(0) > now) {
          break;
        }
        WorkItem item = entry.value;
        RecordHeaders tier = new RecordHeaders();
        tier.add(EventHeaders.RETRY_TIER, tierTopic);
        context.forward(new Record<>(item.getCallId().toString(), item, now, tier));
        waiting.delete(entry.key);
      }
    }
  }

  /** Due time, then arrival: big-endian, so the store's byte order is FIFO by due time. */
  static Bytes key(long dueAt, long sequence) {
    return Bytes.wrap(ByteBuffer.allocate(16).putLong(dueAt).putLong(sequence).array());
  }
}
