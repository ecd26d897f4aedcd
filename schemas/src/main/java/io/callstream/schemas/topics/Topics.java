package io.callstream.schemas.topics;

/**
 * The names of callstream's topics: each defined once, here, next to the catalog that owns them.
 */
public final class Topics {
  public static final String CALLS_ENDED = "calls.ended.v1";
  public static final String RECORDINGS_UPLOADED = "recordings.uploaded.v1";
  public static final String TENANTS_AGENTS = "tenants.agents.v1";
  public static final String TENANTS_SETTINGS = "tenants.settings.v1";
  public static final String CALLS_TRANSCRIBED = "calls.transcribed.v1";
  public static final String CALLS_ENRICHED = "calls.enriched.v1";
  public static final String CALLS_CHUNKS = "calls.chunks.v1";
  public static final String DOCUMENTS_GENERATED = "documents.generated.v1";
  public static final String CALLBACKS_SCHEDULED = "callbacks.scheduled.v1";
  public static final String CALLBACKS_DUE = "callbacks.due.v1";
  public static final String CALLS_RETRY_30S = "calls.retry.30s.v1";
  public static final String CALLS_RETRY_5M = "calls.retry.5m.v1";
  public static final String CALLS_RETRY_1H = "calls.retry.1h.v1";
  public static final String CALLS_DLT = "calls.dlt.v1";

  /**
   * Dead letters already redriven, keyed by their place in {@link #CALLS_DLT} ({@code
   * partition-offset}); the value is the redrive time (ISO-8601 text). Compacted.
   */
  public static final String CALLS_DLT_REDRIVEN = "dlt.redriven.v1";

  public static final String TENANT_STATS = "analytics.tenant-stats.v1";

  /**
   * Records the topology could not even decode (poison pills), written by Kafka Streams' own
   * dead-letter queue with the error in headers; the application keeps running.
   */
  public static final String TOPOLOGY_DLQ = "topology.undecodable.v1";

  private Topics() {}
}
