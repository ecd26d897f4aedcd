package io.callstream.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * How long this instance's state stores took to restore from their changelogs when tasks came to it
 * (a failed instance's tasks, with a standby here, restore only the records the standby had not yet
 * read): restores done, records restored, their total and longest time, and how many are under way
 * now. A task is running, not merely assigned, once none of its stores is restoring.
 */
public final class StoreRestores implements StateRestoreListener {
  private final Map<TopicPartition, Long> startedNanos = new ConcurrentHashMap<>();
  private final LongAdder done = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder totalNanos = new LongAdder();
  private final AtomicLong longestNanos = new AtomicLong();

  @Override
  public void onRestoreStart(
      TopicPartition changelog, String store, long startingOffset, long endingOffset) {
    startedNanos.put(changelog, System.nanoTime());
  }

  @Override
  public void onBatchRestored(
      TopicPartition changelog, String store, long batchEndOffset, long restored) {
    records.add(restored);
  }

  @Override
  public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
    Long started = startedNanos.remove(changelog);
    if (started != null) {
      long took = System.nanoTime() - started;
      done.increment();
      totalNanos.add(took);
      longestNanos.accumulateAndGet(took, Math::max);
    }
  }

  /** The task moved away while restoring: the restore is no longer under way here. */
  @Override
  public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
    startedNanos.remove(changelog);
  }

  /** Stores restoring now. */
  public int underWay() {
    return startedNanos.size();
  }

  public long doneCount() {
    return done.sum();
  }

  public long recordCount() {
    return records.sum();
  }

  public double totalSeconds() {
    return totalNanos.sum() / 1e9;
  }

  public double longestSeconds() {
    return longestNanos.get() / 1e9;
  }
}
