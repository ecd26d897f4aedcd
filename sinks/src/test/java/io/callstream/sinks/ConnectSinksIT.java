package io.callstream.sinks;

import static io.callstream.sinks.Samples.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.kafka.TopicRecords;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.events.AgentTenant;
import io.callstream.events.AudioFormat;
import io.callstream.events.CallChunk;
import io.callstream.events.EnrichedCall;
import io.callstream.events.ErrorClass;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.Stage;
import io.callstream.events.StageError;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.GroupLag;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicSpec;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.connect.PgvectorSinkConnector;
import io.callstream.sinks.connect.PostgresSinkConnector;
import io.callstream.testkit.LocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Both connectors in a real Kafka Connect worker (standalone, in this JVM) on the real services.
 */
@ExtendWith(LocalServices.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectSinksIT {
  private static final String DLQ = "connect.dlq.callstream-postgres";

  private ConnectWorker connect;
  private KafkaProducer<String, byte[]> producer;
  private AvroSerde<EnrichedCall> calls;
  private AvroSerde<CallChunk> chunks;
  private Jdbi jdbi;
  private SchemaRegistryClient registryClient;
  private String bootstrap;

  @BeforeAll
  void start(KafkaService kafka, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    bootstrap = kafka.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
      TopicCatalog.createAll(
          admin,
          List.of(
              new TopicSpec(DLQ, 1, TopicSpec.Cleanup.DELETE, null),
              new TopicSpec("connect.dlq.callstream-pgvector", 1, TopicSpec.Cleanup.DELETE, null)),
          (short) 1,
          Duration.ofSeconds(30));
    }
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    registryClient = client;
    calls = AvroSerde.forValues(EnrichedCall.class, client);
    chunks = AvroSerde.forValues(CallChunk.class, client);
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "acks", "all"),
            new StringSerializer(),
            new ByteArraySerializer());
    jdbi = Jdbi.create(postgres.jdbcUrl(), postgres.user(), postgres.password());

    connect = ConnectWorker.start(bootstrap);

    Map<String, String> common = new HashMap<>();
    common.put("tasks.max", "1");
    common.put("database.url", postgres.jdbcUrl());
    common.put("database.user", postgres.user());
    common.put("schema.registry.url", registry.url());
    common.put("embedding.dimensions", "8");
    common.put("errors.tolerance", "all");
    common.put("errors.deadletterqueue.topic.replication.factor", "1");
    Map<String, String> rows = new HashMap<>(common);
    rows.put("connector.class", PostgresSinkConnector.class.getName());
    rows.put("topics", String.join(",", PostgresSinkConnector.TOPICS));
    rows.put("errors.deadletterqueue.topic.name", DLQ);
    connect.create("callstream-postgres", rows);
    Map<String, String> vectors = new HashMap<>(common);
    vectors.put("connector.class", PgvectorSinkConnector.class.getName());
    vectors.put("topics", Topics.CALLS_CHUNKS);
    vectors.put("errors.deadletterqueue.topic.name", "connect.dlq.callstream-pgvector");
    connect.create("callstream-pgvector", vectors);
  }

  @AfterAll
  void stop() {
    producer.close();
    connect.close();
  }

  @Test
  void recordsBecomeRowsAndReplayingThemChangesNothing() throws Exception {
    String tenant = "connect-" + UUID.randomUUID();
    List<EnrichedCall> sent = new ArrayList<>();
    List<List<CallChunk>> sets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      UUID callId = UUID.randomUUID();
      sent.add(Samples.call(callId, tenant, 100, "call " + i));
      if (i < 5) {
        sets.add(
            Samples.chunks(
                callId,
                tenant,
                100,
                List.of("chunk a " + i, "chunk b " + i, "chunk c " + i),
                List.of(vector(1, i), vector(i, 1), vector(0, 0, 1))));
      }
    }
    send(sent, sets);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count("SELECT count(*) FROM calls WHERE tenant_id = :t", tenant) == 20
                    && count("SELECT count(*) FROM call_chunks WHERE tenant_id = :t", tenant)
                        == 15);
    List<String> before = xmins(tenant);

    // The same records again, and an older version of three calls.
    List<EnrichedCall> older =
        sent.subList(0, 3).stream()
            .map(c -> Samples.call(c.getCallId(), tenant, 50, "older"))
            .toList();
    send(sent, sets);
    send(older, List.of());
    awaitCaughtUp("connect-callstream-postgres", Topics.CALLS_ENRICHED);
    awaitCaughtUp("connect-callstream-pgvector", Topics.CALLS_CHUNKS);
    // the lag the topology's /metrics reports for the sinks' groups: caught up, at most the commit
    // marker a sink stops short of on each partition whose last record was written in a transaction
    try (GroupLag lag =
        new GroupLag(
            bootstrap, List.of("connect-callstream-postgres", "connect-callstream-pgvector"))) {
      Map<String, Map<String, Long>> byGroup = lag.byGroupAndTopic();
      assertThat(byGroup.get("connect-callstream-postgres").get(Topics.CALLS_ENRICHED))
          .isBetween(0L, (long) TopicCatalog.CALL_PARTITIONS);
      assertThat(byGroup.get("connect-callstream-pgvector").get(Topics.CALLS_CHUNKS))
          .isBetween(0L, (long) TopicCatalog.CALL_PARTITIONS);
    }

    assertThat(xmins(tenant)).as("no row rewritten").isEqualTo(before);
    assertThat(
            count("SELECT count(*) FROM calls WHERE tenant_id = :t AND summary = 'older'", tenant))
        .isZero();
  }

  @Test
  void oneBadRecordInABatchOf500IsReportedAndTheOthersLand() throws Exception {
    String tenant = "batch-" + UUID.randomUUID();
    long dlqBefore = endOffsets(DLQ);
    for (int i = 0; i < 500; i++) {
      byte[] value =
          i == 250
              ? new byte[] {9, 9, 9, 9, 9, 9}
              : calls.serialize(
                  Topics.CALLS_ENRICHED, Samples.call(UUID.randomUUID(), tenant, 1, "bulk " + i));
      producer.send(new ProducerRecord<>(Topics.CALLS_ENRICHED, "k" + i, value));
    }
    producer.flush();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT count(*) FROM calls WHERE tenant_id = :t", tenant) == 499);
    await().atMost(Duration.ofSeconds(30)).until(() -> endOffsets(DLQ) == dlqBefore + 1);
  }

  @Test
  void aCallReprocessedWithFewerChunksKeepsOnlyTheNewOnes() throws Exception {
    String tenant = "fewer-" + UUID.randomUUID();
    UUID callId = UUID.randomUUID();
    send(
        List.of(),
        List.of(
            Samples.chunks(
                callId,
                tenant,
                1_000_000,
                List.of("one", "two", "three", "four"),
                List.of(vector(1), vector(0, 1), vector(0, 0, 1), vector(1, 1)))));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT count(*) FROM call_chunks WHERE tenant_id = :t", tenant) == 4);
    send(
        List.of(),
        List.of(
            Samples.chunks(
                callId,
                tenant,
                2_000_000,
                List.of("only", "two now"),
                List.of(vector(1), vector(0, 1)))));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> count("SELECT count(*) FROM call_chunks WHERE tenant_id = :t", tenant) == 2);
    List<String> texts =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT text FROM call_chunks WHERE call_id = :id ORDER BY chunk_index")
                    .bind("id", callId)
                    .mapTo(String.class)
                    .list());
    assertThat(texts).containsExactly("only", "two now");
  }

  @Test
  void deadLettersAndTheirRedriveMarksBecomeRows() throws Exception {
    String tenant = "connect-dlt-" + UUID.randomUUID();
    long reportedBefore = endOffsets(DLQ);
    AvroSerde<WorkItem> items = AvroSerde.forValues(WorkItem.class, registryClient);
    List<RecordMetadata> places = new ArrayList<>();
    for (String reason : List.of("http_400", "exhausted")) {
      UUID callId = UUID.randomUUID();
      WorkItem item =
          WorkItem.newBuilder()
              .setCallId(callId)
              .setEventId("evt-" + reason)
              .setTenantId(tenant)
              .setStage(Stage.ANALYZE)
              .setAttempt(1)
              .setAcceptedAt(Instant.parse("2026-11-20T10:00:00Z"))
              .setDeadLetterReason(reason)
              .build();
      places.add(
          producer
              .send(
                  new ProducerRecord<>(
                      Topics.CALLS_DLT, callId.toString(), items.serialize(Topics.CALLS_DLT, item)))
              .get());
    }
    RecordMetadata redriven = places.get(0);
    producer.send(
        new ProducerRecord<>(
            Topics.CALLS_DLT_REDRIVEN,
            redriven.partition() + "-" + redriven.offset(),
            "2026-11-20T10:05:00Z".getBytes(StandardCharsets.UTF_8)));
    producer.send(
        new ProducerRecord<>(
            Topics.CALLS_DLT_REDRIVEN, "not-a-place", "later".getBytes(StandardCharsets.UTF_8)));
    producer.flush();

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                jdbi.withHandle(
                        h ->
                            h.createQuery(
                                    "SELECT count(*) FROM dead_letters d JOIN dead_letter_redrives r"
                                        + " USING (dlt_partition, dlt_offset) WHERE d.tenant_id = :t")
                                .bind("t", tenant)
                                .mapTo(Long.class)
                                .one())
                    == 1);
    List<String> reasons =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT reason FROM dead_letters WHERE tenant_id = :t ORDER BY reason")
                    .bind("t", tenant)
                    .mapTo(String.class)
                    .list());
    assertThat(reasons).containsExactly("exhausted", "http_400");
    // the malformed mark went to the connector's dead-letter queue, and the rest landed
    await().atMost(Duration.ofSeconds(30)).until(() -> endOffsets(DLQ) > reportedBefore);
  }

  @Test
  void aCallsLatestRetryAndItsRecordingsBecomeRows() throws Exception {
    String tenant = "connect-retry-" + UUID.randomUUID();
    UUID callId = UUID.randomUUID();
    AvroSerde<WorkItem> items = AvroSerde.forValues(WorkItem.class, registryClient);
    Instant firstFailure = Instant.parse("2026-11-20T10:00:00Z");
    WorkItem first = retried(callId, tenant, 1, firstFailure);
    WorkItem second = retried(callId, tenant, 2, firstFailure.plusSeconds(40));
    // the later retry lands first, as on a replay; the older one must not replace it
    producer.send(
        new ProducerRecord<>(
            Topics.CALLS_RETRY_5M,
            callId.toString(),
            items.serialize(Topics.CALLS_RETRY_5M, second)));
    producer.flush();
    producer.send(
        new ProducerRecord<>(
            Topics.CALLS_RETRY_30S,
            callId.toString(),
            items.serialize(Topics.CALLS_RETRY_30S, first)));
    AvroSerde<RecordingUploaded> recordings =
        AvroSerde.forValues(RecordingUploaded.class, registryClient);
    RecordingUploaded recording =
        RecordingUploaded.newBuilder()
            .setCallId(callId)
            .setEventId("rec-" + callId)
            .setProvider(Provider.TWILIO)
            .setProviderCallId("CA" + callId)
            .setAudioUrl("file:///var/callstream/blobs/" + callId + ".wav")
            .setFormat(AudioFormat.WAV)
            .setSizeBytes(32_044L)
            .setReceivedAt(firstFailure)
            .build();
    producer.send(
        new ProducerRecord<>(
            Topics.RECORDINGS_UPLOADED,
            callId.toString(),
            recordings.serialize(Topics.RECORDINGS_UPLOADED, recording)));
    producer.flush();
    awaitCaughtUp("connect-callstream-postgres", Topics.CALLS_RETRY_30S);

    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                jdbi.withHandle(
                        h ->
                            h.createQuery("SELECT audio_url FROM recordings WHERE call_id = :c")
                                .bind("c", callId)
                                .mapTo(String.class)
                                .one())
                    .equals(recording.getAudioUrl()));
    Map<String, Object> retry =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT tier, stage, attempt, tenant_id, due_at, jsonb_array_length(errors) AS errors"
                            + " FROM call_retries WHERE call_id = :c")
                    .bind("c", callId)
                    .mapToMap()
                    .one());
    assertThat(retry)
        .containsEntry("tier", "5m")
        .containsEntry("stage", "EMBED")
        .containsEntry("attempt", 2)
        .containsEntry("tenant_id", tenant)
        .containsEntry("errors", 2);
  }

  @Test
  void agentMappingsBecomeRowsAndATombstoneRemovesOne() throws Exception {
    String tenant = "connect-agents-" + UUID.randomUUID();
    AvroSerde<AgentTenant> agents = AvroSerde.forValues(AgentTenant.class, registryClient);
    for (String agent : List.of("kept", "removed")) {
      AgentTenant mapping =
          AgentTenant.newBuilder()
              .setAgentId(tenant + "-" + agent)
              .setTenantId(tenant)
              .setTimeZone("Europe/Berlin")
              .setUpdatedAt(Instant.parse("2026-11-20T09:00:00Z"))
              .build();
      producer.send(
          new ProducerRecord<>(
              Topics.TENANTS_AGENTS,
              mapping.getAgentId(),
              agents.serialize(Topics.TENANTS_AGENTS, mapping)));
    }
    producer.send(new ProducerRecord<>(Topics.TENANTS_AGENTS, tenant + "-removed", null));
    producer.flush();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                jdbi.withHandle(
                        h ->
                            h.createQuery(
                                    "SELECT agent_id || ' ' || time_zone FROM agents"
                                        + " WHERE tenant_id = :t")
                                .bind("t", tenant)
                                .mapTo(String.class)
                                .list())
                    .equals(List.of(tenant + "-kept Europe/Berlin")));
  }

  /** A work item on its {@code attempt}th retry of EMBED, its last failure at {@code failedAt}. */
  private static WorkItem retried(UUID callId, String tenant, int attempt, Instant failedAt) {
    List<StageError> errors = new ArrayList<>();
    for (int i = 1; i <= attempt; i++) {
      errors.add(
          StageError.newBuilder()
              .setStage(Stage.EMBED)
              .setAttempt(i)
              .setAt(failedAt.minusSeconds(40L * (attempt - i)))
              .setErrorClass(ErrorClass.TRANSIENT)
              .setReason("http_503")
              .setMessage("the embedder answered 503")
              .build());
    }
    return WorkItem.newBuilder()
        .setCallId(callId)
        .setEventId("evt-" + callId)
        .setTenantId(tenant)
        .setStage(Stage.EMBED)
        .setAttempt(attempt)
        .setDueAt(failedAt.plusSeconds(attempt == 1 ? 30 : 300))
        .setAcceptedAt(failedAt.minusSeconds(60))
        .setErrors(errors)
        .build();
  }

  private void send(List<EnrichedCall> enriched, List<List<CallChunk>> sets) {
    for (EnrichedCall call : enriched) {
      producer.send(
          new ProducerRecord<>(
              Topics.CALLS_ENRICHED,
              call.getCallId().toString(),
              calls.serialize(Topics.CALLS_ENRICHED, call)));
    }
    for (List<CallChunk> set : sets) {
      for (CallChunk chunk : set) {
        producer.send(
            new ProducerRecord<>(
                Topics.CALLS_CHUNKS,
                chunk.getCallId().toString(),
                chunks.serialize(Topics.CALLS_CHUNKS, chunk)));
      }
    }
    producer.flush();
  }

  /** Waits until the connector's consumer group has nothing left to read on {@code topic}. */
  private void awaitCaughtUp(String group, String topic) {
    await().atMost(Duration.ofSeconds(60)).until(() -> caughtUp(group, topic));
  }

  private boolean caughtUp(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < TopicCatalog.CALL_PARTITIONS; p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      return TopicRecords.nothingLeftToRead(
          bootstrap,
          partitions,
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
    }
  }

  private long endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      if (!admin.listTopics().names().get().contains(topic)) {
        return 0;
      }
      var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      description
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get().values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    }
  }

  private long count(String sql, String tenant) {
    return jdbi.withHandle(h -> h.createQuery(sql).bind("t", tenant).mapTo(Long.class).one());
  }

  private List<String> xmins(String tenant) {
    List<String> xmins =
        new ArrayList<>(
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT call_id::text || xmin::text FROM calls WHERE tenant_id = :t ORDER BY call_id")
                        .bind("t", tenant)
                        .mapTo(String.class)
                        .list()));
    xmins.addAll(
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT call_id::text || chunk_index || xmin::text FROM call_chunks WHERE tenant_id = :t ORDER BY call_id, chunk_index")
                    .bind("t", tenant)
                    .mapTo(String.class)
                    .list()));
    return xmins;
  }
}
