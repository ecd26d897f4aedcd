package io.callstream.sinks.connect;

import io.callstream.events.CallChunk;
import io.callstream.sinks.postgres.ChunkSetWriter;
import io.callstream.sinks.write.ChunkSets;
import io.callstream.sinks.write.DatabaseOutage;
import io.callstream.sinks.write.Delivery;
import io.callstream.sinks.write.Position;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The Connect shell of {@link ChunkSets}: chunk sets to {@code call_chunks}, each written once it
 * is whole, with offsets held back for the sets still being gathered.
 */
public final class PgvectorSinkTask extends SinkTask {
  private TaskResources resources;
  private ChunkSetWriter writer;
  private final ChunkSets sets = new ChunkSets();
  // the records of the sets still gathered, which may yet be reported errant
  private final Map<Position, SinkRecord> delivered = new HashMap<>();

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
  @SuppressWarnings("unchecked")
  public void put(Collection<SinkRecord> records) {
    for (SinkRecord record : records) {
      Delivery<?> delivery = resources.decode(record);
      if (delivery == null) {
        continue;
      }
      try {
        sets.add((Delivery<CallChunk>) delivery);
        delivered.put(delivery.position(), record);
      } catch (IllegalArgumentException malformed) {
        resources.report(record, malformed);
      }
    }
    SinkTraces traces = SinkTraces.writing(records, "pgvector");
    try {
      sets.writeWhole(writer::write, resources.errant(delivered));
      traces.written();
    } catch (DatabaseOutage outage) {
      traces.failed(outage);
      throw new RetriableException(outage.getMessage(), outage);
    }
    delivered.keySet().retainAll(sets.gathering());
  }

  /** Commits up to, not past, the first record of any set still being gathered. */
  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    Map<String, TopicPartition> partitions = new HashMap<>();
    Map<String, Long> read = new HashMap<>();
    currentOffsets.forEach(
        (partition, offset) -> {
          partitions.put(partition.toString(), partition);
          read.put(partition.toString(), offset.offset());
        });
    Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
    sets.committable(read)
        .forEach((name, offset) -> safe.put(partitions.get(name), new OffsetAndMetadata(offset)));
    return safe;
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    sets.forget(partitions.stream().map(TopicPartition::toString).collect(Collectors.toSet()));
  }

  @Override
  public void stop() {
    if (resources != null) {
      resources.close();
    }
  }
}
