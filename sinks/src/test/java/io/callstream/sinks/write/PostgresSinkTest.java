package io.callstream.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.sinks.connect.PostgresSinkConnector;
import io.callstream.sinks.postgres.DeadLetterWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class PostgresSinkTest {
  // never connects: these tests write nothing that reaches a writer
  private final Jdbi unused = Jdbi.create("jdbc:postgresql://127.0.0.1:1/none");
  private final Map<Position, String> errant = new LinkedHashMap<>();
  private final PostgresSink sink =
      new PostgresSink(unused, (position, error) -> errant.put(position, error.getMessage()));

  @Test
  void itWritesExactlyTheTopicsTheConnectorIsConfiguredWith() {
    assertThat(sink.topics()).containsExactlyInAnyOrderElementsOf(PostgresSinkConnector.TOPICS);
  }

  @Test
  void aTopicItDoesNotWriteIsReportedRecordByRecord() {
    Position first = new Position("calls.chunks.v1", 0, 1);
    Position second = new Position("calls.chunks.v1", 0, 2);
    sink.write(
        "calls.chunks.v1",
        List.of(
            new Delivery<>(first, "k", "v", Instant.EPOCH),
            new Delivery<>(second, "k", "v", Instant.EPOCH)));
    assertThat(errant)
        .containsOnlyKeys(first, second)
        .containsValue("topic calls.chunks.v1 is not one the Postgres sink writes");
  }

  @Test
  void aRedriveMarkIsItsEntrysPlaceAndTime() {
    assertThat(PostgresSink.redrive(mark("3-17", "2026-12-01T10:00:00Z")))
        .isEqualTo(new DeadLetterWriter.Redrive(3, 17, Instant.parse("2026-12-01T10:00:00Z")));
  }

  @Test
  void aMalformedRedriveMarkNamesWhatItShouldBe() {
    for (String[] bad :
        new String[][] {
          {"3", "2026-12-01T10:00:00Z"},
          {"a-1", "2026-12-01T10:00:00Z"},
          {"3-17", "yesterday"},
          {null, null}
        }) {
      assertThatThrownBy(() -> PostgresSink.redrive(mark(bad[0], bad[1])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keyed partition-offset with an ISO time as its value");
    }
  }

  private static Delivery<String> mark(String key, String value) {
    return new Delivery<>(new Position("dlt.redriven.v1", 0, 0), key, value, Instant.EPOCH);
  }
}
