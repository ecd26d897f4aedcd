package io.callstream.cli;

import io.callstream.cli.dev.DevEndpoints;
import io.callstream.schemas.registry.SchemaRegistryClient;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry are, for commands that talk to them: the option,
 * else the environment ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}), else the
 * {@code callstream dev} stack running from the data folder.
 */
public final class Cluster {
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS, else the running callstream dev)")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      paramLabel = "URL",
      description =
          "a Confluent-compatible registry (default: $SCHEMA_REGISTRY_URL, else the running callstream dev)")
  String schemaRegistryUrl;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "the data folder of a running callstream dev (default: ${DEFAULT-VALUE})",
      defaultValue = ".callstream")
  Path dataDir;

  public String bootstrapServers() {
    return resolve(
        bootstrapServers, "KAFKA_BOOTSTRAP_SERVERS", DevEndpoints.KAFKA, "--bootstrap-servers");
  }

  public String schemaRegistryUrl() {
    return resolve(
        schemaRegistryUrl, "SCHEMA_REGISTRY_URL", DevEndpoints.REGISTRY, "--schema-registry-url");
  }

  public SchemaRegistryClient registry() {
    return new SchemaRegistryClient(schemaRegistryUrl());
  }

  public Admin admin() {
    return Admin.create(clientConfig());
  }

  /** The settings every Kafka client of a command starts from. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "callstream-cli");
    return config;
  }

  private String resolve(String option, String variable, String endpoint, String optionName) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    String env = System.getenv(variable);
    if (env != null && !env.isBlank()) {
      return env;
    }
    Optional<String> dev = DevEndpoints.read(dataDir).map(endpoints -> endpoints.get(endpoint));
    return dev.orElseThrow(
        () ->
            new UsageProblem(
                "where is "
                    + (optionName.contains("registry") ? "the schema registry" : "Kafka")
                    + "? give "
                    + optionName
                    + ", set "
                    + variable
                    + ", or start ./callstream dev (none runs from "
                    + dataDir.toAbsolutePath()
                    + ")"));
  }
}
