package io.callstream.gateway;

import io.callstream.events.Provider;
import io.callstream.gateway.blob.FileBlobStore;
import io.callstream.gateway.http.GatewayMetrics;
import io.callstream.gateway.http.IngestHandlers;
import io.callstream.gateway.http.Problem;
import io.callstream.gateway.http.ProblemErrorHandler;
import io.callstream.gateway.http.Readiness;
import io.callstream.gateway.kafka.EventPublisher;
import io.callstream.gateway.provider.EventEnvelope;
import io.callstream.gateway.provider.ProviderAdapter;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsAdapter;
import io.callstream.gateway.provider.retell.RetellAdapter;
import io.callstream.gateway.provider.telnyx.TelnyxAdapter;
import io.callstream.gateway.provider.twilio.TwilioAdapter;
import io.callstream.gateway.provider.vapi.VapiAdapter;
import io.callstream.gateway.source.Sources;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest gateway, assembled: configuration, the Kafka producer, the provider adapters and every
 * route, in one place. {@link #close()} shuts down gracefully: new requests get 503, requests in
 * flight finish, the producer flushes.
 */
public final class GatewayApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayApp.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final Javalin server;
  private final IngestHandlers handlers;
  private final EventPublisher publisher;
  private final Readiness readiness;
  private final GatewayMetrics metrics;

  private GatewayApp(
      Javalin server,
      IngestHandlers handlers,
      EventPublisher publisher,
      Readiness readiness,
      GatewayMetrics metrics) {
    this.server = server;
    this.handlers = handlers;
    this.publisher = publisher;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  /** Starts the gateway; secrets are read from {@code env} by the names the sources file gives. */
  public static GatewayApp start(GatewayConfig config, Function<String, String> env, Clock clock) {
    Sources sources =
        Sources.load(config.sourcesFile(), env, config.maxBodyBytes(), config.maxAudioBodyBytes());
    Map<Provider, ProviderAdapter> adapters =
        List.of(
                new ElevenLabsAdapter(),
                new VapiAdapter(),
                new RetellAdapter(),
                new TwilioAdapter(),
                new TelnyxAdapter())
            .stream()
            .collect(Collectors.toMap(ProviderAdapter::provider, Function.identity()));
    EventPublisher publisher =
        new EventPublisher(
            new KafkaProducer<>(
                EventPublisher.producerConfig(
                    config.bootstrapServers(),
                    config.publishTimeout(),
                    config.compression(),
                    config.lingerMs())),
            new SchemaRegistryClient(config.schemaRegistryUrl()),
            config.publishTimeout());
    publisher.registerSchemas();
    GatewayMetrics metrics = new GatewayMetrics();
    IngestHandlers handlers =
        new IngestHandlers(
            sources,
            adapters,
            new EventEnvelope(new FileBlobStore(config.blobDir())),
            publisher,
            metrics,
            clock,
            config.publicBaseUrl(),
            config.maxBodyBytes());
    Readiness readiness = new Readiness(config.bootstrapServers());
    long largestBody = Math.max(config.maxBodyBytes(), config.maxAudioBodyBytes());
    Javalin server =
        Javalin.create(
                javalin -> {
                  javalin.startup.showJavalinBanner = false;
                  javalin.concurrency.useVirtualThreads = true;
                  javalin.http.maxRequestSize = largestBody;
                  javalin.jetty.modifyServer(
                      jetty -> jetty.setErrorHandler(new ProblemErrorHandler()));
                  javalin.routes.post("/v1/webhooks/{sourceId}", handlers::webhook);
                  javalin.routes.post("/v1/calls", handlers::genericCall);
                  javalin.routes.post("/v1/recordings", handlers::genericRecording);
                  javalin.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
                  javalin.routes.get("/health/ready", ctx -> ready(ctx, readiness));
                  javalin.routes.get(
                      "/metrics",
                      ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
                  javalin.routes.error(
                      404,
                      ctx ->
                          unmatched(
                              ctx,
                              Problem.notFound("no route for " + ctx.method() + " " + ctx.path())));
                  javalin.routes.error(
                      405,
                      ctx ->
                          unmatched(
                              ctx,
                              Problem.notFound("no route for " + ctx.method() + " " + ctx.path())));
                })
            .start(config.host(), config.port());
    LOG.info(
        "gateway listening on {}:{} with {} webhook sources",
        config.host(),
        server.port(),
        sources.all().size());
    return new GatewayApp(server, handlers, publisher, readiness, metrics);
  }

  public int port() {
    return server.port();
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  @Override
  public void close() {
    handlers.drain();
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (metrics.inFlightCount() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.stop();
    publisher.flush();
    publisher.close();
    readiness.close();
    LOG.info("gateway stopped");
  }

  private static void ready(Context ctx, Readiness readiness) {
    if (readiness.brokerReachable()) {
      ctx.json(Map.of("status", "UP"));
    } else {
      IngestHandlers.render(ctx, Problem.unavailable("the Kafka broker does not answer", 5));
    }
  }

  /** Requests no route matched: answered as problems too, unless a handler already answered. */
  private static void unmatched(Context ctx, Problem problem) {
    String contentType = ctx.res().getContentType();
    if (contentType == null || !contentType.startsWith("application/problem+json")) {
      IngestHandlers.render(ctx, problem);
    }
  }
}
