package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.devstack.FreePorts;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.events.CallChunk;
import io.callstream.events.EnrichedCall;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.testkit.LocalServices;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged plugin in a stock {@code connect-distributed} worker, started as a child JVM with
 * only Kafka's own classes on its classpath and the plugin jar on {@code plugin.path}; both
 * connectors are created through the REST API.
 */
@ExtendWith(LocalServices.class)
class ConnectPluginIT {
  private static final Path PLUGIN_JAR =
      Path.of("target/callstream-sinks-0.1.0-SNAPSHOT-connect-plugin.jar");

  @Test
  void theStockDistributedWorkerLoadsThePluginAndRowsLand(
      KafkaService kafka, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    assertThat(PLUGIN_JAR).as("the build packages the plugin before integration tests").exists();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
    }
    Path pluginDir = Files.createTempDirectory("callstream-plugins-");
    Files.createDirectories(pluginDir.resolve("callstream-sinks"));
    Files.copy(PLUGIN_JAR, pluginDir.resolve("callstream-sinks").resolve(PLUGIN_JAR.getFileName()));
    int port = FreePorts.next();
    Path workerProperties =
        Files.writeString(
            pluginDir.resolve("worker.properties"),
            String.join(
                "\n",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "group.id=callstream-plugin-it-" + UUID.randomUUID(),
                "key.converter=org.apache.kafka.connect.storage.StringConverter",
                "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "config.storage.topic=plugin-it-configs-" + port,
                "offset.storage.topic=plugin-it-offsets-" + port,
                "status.storage.topic=plugin-it-status-" + port,
                "config.storage.replication.factor=1",
                "offset.storage.replication.factor=1",
                "status.storage.replication.factor=1",
                "offset.flush.interval.ms=1000",
                "listeners=http://127.0.0.1:" + port,
                "plugin.path=" + pluginDir,
                "plugin.discovery=service_load"));
    Path logConfig =
        Files.writeString(
            pluginDir.resolve("logback.xml"),
            "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>%d %-5level %logger{36} - %msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"OUT\"/></root></configuration>");
    Process worker =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dlogback.configurationFile=" + logConfig,
                "-cp",
                kafkaOnlyClasspath(),
                "org.apache.kafka.connect.cli.ConnectDistributed",
                workerProperties.toString())
            .redirectErrorStream(true)
            .redirectOutput(pluginDir.resolve("worker.log").toFile())
            .start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + port;
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                          HttpRequest.newBuilder(URI.create(base + "/connector-plugins")).build(),
                          HttpResponse.BodyHandlers.ofString())
                      .body()
                      .contains("PgvectorSinkConnector"));
      for (String[] connector :
          List.of(
              new String[] {
                "plugin-postgres",
                "io.callstream.sinks.connect.PostgresSinkConnector",
                Topics.CALLS_ENRICHED
              },
              new String[] {
                "plugin-pgvector",
                "io.callstream.sinks.connect.PgvectorSinkConnector",
                Topics.CALLS_CHUNKS
              })) {
        String body =
            "{\"name\":\""
                + connector[0]
                + "\",\"config\":{\"connector.class\":\""
                + connector[1]
                + "\",\"tasks.max\":\"1\",\"topics\":\""
                + connector[2]
                + "\",\"database.url\":\""
                + postgres.jdbcUrl()
                + "\",\"database.user\":\""
                + postgres.user()
                + "\",\"schema.registry.url\":\""
                + registry.url()
                + "\",\"embedding.dimensions\":\"8\"}}";
        HttpResponse<String> created =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/connectors"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      }

      String tenant = "plugin-" + UUID.randomUUID();
      UUID callId = UUID.randomUUID();
      SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
      AvroSerde<EnrichedCall> calls = AvroSerde.forValues(EnrichedCall.class, client);
      AvroSerde<CallChunk> chunks = AvroSerde.forValues(CallChunk.class, client);
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new StringSerializer(),
              new ByteArraySerializer())) {
        producer.send(
            new ProducerRecord<>(
                Topics.CALLS_ENRICHED,
                callId.toString(),
                calls.serialize(
                    Topics.CALLS_ENRICHED, Samples.call(callId, tenant, 7, "through the plugin"))));
        for (CallChunk chunk :
            Samples.chunks(
                callId,
                tenant,
                7,
                List.of("first chunk", "second chunk"),
                List.of(Samples.vector(1), Samples.vector(0, 1)))) {
          producer.send(
              new ProducerRecord<>(
                  Topics.CALLS_CHUNKS,
                  callId.toString(),
                  chunks.serialize(Topics.CALLS_CHUNKS, chunk)));
        }
      }
      Jdbi jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreExceptions() // the connector creates the tables when its task starts
          .until(
              () ->
                  jdbi.withHandle(
                          h ->
                              h.createQuery("SELECT count(*) FROM call_chunks WHERE tenant_id = :t")
                                  .bind("t", tenant)
                                  .mapTo(Long.class)
                                  .one())
                      == 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  jdbi.withHandle(
                          h ->
                              h.createQuery(
                                      "SELECT count(*) FROM calls WHERE tenant_id = :t AND summary = 'through the plugin'")
                                  .bind("t", tenant)
                                  .mapTo(Long.class)
                                  .one())
                      == 1);
    } finally {
      worker.destroy();
      worker.waitFor();
      io.callstream.devstack.FileTrees.deleteQuietly(pluginDir);
    }
  }

  /** This JVM's classpath without callstream's own classes: what a stock worker has. */
  private static String kafkaOnlyClasspath() {
    Path projectRoot = Path.of("").toAbsolutePath().getParent();
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(
            entry ->
                !entry.contains("/io/callstream/")
                    && !Path.of(entry).toAbsolutePath().startsWith(projectRoot))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
