package io.callstream.topology;

import io.callstream.enrichment.Enrichers;
import io.callstream.schemas.registry.SchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running topology: the Kafka Streams application built by {@link CallstreamTopology}, with its
 * metrics, and the AI clients it closes when it stops.
 */
public final class TopologyApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopologyApp.class);
  private final KafkaStreams streams;
  private final Enrichers ai;
  private final PipelineMetrics metrics;
  private final TopologyConfig config;
  private final StoreRestores restores;

  private TopologyApp(
      KafkaStreams streams,
      Enrichers ai,
      PipelineMetrics metrics,
      TopologyConfig config,
      StoreRestores restores) {
    this.streams = streams;
    this.ai = ai;
    this.metrics = metrics;
    this.config = config;
    this.restores = restores;
  }

  public static TopologyApp start(TopologyConfig config, Enrichers ai, SchemaRegistry registry) {
    PipelineMetrics metrics = new PipelineMetrics();
    StreamsBuilder builder = new StreamsBuilder();
    CallstreamTopology.build(
        builder, config, new TopologyServices(ai, registry, metrics, Clock.systemUTC()));
    KafkaStreams streams = new KafkaStreams(builder.build(), config.streamsProperties());
    streams.setStateListener(
        (now, before) -> {
          if (before == KafkaStreams.State.RUNNING && now == KafkaStreams.State.REBALANCING) {
            metrics.rebalanced();
          }
        });
    streams.setUncaughtExceptionHandler(
        error -> {
          LOG.error("a stream thread failed; replacing it", error);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    StoreRestores restores = new StoreRestores();
    streams.setGlobalStateRestoreListener(restores);
    streams.start();
    return new TopologyApp(streams, ai, metrics, config, restores);
  }

  public boolean running() {
    return streams.state() == KafkaStreams.State.RUNNING;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  KafkaStreams streams() {
    return streams;
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  /** Restores of this instance's state stores, done and under way. */
  public StoreRestores restores() {
    return restores;
  }

  /** The tasks this instance runs or is restoring, over all its stream threads. */
  public int activeTaskCount() {
    return streams.metadataForLocalThreads().stream()
        .mapToInt(thread -> thread.activeTasks().size())
        .sum();
  }

  public TopologyConfig config() {
    return config;
  }

  /**
   * Stops, leaving the consumer group first, so the other instances take this one's tasks at once
   * rather than after the session timeout (a static member would otherwise keep them).
   */
  @Override
  public void close() {
    CloseOptions leave =
        CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
            .withTimeout(Duration.ofSeconds(30));
    if (!streams.close(leave)) {
      // Never close the AI clients under a stream thread that is still enriching.
      LOG.warn("the topology is still shutting down after 30 s; waiting for it");
      streams.close();
    }
    try {
      ai.close();
    } catch (Exception e) {
      LOG.warn("closing the AI clients failed", e);
    }
  }
}
