package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.enrichment.local.PocketsphinxTranscriber;
import io.callstream.enrichment.openai.OpenAiAnalyzer;
import io.callstream.enrichment.openai.OpenAiClient;
import io.callstream.enrichment.openai.OpenAiDocumentWriter;
import io.callstream.enrichment.openai.OpenAiLimits;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.GatewayConfig;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsAdapter;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsSignature;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsTranscription;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicSpec;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.connect.PgvectorSinkConnector;
import io.callstream.sinks.connect.PostgresSinkConnector;
import io.callstream.sinks.search.ChunkSearch;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.TopologyApp;
import io.callstream.topology.TopologyConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path on real parts: signed ElevenLabs webhooks into the gateway, the topology (analysis
 * by the AI simulator, embeddings by the local MiniLM model so the search is truly semantic), both
 * connectors in a standalone Connect worker, rows in Postgres, and a tenant's semantic search that
 * finds the call it describes.
 */
@ExtendWith(LocalServices.class)
class EndToEndIT {
  static final String SECRET = "e2e-elevenlabs-secret-41c9";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, List<String>> ACME_CALLS = new LinkedHashMap<>();
  private static final Map<String, List<String>> GLOBEX_CALLS = new LinkedHashMap<>();

  static {
    ACME_CALLS.put(
        "conv_blender",
        List.of(
            "Thanks for calling Acme Appliances, this is Ava. How can I help?",
            "My new blender stopped working after two days and I would like my money back.",
            "I am sorry to hear that. I have started a refund for the blender to your card.",
            "Great, thank you."));
    ACME_CALLS.put(
        "conv_flight",
        List.of(
            "Acme Travel, this is Ava speaking.",
            "I need to move my flight to Lisbon from Friday to Sunday morning.",
            "Done, your flight to Lisbon now leaves Sunday at nine in the morning.",
            "Perfect, thanks."));
    ACME_CALLS.put(
        "conv_outage",
        List.of(
            "Acme Broadband support, this is Ava.",
            "The internet has been down at my house since last night, the router light is red.",
            "There is an outage in your area; engineers expect it fixed by this evening.",
            "Okay, I will wait."));
    GLOBEX_CALLS.put(
        "conv_globex_blender",
        List.of(
            "Globex Kitchens, how can I help?",
            "My blender broke and I want a refund please.",
            "Of course, the refund is on its way.",
            "Thanks."));
  }

  @Test
  void signedWebhooksBecomeRowsAndASemanticSearchFindsTheCall(
      KafkaService kafka, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    String bootstrap = kafka.bootstrapServers();
    createTopics(bootstrap);
    String databaseUrl = postgres.freshDatabase("callstream_e2e");
    Path dir = Files.createTempDirectory("e2e-");

    try (AiSimulator simulator =
            AiSimulator.start(
                0,
                new AiSimulator.Latency(Duration.ofMillis(20), Duration.ofMillis(100)),
                AiSimulator.Faults.NONE);
        GatewayApp gateway = startGateway(bootstrap, registry.url(), dir);
        TopologyApp topology = startTopology(bootstrap, registry.url(), dir, simulator);
        LocalEmbedder queries = new LocalEmbedder(1)) {
      ConnectWorker connect = startConnect(bootstrap, registry.url(), databaseUrl, postgres);
      try {
        Map<String, UUID> callIds = new HashMap<>();
        for (var call : ACME_CALLS.entrySet()) {
          callIds.put(call.getKey(), post(gateway, "el-acme", call.getKey(), call.getValue()));
        }
        for (var call : GLOBEX_CALLS.entrySet()) {
          callIds.put(call.getKey(), post(gateway, "el-globex", call.getKey(), call.getValue()));
        }

        Jdbi jdbi = Jdbi.create(databaseUrl, postgres.user(), postgres.password());
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    count(jdbi, "SELECT count(*) FROM calls WHERE tenant_id IN ('acme', 'globex')")
                            == 4
                        && count(
                                jdbi,
                                "SELECT count(DISTINCT call_id) FROM call_chunks WHERE tenant_id IN ('acme', 'globex')")
                            == 4);

        Map<String, Object> blender =
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT tenant_id, provider, summary, analyzer, callback FROM calls WHERE call_id = :id")
                        .bind("id", callIds.get("conv_blender"))
                        .mapToMap()
                        .one());
        assertThat(blender.get("tenant_id")).isEqualTo("acme");
        assertThat(blender.get("provider")).isEqualTo("ELEVENLABS");
        assertThat(blender.get("analyzer")).isEqualTo("openai");
        assertThat((String) blender.get("summary")).containsIgnoringCase("blender");

        float[] question =
            queries
                        .embed(List.of("a customer wants a refund for a broken kitchen appliance"))
                        .toCompletableFuture()
                        .join()
                    instanceof io.callstream.enrichment.outcome.Outcome.Success<List<float[]>> s
                ? s.result().get(0)
                : null;
        assertThat(question).isNotNull();
        List<ChunkSearch.Hit> acme = new ChunkSearch(jdbi).nearest("acme", question, 3);
        assertThat(acme).isNotEmpty();
        assertThat(acme.get(0).callId()).isEqualTo(callIds.get("conv_blender"));
        List<ChunkSearch.Hit> globex = new ChunkSearch(jdbi).nearest("globex", question, 10);
        assertThat(globex)
            .extracting(ChunkSearch.Hit::callId)
            .containsOnly(callIds.get("conv_globex_blender"));
      } finally {
        connect.close();
      }
    }
  }

  /** Every topic, and the dead-letter topics of the connectors {@link #startConnect} creates. */
  static void createTopics(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
      TopicCatalog.createAll(
          admin,
          List.of(
              new TopicSpec("connect.dlq.e2e-postgres", 1, TopicSpec.Cleanup.DELETE, null),
              new TopicSpec("connect.dlq.e2e-pgvector", 1, TopicSpec.Cleanup.DELETE, null)),
          (short) 1,
          Duration.ofSeconds(30));
    }
  }

  /** Posts a signed post_call_transcription webhook; returns the call id the gateway answered. */
  static UUID post(GatewayApp gateway, String source, String conversation, List<String> lines)
      throws Exception {
    HttpResponse<String> response =
        send(gateway, source, JSON.writeValueAsBytes(transcription(conversation, lines)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode accepted = JSON.readTree(response.body());
    return UUID.fromString(accepted.path("call_id").asText());
  }

  /** An ElevenLabs post_call_transcription webhook of agent and user taking turns. */
  static ObjectNode transcription(String conversation, List<String> lines) {
    return ElevenLabsTranscription.of(
        "agent_e2e", conversation, lines, Instant.now().getEpochSecond(), 10);
  }

  /** Signs {@code body} as ElevenLabs does and posts it to the gateway's source. */
  static HttpResponse<String> send(GatewayApp gateway, String source, byte[] body)
      throws Exception {
    return send(gateway, source, body, SECRET);
  }

  /** As above, signed with {@code secret}. */
  static HttpResponse<String> send(GatewayApp gateway, String source, byte[] body, String secret)
      throws Exception {
    return send(gateway, source, body, secret, Map.of());
  }

  /** As above, with {@code headers} too (a provider's {@code traceparent}). */
  static HttpResponse<String> send(
      GatewayApp gateway, String source, byte[] body, String secret, Map<String, String> headers)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/webhooks/" + source))
            .header("Content-Type", "application/json")
            .header(ElevenLabsAdapter.SIGNATURE_HEADER, ElevenLabsSignature.of(secret, now, body));
    headers.forEach(request::header);
    return HttpClient.newHttpClient()
        .send(
            request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  static GatewayApp startGateway(String bootstrap, String registryUrl, Path dir) throws Exception {
    return startGateway(
        bootstrap,
        registryUrl,
        dir,
        """
        {"sources": [
          {"id": "el-acme", "provider": "elevenlabs", "secret_env": "E2E_EL_SECRET", "tenant": "acme"},
          {"id": "el-globex", "provider": "elevenlabs", "secret_env": "E2E_EL_SECRET", "tenant": "globex"}
        ]}
        """,
        Map.of("E2E_EL_SECRET", SECRET));
  }

  /** A gateway with the sources file {@code sources}, its secrets in {@code secrets}. */
  static GatewayApp startGateway(
      String bootstrap, String registryUrl, Path dir, String sources, Map<String, String> secrets)
      throws Exception {
    Path file = Files.writeString(dir.resolve("sources.json"), sources);
    Map<String, String> env = new HashMap<>(secrets);
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SCHEMA_REGISTRY_URL", registryUrl);
    env.put("CALLSTREAM_SOURCES_FILE", file.toString());
    env.put("CALLSTREAM_GATEWAY_HOST", "127.0.0.1");
    env.put("CALLSTREAM_GATEWAY_PORT", "0");
    env.put("CALLSTREAM_BLOB_DIR", dir.resolve("blobs").toString());
    return GatewayApp.start(GatewayConfig.fromEnv(env::get), env::get, Clock.systemUTC());
  }

  static TopologyApp startTopology(
      String bootstrap, String registryUrl, Path dir, AiSimulator simulator) {
    return startTopology(bootstrap, registryUrl, dir, "e2e-topology", enrichers(simulator));
  }

  /** Analysis by the AI simulator, embeddings by the local MiniLM model. */
  static Enrichers enrichers(AiSimulator simulator) {
    OpenAiClient client = new OpenAiClient(simulator.baseUrl(), "e2e", OpenAiLimits.defaults());
    LocalEmbedder embedder = new LocalEmbedder(1);
    PocketsphinxTranscriber transcriber = new PocketsphinxTranscriber(1);
    return new Enrichers(
        transcriber,
        new OpenAiAnalyzer(client, "gpt-4o-mini", 0.15, 0.60),
        new OpenAiDocumentWriter(client, "gpt-4o-mini", 0.15, 0.60),
        embedder,
        List.of(client, embedder, transcriber));
  }

  /** The topology as {@code applicationId}, enriching with {@code ai}. */
  static TopologyApp startTopology(
      String bootstrap, String registryUrl, Path dir, String applicationId, Enrichers ai) {
    return startTopology(bootstrap, registryUrl, dir, applicationId, ai, Map.of());
  }

  /** As above, with the variables {@code more} set too. */
  static TopologyApp startTopology(
      String bootstrap,
      String registryUrl,
      Path dir,
      String applicationId,
      Enrichers ai,
      Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.putAll(
        Map.of(
            "KAFKA_BOOTSTRAP_SERVERS",
            bootstrap,
            "SCHEMA_REGISTRY_URL",
            registryUrl,
            "CALLSTREAM_APPLICATION_ID",
            applicationId,
            "CALLSTREAM_STATE_DIR",
            dir.resolve("streams").toString()));
    return TopologyApp.start(
        TopologyConfig.fromEnv(env::get), ai, new SchemaRegistryClient(registryUrl));
  }

  static ConnectWorker startConnect(
      String bootstrap, String registryUrl, String databaseUrl, PostgresService postgres)
      throws Exception {
    ConnectWorker connect = ConnectWorker.start(bootstrap);
    Map<String, String> common = new HashMap<>();
    common.put("tasks.max", "1");
    common.put("database.url", databaseUrl);
    common.put("database.user", postgres.user());
    common.put("schema.registry.url", registryUrl);
    common.put("embedding.dimensions", Integer.toString(LocalEmbedder.DIMENSIONS));
    // Other tests' records on the shared broker (other vector sizes, deliberately broken ones)
    // go to the dead-letter topics; the rest lands.
    common.put("errors.tolerance", "all");
    common.put("errors.deadletterqueue.topic.replication.factor", "1");
    Map<String, String> rows = new HashMap<>(common);
    rows.put("connector.class", PostgresSinkConnector.class.getName());
    rows.put("topics", Topics.CALLS_ENRICHED);
    rows.put("errors.deadletterqueue.topic.name", "connect.dlq.e2e-postgres");
    connect.create("e2e-postgres", rows);
    Map<String, String> vectors = new HashMap<>(common);
    vectors.put("connector.class", PgvectorSinkConnector.class.getName());
    vectors.put("topics", Topics.CALLS_CHUNKS);
    vectors.put("errors.deadletterqueue.topic.name", "connect.dlq.e2e-pgvector");
    connect.create("e2e-pgvector", vectors);
    return connect;
  }

  static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
