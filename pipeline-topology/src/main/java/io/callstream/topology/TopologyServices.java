package io.callstream.topology;

import io.callstream.enrichment.Enrichers;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.SizeLimits;
import java.time.Clock;

/**
 * What the topology runs against besides its configuration: the AI behind the stages, the schema
 * registry its serdes use, the metrics it counts into, the clock its records are stamped with, and
 * the largest record its Kafka takes ({@link SizeLimits#MAX_RECORD_BYTES}; tests make it smaller).
 */
public record TopologyServices(
    Enrichers ai,
    SchemaRegistry registry,
    PipelineMetrics metrics,
    Clock clock,
    int maxRecordBytes) {

  public TopologyServices(
      Enrichers ai, SchemaRegistry registry, PipelineMetrics metrics, Clock clock) {
    this(ai, registry, metrics, clock, SizeLimits.MAX_RECORD_BYTES);
  }
}
