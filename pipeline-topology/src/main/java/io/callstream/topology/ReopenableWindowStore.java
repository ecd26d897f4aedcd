package io.callstream.topology;

import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.OffsetCheckpoint;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A persistent window store that a task can reopen under exactly-once even while it holds nothing.
 *
 * <p>Kafka Streams keeps a segmented store's committed changelog offset inside its segments, so a
 * window store with no segments (nothing written on that partition yet, or everything aged out)
 * reports no offset when its task is opened again. Under exactly-once, a store without an offset in
 * a task folder that is not empty is taken as corrupt: the task's whole state is wiped and rebuilt,
 * and the thread asks for a rebalance. Every standby promoted on failover, and every task moving
 * between threads, hit that, so a failover turned into a rebalance every second or two until the
 * assignment happened to settle. A store holding no records cannot hold uncommitted ones either, so
 * this one answers "restore from the changelog's start" instead, which rebuilds exactly the
 * committed state.
 */
public final class ReopenableWindowStore
    extends WrappedStateStore<WindowStore<Bytes, byte[]>, Bytes, byte[]>
    implements WindowStore<Bytes, byte[]> {

  private ReopenableWindowStore(WindowStore<Bytes, byte[]> store) {
    super(store);
  }

  /** A persistent window store of {@code retention}, one window as long as the retention. */
  public static <K, V> StoreBuilder<WindowStore<K, V>> builder(
      String name, Duration retention, Serde<K> keys, Serde<V> values) {
    WindowBytesStoreSupplier rocks =
        Stores.persistentWindowStore(name, retention, retention, false);
    WindowBytesStoreSupplier reopenable =
        new WindowBytesStoreSupplier() {
          @Override
          public String name() {
            return rocks.name();
          }

          @Override
          public WindowStore<Bytes, byte[]> get() {
            return new ReopenableWindowStore(rocks.get());
          }

          @Override
          public String metricsScope() {
            return rocks.metricsScope();
          }

          @Override
          public long segmentIntervalMs() {
            return rocks.segmentIntervalMs();
          }

          @Override
          public long windowSize() {
            return rocks.windowSize();
          }

          @Override
          public boolean retainDuplicates() {
            return rocks.retainDuplicates();
          }

          @Override
          public long retentionPeriod() {
            return rocks.retentionPeriod();
          }
        };
    return Stores.windowStoreBuilder(reopenable, keys, values);
  }

  @Override
  public Long committedOffset(TopicPartition changelog) {
    Long offset = super.committedOffset(changelog);
    if (offset != null) {
      return offset;
    }
    try (KeyValueIterator<Windowed<Bytes>, byte[]> records = wrapped().all()) {
      return records.hasNext() ? null : OffsetCheckpoint.OFFSET_UNKNOWN;
    }
  }

  @Override
  public void put(Bytes key, byte[] value, long windowStartTimestamp) {
    wrapped().put(key, value, windowStartTimestamp);
  }

  @Override
  public byte[] fetch(Bytes key, long time) {
    return wrapped().fetch(key, time);
  }

  @Override
  public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
    return wrapped().fetch(key, timeFrom, timeTo);
  }

  @Override
  public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
    return wrapped().backwardFetch(key, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(
      Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return wrapped().fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(
      Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return wrapped().backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
    return wrapped().fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
    return wrapped().backwardFetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    return wrapped().all();
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
    return wrapped().backwardAll();
  }
}
