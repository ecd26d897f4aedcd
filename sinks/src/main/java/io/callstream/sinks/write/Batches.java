package io.callstream.sinks.write;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Writes a batch in one go; when that fails for one bad record, finds it by writing one at a time,
 * reports it as errant, and writes the rest. A database outage is never blamed on a record: it
 * stops the batch with {@link DatabaseOutage}, so the whole batch is delivered again.
 */
public final class Batches {
  private Batches() {}

  /**
   * Writes the rows {@code toRow} makes of the deliveries. A delivery {@code toRow} refuses with
   * {@link IllegalArgumentException} (malformed) is reported and left out.
   *
   * @throws DatabaseOutage when the database is unavailable
   */
  public static <V, R> void write(
      List<Delivery<V>> batch,
      Function<Delivery<V>, R> toRow,
      ToIntFunction<List<R>> writer,
      Errant errant) {
    List<R> rows = new ArrayList<>(batch.size());
    List<Position> sources = new ArrayList<>(batch.size());
    for (Delivery<V> delivery : batch) {
      try {
        rows.add(toRow.apply(delivery));
        sources.add(delivery.position());
      } catch (IllegalArgumentException malformed) {
        errant.report(delivery.position(), malformed);
      }
    }
    try {
      writer.applyAsInt(rows);
    } catch (RuntimeException batchFailure) {
      throwIfOutage(batchFailure);
      for (int i = 0; i < rows.size(); i++) {
        try {
          writer.applyAsInt(List.of(rows.get(i)));
        } catch (RuntimeException recordFailure) {
          throwIfOutage(recordFailure);
          errant.report(sources.get(i), recordFailure);
        }
      }
    }
  }

  /** As {@link #write}, for topics whose records are never tombstones: each value is the row. */
  public static <V> void writeValues(
      List<Delivery<V>> batch, ToIntFunction<List<V>> writer, Errant errant) {
    write(batch, Batches::valueOf, writer, errant);
  }

  /** The delivery's value; a tombstone on a topic that takes none is malformed. */
  public static <V> V valueOf(Delivery<V> delivery) {
    if (delivery.value() == null) {
      throw new IllegalArgumentException(
          "a record without a value on " + delivery.position().topic() + ", which deletes nothing");
    }
    return delivery.value();
  }

  private static void throwIfOutage(RuntimeException failure) {
    DatabaseOutage outage = DatabaseOutage.of(failure);
    if (outage != null) {
      throw outage;
    }
  }
}
