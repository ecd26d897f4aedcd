package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.devstack.FreePorts;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.events.EnrichedCall;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.connect.PostgresSinkConnector;
import io.callstream.testkit.LocalServices;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Postgres goes away for 15 s while records stream in: afterwards every record is stored exactly
 * once.
 */
@ExtendWith(LocalServices.class)
class PostgresOutageIT {

  @Test
  void everyRecordLandsOnceAfterTheDatabaseComesBack(
      KafkaService kafka, SchemaRegistryService registry) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
    }
    String tenant = "outage-" + UUID.randomUUID();
    AvroSerde<EnrichedCall> serde =
        AvroSerde.forValues(EnrichedCall.class, new SchemaRegistryClient(registry.url()));
    try (PostgresCluster postgres = PostgresCluster.startTemporary();
        KafkaProducer<String, byte[]> producer =
            new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
      Connect<StandaloneHerder> connect = startWorker(kafka, registry, postgres);
      try {
        Jdbi jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());
        int sent = 0;
        for (; sent < 300; sent++) {
          send(producer, serde, tenant, sent);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(jdbi, tenant) == 300);

        postgres.stop();
        long down = System.nanoTime();
        while (System.nanoTime() - down < Duration.ofSeconds(15).toNanos()) {
          send(producer, serde, tenant, sent++);
          Thread.sleep(20);
        }
        postgres.start();
        for (int i = 0; i < 200; i++) {
          send(producer, serde, tenant, sent++);
        }
        int total = sent;
        await().atMost(Duration.ofSeconds(120)).until(() -> rows(jdbi, tenant) == total);
        long distinct =
            jdbi.withHandle(
                h ->
                    h.createQuery("SELECT count(DISTINCT summary) FROM calls WHERE tenant_id = :t")
                        .bind("t", tenant)
                        .mapTo(Long.class)
                        .one());
        assertThat(distinct).isEqualTo(total);
        System.out.printf(
            "postgres outage: %d records, %d rows afterwards%n", total, rows(jdbi, tenant));
      } finally {
        connect.stop();
        connect.awaitStop();
      }
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, AvroSerde<EnrichedCall> serde, String tenant, int n) {
    EnrichedCall call = Samples.call(UUID.randomUUID(), tenant, 1, "record " + n);
    producer.send(
        new ProducerRecord<>(
            Topics.CALLS_ENRICHED,
            call.getCallId().toString(),
            serde.serialize(Topics.CALLS_ENRICHED, call)));
  }

  private static long rows(Jdbi jdbi, String tenant) {
    try {
      return jdbi.withHandle(
          h ->
              h.createQuery("SELECT count(*) FROM calls WHERE tenant_id = :t")
                  .bind("t", tenant)
                  .mapTo(Long.class)
                  .one());
    } catch (RuntimeException down) {
      return -1;
    }
  }

  private static Connect<StandaloneHerder> startWorker(
      KafkaService kafka, SchemaRegistryService registry, PostgresCluster postgres)
      throws Exception {
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", kafka.bootstrapServers());
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put(
        "offset.storage.file.filename",
        Files.createTempFile("connect-outage-", ".offsets").toString());
    worker.put("offset.flush.interval.ms", "500");
    worker.put("plugin.discovery", "service_load");
    worker.put("listeners", "http://127.0.0.1:" + FreePorts.next());
    Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(worker);
    Map<String, String> config = new HashMap<>();
    config.put("name", "outage-postgres");
    config.put("connector.class", PostgresSinkConnector.class.getName());
    config.put("tasks.max", "1");
    config.put("topics", Topics.CALLS_ENRICHED);
    config.put("database.url", postgres.jdbcUrl());
    config.put("database.user", postgres.user());
    config.put("schema.registry.url", registry.url());
    config.put("embedding.dimensions", "8");
    // A fresh consumer group: this worker reads the topic from where it ends now, plus what
    // follows.
    config.put("consumer.override.auto.offset.reset", "latest");
    FutureCallback<
            org.apache.kafka.connect.runtime.Herder.Created<
                org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>>
        created = new FutureCallback<>();
    connect.herder().putConnectorConfig("outage-postgres", config, true, created);
    created.get(30, java.util.concurrent.TimeUnit.SECONDS);
    Thread.sleep(3_000); // let the task join its group before records arrive
    return connect;
  }
}
