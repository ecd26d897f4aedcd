package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.callstream.schemas.topics.SizeLimits;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.connect.PostgresSinkConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, checked without Docker: Debian's docker-compose validates it, and every
 * environment variable it gives a callstream container is one the components read.
 */
class ComposeFileTest {
  private static final Path ROOT = Path.of("..");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What docker-compose makes of the file: exit code and the resolved configuration. */
  private record Resolved(int code, String output) {}

  private static Resolved resolve() throws Exception {
    Path dir = Files.createTempDirectory("compose-");
    Files.copy(ROOT.resolve("docker-compose.yml"), dir.resolve("docker-compose.yml"));
    Files.copy(ROOT.resolve("Dockerfile"), dir.resolve("Dockerfile"));
    Path deploy = Files.createDirectories(dir.resolve("deploy"));
    try (var files = Files.list(ROOT.resolve("deploy"))) {
      for (Path file : files.toList()) {
        Files.copy(file, deploy.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    // the operator's secrets file, as the example tells them to make it
    Files.copy(
        deploy.resolve("secrets.env.example"),
        deploy.resolve("secrets.env"),
        StandardCopyOption.REPLACE_EXISTING);
    Process check =
        new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Resolved(check.exitValue(), output);
  }

  @Test
  void dockerComposeAcceptsTheFile() throws Exception {
    Resolved resolved = resolve();
    assertThat(resolved.code()).as(resolved.output()).isZero();
  }

  @Test
  void everyVariableGivenToACallstreamContainerIsOneItReads() throws Exception {
    Resolved resolved = resolve();
    assertThat(resolved.code()).as(resolved.output()).isZero();
    JsonNode services = YAML.readTree(resolved.output()).path("services");
    Set<String> read = new HashSet<>(secretsTheSourcesAskFor());
    ConfigReference.rows().forEach(row -> read.add(row.variable()));
    List<String> unknown = new ArrayList<>();
    List<String> callstreamServices = new ArrayList<>();
    services
        .fields()
        .forEachRemaining(
            service -> {
              if (!service.getValue().path("image").asText().startsWith("callstream")) {
                return;
              }
              callstreamServices.add(service.getKey());
              service
                  .getValue()
                  .path("environment")
                  .fieldNames()
                  .forEachRemaining(
                      name -> {
                        if (!read.contains(name)) {
                          unknown.add(service.getKey() + ": " + name);
                        }
                      });
            });
    assertThat(callstreamServices).contains("setup", "gateway", "topology");
    assertThat(unknown).as("variables no component reads").isEmpty();
  }

  @Test
  void everyLongRunningServiceHasAHealthCheck() throws Exception {
    Resolved resolved = resolve();
    assertThat(resolved.code()).as(resolved.output()).isZero();
    List<String> unchecked = new ArrayList<>();
    YAML.readTree(resolved.output())
        .path("services")
        .fields()
        .forEachRemaining(
            service -> {
              boolean oneShot = service.getValue().path("restart").asText().equals("no");
              if (!oneShot && service.getValue().path("healthcheck").path("test").isMissingNode()) {
                unchecked.add(service.getKey());
              }
            });
    assertThat(unchecked).as("long-running services without a health check").isEmpty();
  }

  /** The gateway reads each source's secret from the variable its entry names. */
  private static Set<String> secretsTheSourcesAskFor() throws IOException {
    Set<String> asked = new HashSet<>();
    JSON.readTree(ROOT.resolve("deploy/sources.json").toFile())
        .path("sources")
        .forEach(source -> asked.add(source.path("secret_env").asText()));
    return asked;
  }

  @Test
  void theSecretsFileNamesExactlyTheSecretsTheSourcesAskFor() throws IOException {
    Set<String> asked = secretsTheSourcesAskFor();
    Properties example = new Properties();
    try (var in = Files.newBufferedReader(ROOT.resolve("deploy/secrets.env.example"))) {
      example.load(in);
    }
    assertThat(example.stringPropertyNames()).isEqualTo(asked);
  }

  @Test
  void theDeployedSinksReadOnlyCommittedRecordsAndEveryPartTakesTheRecordLimit() throws Exception {
    Properties worker = new Properties();
    try (var in = Files.newBufferedReader(ROOT.resolve("deploy/connect-distributed.properties"))) {
      worker.load(in);
    }
    String limit = Integer.toString(SizeLimits.MAX_RECORD_BYTES);
    assertThat(worker)
        .containsEntry("consumer.isolation.level", "read_committed")
        .containsEntry("producer.max.request.size", limit);
    Resolved resolved = resolve();
    assertThat(resolved.code()).as(resolved.output()).isZero();
    assertThat(
            YAML.readTree(resolved.output())
                .path("services")
                .path("kafka")
                .path("environment")
                .path("KAFKA_MESSAGE_MAX_BYTES")
                .asText())
        .isEqualTo(limit);
  }

  @Test
  void theDeployedConnectorsReadTheTopicsTheSinksWrite() throws IOException {
    JsonNode postgres = JSON.readTree(ROOT.resolve("deploy/connector-postgres.json").toFile());
    assertThat(List.of(postgres.path("topics").asText().split(",")))
        .isEqualTo(PostgresSinkConnector.TOPICS);
    JsonNode pgvector = JSON.readTree(ROOT.resolve("deploy/connector-pgvector.json").toFile());
    assertThat(pgvector.path("topics").asText()).isEqualTo(Topics.CALLS_CHUNKS);
  }
}
