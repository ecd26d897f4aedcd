package io.callstream.cli.dev;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The addresses of a running {@code callstream dev}, kept in {@code endpoints.properties} in its
 * data folder while it runs, so the other commands find the local stack without options.
 */
public final class DevEndpoints {
  public static final String KAFKA = "kafka.bootstrap.servers";
  public static final String REGISTRY = "schema.registry.url";
  public static final String DATABASE = "database.url";
  public static final String DATABASE_USER = "database.user";
  public static final String DATABASE_PASSWORD = "database.password";
  public static final String GATEWAY = "gateway.url";
  public static final String TOPOLOGY = "topology.url";
  public static final String CONNECT = "connect.url";
  public static final String QUERY = "query.url";
  static final String FILE = "endpoints.properties";

  private final Map<String, String> values;

  DevEndpoints(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The endpoints of the stack running from {@code dataDir}, if one runs there. */
  public static Optional<DevEndpoints> read(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> values = new LinkedHashMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> values.put(name, properties.getProperty(name)));
    return Optional.of(new DevEndpoints(values));
  }

  public String get(String name) {
    return values.get(name);
  }

  void write(Path dataDir) {
    Properties properties = new Properties();
    properties.putAll(values);
    Path file = dataDir.resolve(FILE);
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "callstream dev is running; removed when it stops");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static void remove(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(FILE));
    } catch (IOException e) {
      // a stale file only misleads until the next start rewrites it
    }
  }
}
