package io.callstream.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.events.CallChunk;
import io.callstream.events.ChunkSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChunkSetsTest {
  private static final UUID CALL = UUID.fromString("00000000-0000-0000-0000-000000000001");
  private static final UUID OTHER = UUID.fromString("00000000-0000-0000-0000-000000000002");

  private final ChunkSets sets = new ChunkSets();
  private final List<List<Integer>> written = new ArrayList<>();
  private final Map<Position, String> errant = new LinkedHashMap<>();

  @Test
  void aSetIsWrittenOnlyWhenWholeInIndexOrderAcrossBatches() {
    sets.add(delivery(0, 10, CALL, 2, 3));
    sets.add(delivery(0, 11, CALL, 0, 3));
    write();
    assertThat(written).isEmpty();
    assertThat(sets.waiting()).isEqualTo(1);

    sets.add(delivery(1, 4, CALL, 1, 3));
    write();
    assertThat(written).containsExactly(List.of(0, 1, 2));
    assertThat(sets.waiting()).isZero();
    assertThat(sets.gathering()).isEmpty();
  }

  @Test
  void aChunkDeliveredAgainReplacesItself() {
    sets.add(delivery(0, 1, CALL, 0, 2));
    sets.add(delivery(0, 1, CALL, 0, 2));
    write();
    assertThat(written).isEmpty();
    sets.add(delivery(0, 2, CALL, 1, 2));
    write();
    assertThat(written).containsExactly(List.of(0, 1));
  }

  @Test
  void offsetsAreHeldBackToTheFirstRecordOfASetStillGathered() {
    sets.add(delivery(0, 7, CALL, 0, 2));
    sets.add(delivery(0, 9, OTHER, 0, 1));
    write();
    assertThat(written).containsExactly(List.of(0));
    assertThat(sets.committable(Map.of("calls.chunks.v1-0", 12L, "calls.chunks.v1-1", 5L)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("calls.chunks.v1-0", 7L, "calls.chunks.v1-1", 5L));
    assertThat(sets.gathering()).containsExactly(new Position("calls.chunks.v1", 0, 7));
  }

  @Test
  void aPartitionThatLeavesTakesItsSetsAlong() {
    sets.add(delivery(0, 7, CALL, 0, 2));
    sets.add(delivery(1, 3, OTHER, 0, 2));
    sets.forget(Set.of("calls.chunks.v1-0"));
    assertThat(sets.waiting()).isEqualTo(1);
    assertThat(sets.committable(Map.of("calls.chunks.v1-0", 12L)))
        .containsEntry("calls.chunks.v1-0", 12L);
  }

  @Test
  void aSetTheDatabaseRefusesIsReportedRecordByRecordAndAnOutageKeepsIt() {
    sets.add(delivery(0, 1, CALL, 0, 2));
    sets.add(delivery(0, 2, CALL, 1, 2));
    sets.writeWhole(
        chunks -> {
          throw new IllegalStateException("expected 384 dimensions, not 3");
        },
        (position, error) -> errant.put(position, error.getMessage()));
    assertThat(errant).containsOnlyKeys(at(1), at(2));
    assertThat(sets.waiting()).isZero();

    sets.add(delivery(0, 3, OTHER, 0, 1));
    assertThatThrownBy(
            () ->
                sets.writeWhole(
                    chunks -> {
                      throw new IllegalStateException(
                          "down", new SQLException("connection lost", "08006"));
                    },
                    (position, error) -> errant.put(position, error.getMessage())))
        .isInstanceOf(DatabaseOutage.class);
    assertThat(sets.waiting()).isEqualTo(1);
    assertThat(errant).hasSize(2);
  }

  @Test
  void aDeliveryWithoutAChunkIsMalformed() {
    assertThatThrownBy(() -> sets.add(new Delivery<>(at(5), "k", null, Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a value");
  }

  private void write() {
    sets.writeWhole(
        chunks -> written.add(chunks.stream().map(CallChunk::getChunkIndex).toList()),
        (position, error) -> errant.put(position, error.getMessage()));
  }

  private static Position at(long offset) {
    return new Position("calls.chunks.v1", 0, offset);
  }

  private static Delivery<CallChunk> delivery(
      int partition, long offset, UUID call, int index, int count) {
    CallChunk chunk =
        CallChunk.newBuilder()
            .setCallId(call)
            .setTenantId("acme")
            .setVersion(1L)
            .setChunkIndex(index)
            .setChunkCount(count)
            .setSetHash("set-" + call)
            .setText("chunk " + index)
            .setSource(ChunkSource.TRANSCRIPT)
            .setEmbedding(List.of(0.1f, 0.2f, 0.3f))
            .setDims(3)
            .setEmbeddingModel("test")
            .setCreatedAt(Instant.EPOCH)
            .build();
    return new Delivery<>(
        new Position("calls.chunks.v1", partition, offset), call.toString(), chunk, Instant.EPOCH);
  }
}
