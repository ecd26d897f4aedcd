package io.callstream.topology.enrich;

import io.callstream.events.WorkItem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The work items a task has accepted and not finished, one queue per call: the head of a call's
 * queue is the item being enriched (or waiting on a retry tier, then it carries its due time), the
 * rest wait behind it so a call's events are enriched in order. Keys are the call id's 16 bytes
 * followed by an arrival sequence, big-endian, so a call's items sort together in arrival order.
 * The store is changelogged: after a crash or rebalance every head is submitted again.
 */
final class InflightStore {
  private static final int KEY_LENGTH = 24;
  private final KeyValueStore<Bytes, WorkItem> store;
  private long sequence;

  InflightStore(KeyValueStore<Bytes, WorkItem> store) {
    this.store = store;
  }

  static StoreBuilder<KeyValueStore<Bytes, WorkItem>> builder(String name, Serde<WorkItem> items) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), items);
  }

  /**
   * Reads the store after a restart: remembers where the arrival sequence stands and returns the
   * head of every call's queue, in key order.
   */
  List<WorkItem> heads() {
    List<WorkItem> heads = new ArrayList<>();
    UUID lastCall = null;
    long maxSequence = -1;
    try (KeyValueIterator<Bytes, WorkItem> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, WorkItem> entry = all.next();
        ByteBuffer key = ByteBuffer.wrap(entry.key.get());
        UUID call = new UUID(key.getLong(0), key.getLong(8));
        maxSequence = Math.max(maxSequence, key.getLong(16));
        if (!call.equals(lastCall)) {
          heads.add(entry.value);
          lastCall = call;
        }
      }
    }
    sequence = maxSequence + 1;
    return heads;
  }

  /** Queues {@code item} behind its call's earlier items; true when it is the head and may run. */
  boolean enqueue(WorkItem item) {
    boolean head = head(item.getCallId()) == null;
    store.put(key(item.getCallId(), sequence++), item);
    return head;
  }

  /** The head of the call's queue, or null when the call has nothing in flight. */
  WorkItem head(UUID call) {
    KeyValue<Bytes, WorkItem> head = headEntry(call);
    return head == null ? null : head.value;
  }

  /**
   * Replaces the head of the item's call with {@code item} (a later stage, or parked on a tier).
   */
  void updateHead(WorkItem item) {
    KeyValue<Bytes, WorkItem> head = headEntry(item.getCallId());
    if (head == null) {
      throw new IllegalStateException("call " + item.getCallId() + " has nothing in flight");
    }
    store.put(head.key, item);
  }

  /** Removes the head of the call's queue and returns the next item, which may now run, or null. */
  WorkItem finishHead(UUID call) {
    KeyValue<Bytes, WorkItem> head = headEntry(call);
    if (head != null) {
      store.delete(head.key);
    }
    return head(call);
  }

  private KeyValue<Bytes, WorkItem> headEntry(UUID call) {
    try (KeyValueIterator<Bytes, WorkItem> items =
        store.range(key(call, 0), key(call, Long.MAX_VALUE))) {
      return items.hasNext() ? items.next() : null;
    }
  }

  static Bytes key(UUID call, long sequence) {
    return Bytes.wrap(
        ByteBuffer.allocate(KEY_LENGTH)
            .putLong(call.getMostSignificantBits())
            .putLong(call.getLeastSignificantBits())
            .putLong(sequence)
            .array());
  }
}
