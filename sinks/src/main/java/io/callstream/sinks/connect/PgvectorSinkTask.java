package io.callstream.sinks.connect;

import io.callstream.events.CallChunk;
import io.callstream.sinks.postgres.ChunkSetWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Writes chunk sets to {@code call_chunks}. A call's chunks are separate records that may arrive in
 * different batches, so they wait here until the set is complete, then replace the call's stored
 * chunks as a whole. Offsets of records still waiting are not committed, so a restart delivers them
 * again.
 */
public final class PgvectorSinkTask extends SinkTask {
  private TaskResources resources;
  private ChunkSetWriter writer;

  /** A set being collected: its chunks by index and where each came from. */
  private record Pending(TreeMap<Integer, CallChunk> chunks, Map<Integer, SinkRecord> sources) {}

  private final Map<String, Pending> pending = new LinkedHashMap<>();

  @Override
  public String version() {
    return PostgresSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    resources = new TaskResources(new SinkConnectorConfig(props), context);
    writer = new ChunkSetWriter(resources.jdbi);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    for (SinkRecord record : records) {
      CallChunk chunk = resources.decode(record, CallChunk.class);
      if (chunk == null) {
        continue;
      }
      String key = chunk.getCallId() + "/" + chunk.getVersion() + "/" + chunk.getSetHash();
      Pending set =
          pending.computeIfAbsent(key, k -> new Pending(new TreeMap<>(), new HashMap<>()));
      set.chunks().put(chunk.getChunkIndex(), chunk); // a redelivered chunk replaces itself
      set.sources().put(chunk.getChunkIndex(), record);
    }
    Iterator<Map.Entry<String, Pending>> sets = pending.entrySet().iterator();
    while (sets.hasNext()) {
      Pending set = sets.next().getValue();
      CallChunk first = set.chunks().firstEntry().getValue();
      if (set.chunks().size() < first.getChunkCount()) {
        continue;
      }
      try {
        writer.write(new ArrayList<>(set.chunks().values()));
      } catch (RuntimeException e) {
        if (TaskResources.isOutage(e)) {
          throw new RetriableException("the database is unavailable: " + e.getMessage(), e);
        }
        set.sources().values().forEach(record -> resources.report(record, e));
      }
      sets.remove();
    }
  }

  /** Commits up to, not past, the first record of any set still being collected. */
  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>(currentOffsets);
    for (Pending set : pending.values()) {
      for (SinkRecord record : set.sources().values()) {
        TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
        OffsetAndMetadata current = safe.get(partition);
        if (current != null && record.kafkaOffset() < current.offset()) {
          safe.put(partition, new OffsetAndMetadata(record.kafkaOffset()));
        }
      }
    }
    return safe;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    // Partitions leaving this task take their incomplete sets with them; their offsets were held
    // back.
    pending
        .values()
        .removeIf(
            set ->
                set.sources().values().stream()
                    .anyMatch(
                        r ->
                            partitions.contains(
                                new TopicPartition(r.topic(), r.kafkaPartition()))));
  }

  @Override
  public void stop() {
    pending.clear();
    if (resources != null) {
      resources.close();
    }
  }
}
