package io.callstream.topology.dedupe;

import io.callstream.schemas.topics.EventHeaders;
import io.callstream.topology.ReopenableWindowStore;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Folds duplicates of an event: a provider's retried webhook carries the same event id, and only
 * its first copy within {@code ttl} passes. Event ids are kept in a window store whose retention is
 * the TTL, so old ids age out without a scan. Times are the records' own (when the gateway received
 * them), so a replay dedupes the same way as the original run. Events re-published by a replay (the
 * replay header) pass on purpose.
 */
public final class DedupeProcessor<V> implements Processor<String, V, String, V> {
  private final String storeName;
  private final Duration ttl;
  private final Function<V, String> eventId;
  private final Runnable onDuplicate;
  private ProcessorContext<String, V> context;
  private WindowStore<String, Long> seen;

  public DedupeProcessor(
      String storeName, Duration ttl, Function<V, String> eventId, Runnable onDuplicate) {
    this.storeName = storeName;
    this.ttl = ttl;
    this.eventId = eventId;
    this.onDuplicate = onDuplicate;
  }

  /** The store of seen event ids, kept for {@code ttl}. */
  public static StoreBuilder<WindowStore<String, Long>> store(String name, Duration ttl) {
    return ReopenableWindowStore.builder(name, ttl, Serdes.String(), Serdes.Long());
  }

  @Override
  public void init(ProcessorContext<String, V> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.headers().lastHeader(EventHeaders.REPLAY) != null) {
      context.forward(record); // a replay re-publishes events on purpose
      return;
    }
    String id = eventId.apply(record.value());
    long at = record.timestamp();
    try (WindowStoreIterator<Long> earlier =
        seen.fetch(id, Instant.ofEpochMilli(at).minus(ttl), Instant.ofEpochMilli(at))) {
      if (earlier.hasNext()) {
        onDuplicate.run();
        return; // the same event was accepted already: folding it is the point
      }
    }
    seen.put(id, at, at);
    context.forward(record);
  }
}
