package io.callstream.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.events.Provider;
import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.GatewayConfig;
import io.callstream.gateway.http.Problem;
import io.callstream.gateway.http.TraceContext;
import io.callstream.gateway.kafka.EventPublisher;
import io.callstream.gateway.provider.WebhookRequest;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsAdapter;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsSignature;
import io.callstream.gateway.source.Source;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicSpec;
import io.callstream.schemas.topics.Topics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The gateway against a Javalin endpoint that only reads the same body, in one run, both in this
 * JVM with the broker: signed ElevenLabs {@code post_call_transcription} webhooks of about 4 KB
 * from wrk at 256 connections. Judged by gateway req/s over no-op req/s (target >= 0.6), p99 at
 * half the gateway's peak rate (target < 25 ms), and every 202 being on the topic. Two more
 * endpoints in the same run bound what any gateway reaches here: the body produced as it is, and
 * the least a gateway must do ({@link #leastGateway}).
 */
public final class GatewayBenchmark {
  private static final String SECRET = "wsec_bench_8c2d4e6f8a0b1c3d5e7f9a1b";
  private static final int CONNECTIONS = 256;
  private static final int DISTINCT_CALLS = 512;
  private static final String COMPRESSION = System.getProperty("gateway.compression", "lz4");
  private static final int LINGER_MS = Integer.getInteger("gateway.linger.ms", 2);
  private static final ElevenLabsAdapter LEAST_VERIFIER = new ElevenLabsAdapter();
  private static final Source LEAST_SOURCE =
      new Source("elevenlabs", Provider.ELEVENLABS, "BENCH_EL_SECRET", "bench", null, 2_000_000);
  private static final JsonFactory LEAST_JSON = new JsonFactory();

  public static void main(String[] args) throws Exception {
    Duration warmup =
        Duration.ofSeconds(Long.parseLong(System.getProperty("warmup.seconds", "20")));
    Duration measure =
        Duration.ofSeconds(Long.parseLong(System.getProperty("measure.seconds", "15")));
    Path work = Files.createTempDirectory("callstream-bench-gateway-");
    try (KafkaBroker broker = KafkaBroker.startTemporary();
        ApicurioRegistry registry = ApicurioRegistry.start()) {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
        TopicCatalog.createAll(
            admin,
            List.of(
                new TopicSpec(
                    "bench.naive",
                    TopicCatalog.CALL_PARTITIONS,
                    TopicSpec.Cleanup.DELETE,
                    Duration.ofHours(1))),
            (short) 1,
            Duration.ofSeconds(30));
      }
      // The naive endpoint: the body produced as it is, waiting for the ack; what a gateway costs
      // at least.
      KafkaProducer<String, byte[]> naiveProducer =
          new KafkaProducer<>(
              EventPublisher.producerConfig(
                  broker.bootstrapServers(), Duration.ofSeconds(5), COMPRESSION, LINGER_MS));
      Javalin noop =
          Javalin.create(
                  config -> {
                    config.startup.showJavalinBanner = false;
                    config.concurrency.useVirtualThreads = true;
                    config.routes.post(
                        "/noop",
                        ctx -> ctx.status(202).result(String.valueOf(ctx.bodyAsBytes().length)));
                    config.routes.post(
                        "/naive",
                        ctx -> {
                          naiveProducer
                              .send(new ProducerRecord<>("bench.naive", ctx.bodyAsBytes()))
                              .get();
                          ctx.status(202);
                        });
                    config.routes.post(
                        "/least", ctx -> leastGateway(ctx, naiveProducer, Clock.systemUTC()));
                  })
              .start("127.0.0.1", 0);
      GatewayApp gateway = startGateway(broker, registry, work);
      List<byte[]> bodies = new ArrayList<>();
      List<Map<String, String>> headers = new ArrayList<>();
      long now = Instant.now().getEpochSecond();
      for (int call = 0; call < DISTINCT_CALLS; call++) {
        byte[] body = webhookBody(call);
        bodies.add(body);
        headers.add(
            Map.of(
                "Content-Type",
                "application/json",
                ElevenLabsAdapter.SIGNATURE_HEADER,
                ElevenLabsSignature.of(SECRET, now, body)));
      }
      Wrk wrk = Wrk.posting(bodies, headers);
      String noopUrl = "http://127.0.0.1:" + noop.port() + "/noop";
      String gatewayUrl = "http://127.0.0.1:" + gateway.port() + "/v1/webhooks/elevenlabs";

      String naiveUrl = "http://127.0.0.1:" + noop.port() + "/naive";
      String leastUrl = "http://127.0.0.1:" + noop.port() + "/least";
      wrk.run(noopUrl, 2, CONNECTIONS, warmup, 0);
      wrk.run(naiveUrl, 2, CONNECTIONS, warmup, 0);
      wrk.run(leastUrl, 2, CONNECTIONS, warmup, 0);
      wrk.run(gatewayUrl, 2, CONNECTIONS, warmup, 0);
      long recordsBefore = records(broker);
      Wrk.Result noopPeak = wrk.run(noopUrl, 2, CONNECTIONS, measure, 0);
      Wrk.Result naivePeak = wrk.run(naiveUrl, 2, CONNECTIONS, measure, 0);
      Wrk.Result leastPeak = wrk.run(leastUrl, 2, CONNECTIONS, measure, 0);
      Wrk.Result gatewayPeak = wrk.run(gatewayUrl, 2, CONNECTIONS, measure, 0);
      // Half the peak rate: each connection waits between requests; short probes settle the wait
      // until the achieved rate is within 5% of peak / 2.
      double halfRate = gatewayPeak.rate() / 2;
      int pacedConnections = 128;
      long probeAccepted = 0;
      long pace = Math.max(1, Math.round(1000.0 * pacedConnections / halfRate));
      for (int probe = 0; probe < 4; probe++) {
        Wrk.Result probeRun = wrk.run(gatewayUrl, 2, pacedConnections, Duration.ofSeconds(3), pace);
        probeAccepted += probeRun.requests() - probeRun.non2xx();
        double achieved = probeRun.rate();
        if (Math.abs(achieved / halfRate - 1) < 0.05) {
          break;
        }
        pace = Math.max(1, Math.round(pace * achieved / halfRate));
      }
      Wrk.Result gatewayHalf = wrk.run(gatewayUrl, 2, pacedConnections, measure, pace);
      gateway.close();
      long recordsWritten = records(broker) - recordsBefore;
      noop.stop();
      naiveProducer.close();

      long accepted =
          gatewayPeak.requests()
              - gatewayPeak.non2xx()
              + probeAccepted
              + gatewayHalf.requests()
              - gatewayHalf.non2xx();
      double ratio = gatewayPeak.rate() / noopPeak.rate();
      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("benchmark", "gateway");
      line.put("body_bytes", bodies.get(0).length);
      line.put("distinct_calls", DISTINCT_CALLS);
      line.put("connections", CONNECTIONS);
      line.put("compression", COMPRESSION);
      line.put("linger_ms", LINGER_MS);
      line.put("noop_rps", round(noopPeak.rate()));
      line.put("naive_produce_rps", round(naivePeak.rate()));
      line.put("least_gateway_rps", round(leastPeak.rate()));
      line.put("gateway_rps", round(gatewayPeak.rate()));
      // What producing the body as it is reaches, and what the least a gateway must do reaches:
      // the ceilings the gateway, which also maps and encodes, is held against.
      line.put("naive_ratio", round(naivePeak.rate() / noopPeak.rate() * 1000) / 1000);
      line.put("least_gateway_ratio", round(leastPeak.rate() / noopPeak.rate() * 1000) / 1000);
      line.put("ratio", round(ratio * 1000) / 1000);
      line.put("target_ratio", 0.6);
      line.put("half_rate_target_rps", round(gatewayPeak.rate() / 2));
      line.put("half_rate_achieved_rps", round(gatewayHalf.rate()));
      line.put("half_rate_p50_ms", gatewayHalf.p50() / 1000.0);
      line.put("half_rate_p90_ms", gatewayHalf.p90() / 1000.0);
      line.put("half_rate_p99_ms", gatewayHalf.p99() / 1000.0);
      line.put("half_rate_p999_ms", gatewayHalf.p999() / 1000.0);
      line.put("peak_p99_ms", gatewayPeak.p99() / 1000.0);
      line.put("target_p99_ms", 25);
      line.put("gateway_non_2xx", gatewayPeak.non2xx() + gatewayHalf.non2xx());
      line.put("least_gateway_non_2xx", leastPeak.non2xx());
      line.put(
          "socket_errors",
          gatewayPeak.socketErrors()
              + gatewayHalf.socketErrors()
              + noopPeak.socketErrors()
              + naivePeak.socketErrors()
              + leastPeak.socketErrors());
      line.put("accepted", accepted);
      line.put("records_written", recordsWritten);
      // wrk stops counting at its deadline, so answers cut off then can add a few records (at most
      // one per connection per run): written >= accepted.
      line.put("written_not_counted", recordsWritten - accepted);
      line.put("every_202_durable", recordsWritten >= accepted);
      line.put(
          "pass",
          ratio >= 0.6
              && gatewayHalf.p99() < 25_000
              && recordsWritten >= accepted
              && gatewayPeak.non2xx() == 0);
      System.out.println(line);
    }
  }

  private static GatewayApp startGateway(KafkaBroker broker, ApicurioRegistry registry, Path work)
      throws IOException {
    Path sources =
        Files.writeString(
            work.resolve("sources.json"),
            "{\"sources\": [{\"id\": \"elevenlabs\", \"provider\": \"elevenlabs\", \"secret_env\": \"BENCH_EL_SECRET\", \"tenant\": \"bench\"}]}");
    Map<String, String> env = new HashMap<>();
    env.put("BENCH_EL_SECRET", SECRET);
    env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", registry.url());
    env.put("CALLSTREAM_SOURCES_FILE", sources.toString());
    env.put("CALLSTREAM_GATEWAY_HOST", "127.0.0.1");
    env.put("CALLSTREAM_GATEWAY_PORT", "0");
    env.put("CALLSTREAM_BLOB_DIR", work.resolve("blobs").toString());
    env.put("CALLSTREAM_GATEWAY_COMPRESSION", COMPRESSION);
    env.put("CALLSTREAM_GATEWAY_LINGER_MS", Integer.toString(LINGER_MS));
    return GatewayApp.start(GatewayConfig.fromEnv(env::get), env::get, Clock.systemUTC());
  }

  /**
   * The least any gateway must do with a webhook, and no more: verify its signature with the
   * gateway's own ElevenLabs verification, read every JSON token (a gateway must refuse a body that
   * does not parse), and write the raw body keyed by its call, with the four headers the gateway
   * sends, waiting for the broker's acknowledgement. No mapping, no Avro, no metrics.
   */
  private static void leastGateway(Context ctx, KafkaProducer<String, byte[]> producer, Clock clock)
      throws Exception {
    Instant now = clock.instant();
    byte[] body = ctx.bodyAsBytes();
    WebhookRequest request = new WebhookRequest(ctx.url(), ctx::header, body, now);
    try {
      LEAST_VERIFIER.verify(request, LEAST_SOURCE, SECRET, now);
      try (JsonParser parser = LEAST_JSON.createParser(body)) {
        while (parser.nextToken() != null) {
          // every token read, none kept
        }
      }
    } catch (Problem | IOException e) {
      ctx.status(400);
      return;
    }
    // The signature stands in for the call id as the key: one per call, with no mapping to find it.
    String signature = ctx.header(ElevenLabsAdapter.SIGNATURE_HEADER);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            "bench.naive", signature.substring(signature.indexOf("v0=") + 3), body);
    record.headers().add(EventHeaders.EVENT_ID, signature.getBytes(StandardCharsets.UTF_8));
    record.headers().add(EventHeaders.SOURCE, LEAST_SOURCE.id().getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(
            EventHeaders.RECEIVED_AT,
            Long.toString(now.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    record
        .headers()
        .add(
            EventHeaders.TRACEPARENT,
            TraceContext.childOf(ctx.header("traceparent")).getBytes(StandardCharsets.UTF_8));
    producer.send(record).get();
    ctx.status(202);
  }

  /** A realistic post_call_transcription body of about 4 KB. */
  static byte[] webhookBody(int call) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("type", "post_call_transcription");
    root.put("event_timestamp", 1763647407);
    ObjectNode data = root.putObject("data");
    data.put("agent_id", "agent_8401k4xqpz3ef0tbm6zy2ds7qc");
    data.put("conversation_id", String.format("conv_bench%06d", call));
    data.put("status", "done");
    ArrayNode transcript = data.putArray("transcript");
    List<String> lines =
        List.of(
            "Hi, thanks for calling Northwind Plumbing. How can I help you today?",
            "Hi, my water heater started leaking this morning and there is water all over the garage floor.",
            "I'm sorry to hear that. Is the leak coming from the top of the tank or from the bottom?",
            "It looks like it's coming from the valve near the bottom, and it's dripping pretty steadily.",
            "Okay. Please turn off the cold water supply valve above the heater if you can reach it safely.",
            "Done, the handle is turned all the way. The dripping is already slowing down a bit.",
            "Great. I can have a technician there tomorrow between nine and eleven in the morning. Does that work?",
            "That works. Can someone also call me back this afternoon at three to confirm the price?");
    int second = 0;
    for (int i = 0; transcript.toString().length() < 3600; i++) {
      ObjectNode turn = transcript.addObject();
      turn.put("role", i % 2 == 0 ? "agent" : "user");
      turn.put("message", lines.get(i % lines.size()));
      turn.put("time_in_call_secs", second);
      second += 6;
    }
    ObjectNode metadata = data.putObject("metadata");
    metadata.put("start_time_unix_secs", 1763647320);
    metadata.put("call_duration_secs", second);
    ObjectNode phone = metadata.putObject("phone_call");
    phone.put("direction", "inbound");
    phone.put("agent_number", "+14155550100");
    phone.put("external_number", "+14155550123");
    ObjectNode analysis = data.putObject("analysis");
    analysis.put("call_successful", "success");
    analysis.put(
        "transcript_summary",
        "The caller reported a leaking water heater and booked a visit for tomorrow morning.");
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long records(KafkaBroker broker) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
      for (int p = 0; p < TopicCatalog.CALL_PARTITIONS; p++) {
        partitions.put(new TopicPartition(Topics.CALLS_ENDED, p), OffsetSpec.latest());
      }
      return admin.listOffsets(partitions).all().get().values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    }
  }

  private static double round(double value) {
    return Math.round(value);
  }
}
