package io.callstream.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class BatchesTest {
  private final Map<Position, String> errant = new LinkedHashMap<>();
  private final List<List<String>> writes = new ArrayList<>();

  @Test
  void aGoodBatchIsWrittenInOneGo() {
    Batches.writeValues(batch("a", "b", "c"), recording(rows -> rows.size()), this::report);
    assertThat(writes).containsExactly(List.of("a", "b", "c"));
    assertThat(errant).isEmpty();
  }

  @Test
  void aRecordTheDatabaseRefusesIsFoundAloneAndTheRestLand() {
    Batches.writeValues(
        batch("a", "bad", "c"),
        recording(
            rows -> {
              if (rows.contains("bad")) {
                throw new IllegalStateException("value too long for column");
              }
              return rows.size();
            }),
        this::report);
    assertThat(writes)
        .containsExactly(List.of("a", "bad", "c"), List.of("a"), List.of("bad"), List.of("c"));
    assertThat(errant).containsExactly(Map.entry(at(1), "value too long for column"));
  }

  @Test
  void aMalformedRecordIsReportedBeforeTheWriteAndATombstoneIsMalformedWhereNothingIsDeleted() {
    List<Delivery<String>> batch = batch("a", null, "c");
    Batches.write(
        batch,
        delivery -> {
          if ("c".equals(delivery.value())) {
            throw new IllegalArgumentException("c is malformed");
          }
          return Batches.valueOf(delivery);
        },
        recording(List::size),
        this::report);
    assertThat(writes).containsExactly(List.of("a"));
    assertThat(errant)
        .containsExactly(
            Map.entry(at(1), "a record without a value on t, which deletes nothing"),
            Map.entry(at(2), "c is malformed"));
  }

  @Test
  void anOutageStopsTheBatchAndBlamesNoRecord() {
    SQLException refused = new SQLException("Connection refused", "08001");
    assertThatThrownBy(
            () ->
                Batches.writeValues(
                    batch("a", "b"),
                    recording(
                        rows -> {
                          throw new IllegalStateException("write failed", refused);
                        }),
                    this::report))
        .isInstanceOf(DatabaseOutage.class)
        .hasMessageContaining("the database is unavailable")
        .hasRootCause(refused);
    assertThat(errant).isEmpty();
  }

  @Test
  void anOutageWhileSeekingTheBadRecordStillStopsTheBatch() {
    int[] calls = {0};
    assertThatThrownBy(
            () ->
                Batches.writeValues(
                    batch("a", "b"),
                    recording(
                        rows -> {
                          if (calls[0]++ == 0) {
                            throw new IllegalStateException("duplicate key");
                          }
                          throw new IllegalStateException(
                              "gone", new SQLException("terminating connection", "57P01"));
                        }),
                    this::report))
        .isInstanceOf(DatabaseOutage.class);
    assertThat(errant).isEmpty();
  }

  private ToIntFunction<List<String>> recording(ToIntFunction<List<String>> writer) {
    return rows -> {
      writes.add(List.copyOf(rows));
      return writer.applyAsInt(rows);
    };
  }

  private void report(Position position, Throwable error) {
    errant.put(position, error.getMessage());
  }

  private static List<Delivery<String>> batch(String... values) {
    List<Delivery<String>> batch = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      batch.add(new Delivery<>(at(i), "k" + i, values[i], Instant.EPOCH));
    }
    return batch;
  }

  private static Position at(long offset) {
    return new Position("t", 0, offset);
  }
}
