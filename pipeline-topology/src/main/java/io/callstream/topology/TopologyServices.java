package io.callstream.topology;

import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.topology.enrich.Enrichers;
import java.time.Clock;

/**
 * What the topology runs against besides its configuration: the AI behind the stages, the schema
 * registry its serdes use, the metrics it counts into and the clock its records are stamped with.
 */
public record TopologyServices(
    Enrichers ai, SchemaRegistry registry, PipelineMetrics metrics, Clock clock) {}
