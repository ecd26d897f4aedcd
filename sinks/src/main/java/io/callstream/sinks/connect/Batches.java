package io.callstream.sinks.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Writes a batch in one go; when that fails for one bad record, finds it by writing one at a time.
 */
final class Batches {
  private Batches() {}

  static <T extends SpecificRecord> void write(
      TaskResources resources,
      List<SinkRecord> records,
      Class<T> type,
      ToIntFunction<List<T>> writer) {
    write(resources, records, type, (record, value) -> value, writer);
  }

  /** As above, each decoded value first made into what the writer takes, with its record. */
  static <T extends SpecificRecord, R> void write(
      TaskResources resources,
      List<SinkRecord> records,
      Class<T> type,
      BiFunction<SinkRecord, T, R> toRow,
      ToIntFunction<List<R>> writer) {
    writeRaw(
        resources,
        records,
        record -> {
          T value = resources.decode(record, type);
          return value == null ? null : toRow.apply(record, value);
        },
        writer);
  }

  /**
   * Writes the rows {@code toRow} makes of the records (null: already reported as errant), in one
   * go, or one at a time to find a bad one.
   */
  static <R> void writeRaw(
      TaskResources resources,
      List<SinkRecord> records,
      Function<SinkRecord, R> toRow,
      ToIntFunction<List<R>> writer) {
    List<R> values = new ArrayList<>();
    List<SinkRecord> sources = new ArrayList<>();
    for (SinkRecord record : records) {
      R value;
      try {
        value = toRow.apply(record);
      } catch (IllegalArgumentException malformed) {
        resources.report(record, malformed);
        continue;
      }
      if (value != null) {
        values.add(value);
        sources.add(record);
      }
    }
    try {
      writer.applyAsInt(values);
    } catch (RuntimeException batchFailure) {
      if (TaskResources.isOutage(batchFailure)) {
        throw new RetriableException(
            "the database is unavailable: " + batchFailure.getMessage(), batchFailure);
      }
      for (int i = 0; i < values.size(); i++) {
        try {
          writer.applyAsInt(List.of(values.get(i)));
        } catch (RuntimeException recordFailure) {
          if (TaskResources.isOutage(recordFailure)) {
            throw new RetriableException(
                "the database is unavailable: " + recordFailure.getMessage(), recordFailure);
          }
          resources.report(sources.get(i), recordFailure);
        }
      }
    }
  }
}
