package io.callstream.devstack.connect;

import io.callstream.devstack.FreePorts;
import io.callstream.devstack.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real Kafka Connect worker in standalone mode inside this JVM: keys as strings, values as bytes
 * (callstream's connectors decode them against the registry), connectors found by service loading,
 * source offsets in a file, sinks reading only committed records. Tests give it a temporary offsets
 * file; {@code callstream dev} keeps it in the data folder.
 */
public final class ConnectWorker implements AutoCloseable {
  private final Connect<StandaloneHerder> connect;
  private final int restPort;

  private ConnectWorker(Connect<StandaloneHerder> connect, int restPort) {
    this.connect = connect;
    this.restPort = restPort;
  }

  /** Starts a worker whose offsets live in a temporary file. */
  public static ConnectWorker start(String bootstrapServers) {
    try {
      return start(bootstrapServers, Files.createTempFile("connect-", ".offsets"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a Connect offsets file", e);
    }
  }

  /** Starts a worker keeping offsets in {@code offsetsFile}, its REST API on {@code port}. */
  public static ConnectWorker start(String bootstrapServers, Path offsetsFile, int port) {
    int restPort = port == 0 ? FreePorts.next() : port;
    Map<String, String> worker = settings(bootstrapServers, restPort);
    worker.put("offset.storage.file.filename", offsetsFile.toString());
    worker.put("offset.flush.interval.ms", "500");
    return new ConnectWorker(new ConnectStandalone().startConnect(worker), restPort);
  }

  /**
   * What every callstream Connect worker is given, standalone or distributed: the converters the
   * sinks expect, the plugins from the class path, and its REST API on {@code restPort}.
   */
  static Map<String, String> settings(String bootstrapServers, int restPort) {
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", bootstrapServers);
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("plugin.discovery", "service_load");
    // Only what the topology committed reaches Postgres, never a record of an aborted transaction.
    worker.put("consumer.isolation.level", "read_committed");
    // Errant records go to the connectors' dead-letter topics whole, however large the call.
    worker.put("producer.max.request.size", Integer.toString(KafkaBroker.MAX_MESSAGE_BYTES));
    worker.put("producer.buffer.memory", Long.toString(2L * KafkaBroker.MAX_MESSAGE_BYTES));
    worker.put("listeners", "http://127.0.0.1:" + restPort);
    return worker;
  }

  /** The worker's REST API, e.g. {@code http://127.0.0.1:8083}. */
  public String url() {
    return "http://127.0.0.1:" + restPort;
  }

  /** Creates (or replaces) connector {@code name} and waits until the worker accepted it. */
  public void create(String name, Map<String, String> config) {
    FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
    Map<String, String> named = new HashMap<>(config);
    named.put("name", name);
    connect.herder().putConnectorConfig(name, named, true, created);
    try {
      created.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Connect refused connector " + name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Connect did not create connector " + name + " in 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating connector " + name, e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
