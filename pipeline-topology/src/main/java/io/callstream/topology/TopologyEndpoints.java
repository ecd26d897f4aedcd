package io.callstream.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.callstream.schemas.topics.GroupLag;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The topology's operational HTTP endpoints: {@code GET /health/live} (200 unless Kafka Streams
 * failed or stopped), {@code GET /health/ready} (200 while it runs or rebalances, with how many
 * tasks it runs and how many stores are restoring) and {@code GET /metrics} in Prometheus format:
 * the pipeline's own counters ({@code callstream_topology_*}), its tasks and store restores,
 * consumer lag, and Kafka Streams' metrics.
 */
public final class TopologyEndpoints implements AutoCloseable {
  private static final Set<KafkaStreams.State> READY =
      Set.of(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
  private static final Set<KafkaStreams.State> DEAD =
      Set.of(
          KafkaStreams.State.ERROR,
          KafkaStreams.State.PENDING_ERROR,
          KafkaStreams.State.NOT_RUNNING,
          KafkaStreams.State.PENDING_SHUTDOWN);

  private final HttpServer server;
  private final KafkaStreamsMetrics streamsMetrics;
  private final GroupLag lag;

  private TopologyEndpoints(HttpServer server, KafkaStreamsMetrics streamsMetrics, GroupLag lag) {
    this.server = server;
    this.streamsMetrics = streamsMetrics;
    this.lag = lag;
  }

  /** Serves {@code app}'s health and metrics on {@code host}:{@code port} (0 picks a free one). */
  public static TopologyEndpoints serve(TopologyApp app, String host, int port) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PipelineMetrics pipeline = app.metrics();
    counter(
        registry,
        "callstream.topology.accepted",
        "Input events accepted",
        pipeline,
        PipelineMetrics::acceptedCount);
    counter(
        registry,
        "callstream.topology.duplicates",
        "Input events folded as duplicates",
        pipeline,
        PipelineMetrics::duplicateCount);
    counter(
        registry,
        "callstream.topology.completed",
        "Items that finished every stage",
        pipeline,
        PipelineMetrics::completedCount);
    counter(
        registry,
        "callstream.topology.ai.calls",
        "Requests made to the AI service or models",
        pipeline,
        PipelineMetrics::aiCallCount);
    counter(
        registry,
        "callstream.topology.cache.hits",
        "Stages served from the AI result cache",
        pipeline,
        PipelineMetrics::cacheHitCount);
    counter(
        registry,
        "callstream.topology.rebalances",
        "Times the instance stopped running to rebalance (an instance came or went, or a fenced"
            + " stream thread rejoined)",
        pipeline,
        PipelineMetrics::rebalanceCount);
    StoreRestores restores = app.restores();
    Gauge.builder("callstream.topology.active.tasks", app, TopologyApp::activeTaskCount)
        .description("Tasks this instance runs or restores")
        .register(registry);
    Gauge.builder("callstream.topology.restoring.stores", restores, StoreRestores::underWay)
        .description("State stores restoring from their changelogs now")
        .register(registry);
    FunctionCounter.builder("callstream.topology.restores", restores, StoreRestores::doneCount)
        .description("State store restores finished")
        .register(registry);
    FunctionCounter.builder(
            "callstream.topology.restored.records", restores, StoreRestores::recordCount)
        .description("Changelog records restored into state stores")
        .register(registry);
    FunctionCounter.builder(
            "callstream.topology.restore.seconds", restores, StoreRestores::totalSeconds)
        .description("Time spent restoring state stores, summed over stores")
        .register(registry);
    Gauge.builder(
            "callstream.topology.restore.longest.seconds", restores, StoreRestores::longestSeconds)
        .description("The longest restore of one state store")
        .register(registry);
    List<String> groups = new ArrayList<>();
    groups.add(app.config().applicationId());
    groups.addAll(app.config().lagGroups());
    GroupLag lag = new GroupLag(app.config().bootstrapServers(), groups);
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(app.streams());
    streamsMetrics.bindTo(registry);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory()));
    server.createContext(
        "/health/live", exchange -> health(exchange, !DEAD.contains(app.state()), app.state(), ""));
    server.createContext(
        "/health/ready",
        exchange ->
            health(
                exchange,
                READY.contains(app.state()),
                app.state(),
                ",\"active_tasks\":"
                    + app.activeTaskCount()
                    + ",\"restoring_stores\":"
                    + restores.underWay()));
    server.createContext(
        "/metrics",
        exchange -> {
          StringBuilder text = new StringBuilder(registry.scrape());
          perKey(text, "callstream_topology_retried_total", "tier", pipeline.retriedByTier());
          perKey(
              text,
              "callstream_topology_dead_lettered_total",
              "reason",
              pipeline.deadLetteredByReason());
          lag(text, lag.byGroupAndTopic());
          respond(exchange, 200, "text/plain; version=0.0.4", text.toString());
        });
    server.start();
    return new TopologyEndpoints(server, streamsMetrics, lag);
  }

  /** The port the endpoints listen on. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    streamsMetrics.close();
    lag.close();
  }

  private static void counter(
      PrometheusMeterRegistry registry,
      String name,
      String description,
      PipelineMetrics pipeline,
      ToDoubleFunction<PipelineMetrics> count) {
    FunctionCounter.builder(name, pipeline, count).description(description).register(registry);
  }

  /** Counters keyed by a label whose values appear as they happen (tiers, dead-letter reasons). */
  private static void perKey(
      StringBuilder text, String name, String label, Map<String, Long> counts) {
    text.append("# TYPE ").append(name).append(" counter\n");
    counts.forEach(
        (key, count) ->
            text.append(name)
                .append('{')
                .append(label)
                .append("=\"")
                .append(key.replace("\\", "\\\\").replace("\"", "\\\""))
                .append("\"} ")
                .append(count)
                .append('\n'));
  }

  /** Gauges of how far each consumer group is behind on each topic it reads. */
  private static void lag(StringBuilder text, Map<String, Map<String, Long>> lag) {
    String name = "callstream_consumer_group_lag";
    text.append("# HELP ")
        .append(name)
        .append(" Records a consumer group has yet to read, per topic (read_committed end)\n");
    text.append("# TYPE ").append(name).append(" gauge\n");
    lag.forEach(
        (group, topics) ->
            topics.forEach(
                (topic, records) ->
                    text.append(name)
                        .append("{group=\"")
                        .append(group)
                        .append("\",topic=\"")
                        .append(topic)
                        .append("\"} ")
                        .append(records)
                        .append('\n')));
  }

  private static void health(
      HttpExchange exchange, boolean up, KafkaStreams.State state, String more) throws IOException {
    respond(
        exchange,
        up ? 200 : 503,
        "application/json",
        "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"streams\":\"" + state + "\"" + more + "}");
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
