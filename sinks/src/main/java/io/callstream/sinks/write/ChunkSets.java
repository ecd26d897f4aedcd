package io.callstream.sinks.write;

import io.callstream.events.CallChunk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Gathers a call's chunks into their set. A call's chunks are separate records that may arrive in
 * different batches, so each set waits here until it is whole, then is written at once, replacing
 * the call's stored chunks. Offsets of records still waiting must not be committed, so a restart
 * delivers them again: {@link #committable} says how far each partition may commit.
 */
public final class ChunkSets {
  /** A set being gathered: its chunks by index and where each was read. */
  private record Pending(TreeMap<Integer, CallChunk> chunks, Map<Integer, Position> sources) {}

  private final Map<String, Pending> pending = new LinkedHashMap<>();

  /** Adds a chunk to its set; a chunk delivered again replaces itself. */
  public void add(Delivery<CallChunk> delivery) {
    CallChunk chunk = Batches.valueOf(delivery);
    String set = chunk.getCallId() + "/" + chunk.getVersion() + "/" + chunk.getSetHash();
    Pending gathering =
        pending.computeIfAbsent(set, key -> new Pending(new TreeMap<>(), new HashMap<>()));
    gathering.chunks().put(chunk.getChunkIndex(), chunk);
    gathering.sources().put(chunk.getChunkIndex(), delivery.position());
  }

  /**
   * Hands every whole set, in index order, to {@code writer}, and forgets it. A set the writer
   * refuses is reported, record by record, as errant.
   *
   * @throws DatabaseOutage when the database is unavailable; the set stays, to be written again
   */
  public void writeWhole(Consumer<List<CallChunk>> writer, Errant errant) {
    Iterator<Pending> sets = pending.values().iterator();
    while (sets.hasNext()) {
      Pending set = sets.next();
      if (set.chunks().size() < set.chunks().firstEntry().getValue().getChunkCount()) {
        continue;
      }
      try {
        writer.accept(new ArrayList<>(set.chunks().values()));
      } catch (RuntimeException e) {
        DatabaseOutage outage = DatabaseOutage.of(e);
        if (outage != null) {
          throw outage;
        }
        set.sources().values().forEach(position -> errant.report(position, e));
      }
      sets.remove();
    }
  }

  /**
   * How far each partition may commit: up to, not past, the first record of any set still being
   * gathered. {@code read} maps {@code topic-partition} to the next offset to commit.
   */
  public Map<String, Long> committable(Map<String, Long> read) {
    Map<String, Long> safe = new HashMap<>(read);
    for (Pending set : pending.values()) {
      for (Position source : set.sources().values()) {
        safe.computeIfPresent(
            source.partitionName(), (partition, next) -> Math.min(next, source.offset()));
      }
    }
    return safe;
  }

  /**
   * Forgets the sets with a record from {@code partitions} ({@code topic-partition}), which left
   * this task: their offsets were held back, so their next owner reads them again.
   */
  public void forget(Set<String> partitions) {
    pending
        .values()
        .removeIf(
            set ->
                set.sources().values().stream()
                    .anyMatch(source -> partitions.contains(source.partitionName())));
  }

  /** How many sets are being gathered. */
  public int waiting() {
    return pending.size();
  }

  /** Where every record of the sets being gathered was read. */
  public Set<Position> gathering() {
    Set<Position> positions = new HashSet<>();
    pending.values().forEach(set -> positions.addAll(set.sources().values()));
    return positions;
  }
}
