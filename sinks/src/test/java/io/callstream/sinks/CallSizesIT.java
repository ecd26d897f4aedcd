package io.callstream.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.enrichment.AiConfig;
import io.callstream.events.Provider;
import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.provider.CallIds;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.SizeLimits;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.testkit.LocalServices;
import io.callstream.topology.TopologyApp;
import io.callstream.topology.TopologyConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Signed calls across the size spectrum, from 1 KB up to exactly callstream's call limit, go
 * through the whole path (gateway, topology with the local models, both sinks) and are stored with
 * every chunk; one byte over the limit is a 413 naming it; calls posted after them on the same
 * partitions are processed too.
 */
@ExtendWith(LocalServices.class)
class CallSizesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LIMIT = SizeLimits.MAX_CALL_BODY_BYTES;

  @Test
  void everyCallUpToTheLimitIsStoredAndOneByteOverIsA413(
      SchemaRegistryService registry, PostgresService postgres) throws Exception {
    // a broker of its own: the other tests' sinks read every topic from the start, and should not
    // have to wade through this test's records
    try (KafkaBroker broker = KafkaBroker.startTemporary()) {
      run(broker.bootstrapServers(), registry, postgres);
    }
  }

  private void run(String bootstrap, SchemaRegistryService registry, PostgresService postgres)
      throws Exception {
    EndToEndIT.createTopics(bootstrap);
    String databaseUrl = postgres.freshDatabase("callstream_sizes");
    Path dir = Files.createTempDirectory("call-sizes-");
    String run = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env =
        Map.of(
            "KAFKA_BOOTSTRAP_SERVERS",
            bootstrap,
            "SCHEMA_REGISTRY_URL",
            registry.url(),
            "CALLSTREAM_APPLICATION_ID",
            "call-sizes-" + run,
            "CALLSTREAM_STATE_DIR",
            dir.resolve("streams").toString());
    try (GatewayApp gateway = EndToEndIT.startGateway(bootstrap, registry.url(), dir);
        TopologyApp topology =
            TopologyApp.start(
                TopologyConfig.fromEnv(env::get),
                AiConfig.fromEnv(Map.<String, String>of()::get).enrichers(),
                new SchemaRegistryClient(registry.url()));
        ConnectWorker connect =
            EndToEndIT.startConnect(bootstrap, registry.url(), databaseUrl, postgres)) {
      Map<String, Integer> sizes = new LinkedHashMap<>();
      sizes.put("conv_size_1k_" + run, 1024);
      sizes.put("conv_size_256k_" + run, 256 * 1024);
      sizes.put("conv_size_limit_" + run, LIMIT);
      Map<UUID, Integer> posted = new LinkedHashMap<>();
      for (Map.Entry<String, Integer> call : sizes.entrySet()) {
        byte[] body = bodyOf(call.getKey(), call.getValue());
        assertThat(body).hasSize(call.getValue());
        HttpResponse<String> response = EndToEndIT.send(gateway, "el-acme", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        posted.put(CallIds.of(Provider.ELEVENLABS, call.getKey()), call.getValue());
      }
      HttpResponse<String> over =
          EndToEndIT.send(gateway, "el-acme", bodyOf("conv_size_over_" + run, LIMIT + 1));
      assertThat(over.statusCode()).as(over.body()).isEqualTo(413);
      assertThat(over.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(over.body()).contains("takes at most " + LIMIT + " bytes");

      // small calls after the large ones, on the partitions the large ones went to
      Set<Integer> partitions =
          posted.keySet().stream().map(CallSizesIT::partitionOf).collect(Collectors.toSet());
      List<UUID> after = new ArrayList<>();
      for (int i = 0; after.size() < partitions.size() * 2; i++) {
        String conversation = "conv_size_after_" + run + "_" + i;
        UUID id = CallIds.of(Provider.ELEVENLABS, conversation);
        if (partitions.contains(partitionOf(id))) {
          after.add(
              EndToEndIT.post(
                  gateway,
                  "el-acme",
                  conversation,
                  List.of("Acme, this is Ava.", "My parcel " + i + " never came.", "Sorry!")));
        }
      }

      Jdbi jdbi = Jdbi.create(databaseUrl, postgres.user(), postgres.password());
      List<UUID> all = new ArrayList<>(posted.keySet());
      all.addAll(after);
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> stored(jdbi, all) == all.size());
      UUID largest = CallIds.of(Provider.ELEVENLABS, "conv_size_limit_" + run);
      long largestChunks =
          EndToEndIT.count(
              jdbi, "SELECT chunk_count FROM call_chunk_sets WHERE call_id = '" + largest + "'");
      assertThat(largestChunks).as("chunks of the largest call").isGreaterThan(1_000);
    }
  }

  /** Calls with their row and every chunk of their set in Postgres. */
  private static long stored(Jdbi jdbi, List<UUID> calls) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM calls c JOIN call_chunk_sets s USING (call_id)"
                        + " WHERE c.call_id IN (<ids>) AND s.chunk_count ="
                        + " (SELECT count(*) FROM call_chunks k WHERE k.call_id = c.call_id)")
                .bindList("ids", calls)
                .mapTo(Long.class)
                .one());
  }

  private static int partitionOf(UUID call) {
    return Utils.toPositive(Utils.murmur2(call.toString().getBytes(StandardCharsets.UTF_8)))
        % TopicCatalog.CALL_PARTITIONS;
  }

  /**
   * A transcription webhook of exactly {@code bytes}: turns of ordinary words up to nearly the
   * size, the rest in a field no one reads.
   */
  private static byte[] bodyOf(String conversation, int bytes) throws Exception {
    ObjectNode body = EndToEndIT.transcription(conversation, List.of());
    ArrayNode transcript = (ArrayNode) body.path("data").path("transcript");
    int size = JSON.writeValueAsBytes(body).length;
    for (int i = 0; size < bytes - 400; i++) {
      String message =
          "Turn "
              + i
              + ": the customer asks about order "
              + (1000 + i)
              + " and the delivery window, and the agent checks the account and answers.";
      ObjectNode turn = transcript.addObject();
      turn.put("role", i % 2 == 0 ? "agent" : "user");
      turn.put("message", message);
      turn.put("time_in_call_secs", i * 5);
      size += message.length() + 64;
    }
    ((ObjectNode) body.path("data")).put("padding", "");
    int unpadded = JSON.writeValueAsBytes(body).length;
    if (unpadded > bytes) {
      throw new IllegalStateException("the turns alone are " + unpadded + " bytes");
    }
    ((ObjectNode) body.path("data")).put("padding", "x".repeat(bytes - unpadded));
    return JSON.writeValueAsBytes(body);
  }
}
