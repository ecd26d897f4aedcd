package io.callstream.sinks.connect;

import io.callstream.sinks.postgres.DeadLetterWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a redrive mark of {@code dlt.redriven.v1}: the key names the entry as {@code
 * partition-offset}, the value is the redrive time as ISO-8601 text (no Avro).
 */
final class DeadLetterMarks {
  private DeadLetterMarks() {}

  static DeadLetterWriter.Redrive parse(SinkRecord record) {
    String key = text(record.key());
    String value = text(record.value());
    String[] place = key == null ? new String[0] : key.split("-", 2);
    try {
      return new DeadLetterWriter.Redrive(
          Integer.parseInt(place[0]), Long.parseLong(place[1]), Instant.parse(value));
    } catch (DateTimeParseException
        | NumberFormatException
        | ArrayIndexOutOfBoundsException
        | NullPointerException e) {
      throw new IllegalArgumentException(
          "a redrive mark must be keyed partition-offset with an ISO time as its value, not "
              + key
              + " = "
              + value,
          e);
    }
  }

  private static String text(Object value) {
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return value == null ? null : value.toString();
  }
}
