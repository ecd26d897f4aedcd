package io.callstream.sinks.connect;

import java.util.ArrayList;
import java.util.List;
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
    List<T> values = new ArrayList<>();
    List<SinkRecord> sources = new ArrayList<>();
    for (SinkRecord record : records) {
      T value = resources.decode(record, type);
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
