package io.callstream.sinks;

import io.callstream.devstack.FreePorts;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real Kafka Connect worker in standalone mode, in the test's JVM: values as bytes, the
 * connectors found by service loading, offsets in a temporary file.
 */
final class StandaloneWorker implements AutoCloseable {
  private final Connect<StandaloneHerder> connect;

  private StandaloneWorker(Connect<StandaloneHerder> connect) {
    this.connect = connect;
  }

  static StandaloneWorker start(String bootstrap) throws Exception {
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrap);
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put(
        "offset.storage.file.filename", Files.createTempFile("connect-", ".offsets").toString());
    worker.put("offset.flush.interval.ms", "500");
    worker.put("plugin.discovery", "service_load");
    worker.put("listeners", "http://127.0.0.1:" + FreePorts.next());
    return new StandaloneWorker(new ConnectStandalone().startConnect(worker));
  }

  /** Creates (or replaces) connector {@code name} and waits until the worker accepted it. */
  void create(String name, Map<String, String> config) throws Exception {
    FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
    Map<String, String> named = new HashMap<>(config);
    named.put("name", name);
    connect.herder().putConnectorConfig(name, named, true, created);
    created.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
