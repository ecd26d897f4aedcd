package io.callstream.sinks.connect;

import io.callstream.sinks.write.DatabaseOutage;
import io.callstream.sinks.write.Delivery;
import io.callstream.sinks.write.Position;
import io.callstream.sinks.write.PostgresSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** The Connect shell of {@link PostgresSink}: decodes each batch and hands it over, per topic. */
public final class PostgresSinkTask extends SinkTask {
  private TaskResources resources;
  private final Map<Position, SinkRecord> batch = new HashMap<>();
  private PostgresSink sink;

  @Override
  public String version() {
    return PostgresSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    resources = new TaskResources(new SinkConnectorConfig(props), context);
    sink = new PostgresSink(resources.jdbi, resources.errant(batch));
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    batch.clear();
    Map<String, List<Delivery<?>>> byTopic = new LinkedHashMap<>();
    for (SinkRecord record : records) {
      Delivery<?> delivery = resources.decode(record);
      if (delivery != null) {
        batch.put(delivery.position(), record);
        byTopic.computeIfAbsent(record.topic(), topic -> new ArrayList<>()).add(delivery);
      }
    }
    SinkTraces traces = SinkTraces.writing(records, "postgres");
    try {
      byTopic.forEach(sink::write);
      traces.written();
    } catch (DatabaseOutage outage) {
      traces.failed(outage);
      throw new RetriableException(outage.getMessage(), outage);
    }
  }

  @Override
  public void stop() {
    if (resources != null) {
      resources.close();
    }
  }
}
