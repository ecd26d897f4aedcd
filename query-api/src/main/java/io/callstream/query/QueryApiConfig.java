package io.callstream.query;

import io.callstream.config.EnvironmentReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The read API's configuration, read from the environment and checked at start.
 *
 * @param host {@code CALLSTREAM_QUERY_HOST}, default 0.0.0.0
 * @param port {@code CALLSTREAM_QUERY_PORT}, default 8082 (0 picks a free one)
 * @param databaseUrl {@code DATABASE_URL}: the Postgres the sinks write, required
 * @param databaseUser {@code DATABASE_USER}, default callstream
 * @param databasePassword {@code DATABASE_PASSWORD}, default empty
 * @param keysFile {@code CALLSTREAM_READ_KEYS_FILE}: the tenant and operator read keys, by their
 *     SHA-256 hashes, required
 * @param blobDir {@code CALLSTREAM_BLOB_DIR}: the gateway's blob store, whose recordings {@code
 *     /v1/calls/{id}/audio} serves, default .callstream/blobs
 * @param kafkaBootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}: for the events stream and redrive,
 *     which read and write Kafka; unset, those two answer 503 and the rest works
 * @param schemaRegistryUrl {@code SCHEMA_REGISTRY_URL}: likewise
 */
public record QueryApiConfig(
    String host,
    int port,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    Path keysFile,
    Path blobDir,
    String kafkaBootstrapServers,
    String schemaRegistryUrl) {

  /** Without Kafka (everything but redrive and events) and without audio. */
  public QueryApiConfig(
      String host,
      int port,
      String databaseUrl,
      String databaseUser,
      String databasePassword,
      Path keysFile) {
    this(host, port, databaseUrl, databaseUser, databasePassword, keysFile, null, null, null);
  }

  /** True when the events stream and redrive can reach Kafka and the registry. */
  public boolean redrives() {
    return kafkaBootstrapServers != null && schemaRegistryUrl != null;
  }

  public static QueryApiConfig fromEnv(Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    EnvironmentReader read = new EnvironmentReader(env, problems);
    QueryApiConfig config =
        new QueryApiConfig(
            read.text("CALLSTREAM_QUERY_HOST", "0.0.0.0"),
            (int) read.number("CALLSTREAM_QUERY_PORT", 8082, 0, 65_535),
            read.required("DATABASE_URL"),
            read.text("DATABASE_USER", "callstream"),
            read.text("DATABASE_PASSWORD", ""),
            read.existingFile("CALLSTREAM_READ_KEYS_FILE"),
            Path.of(read.text("CALLSTREAM_BLOB_DIR", ".callstream/blobs")),
            read.text("KAFKA_BOOTSTRAP_SERVERS", null),
            read.url("SCHEMA_REGISTRY_URL", false));
    read.check("the query API");
    return config;
  }
}
