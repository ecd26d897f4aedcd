package io.callstream.sinks.connect;

import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect sink for calls.enriched.v1, calls.transcribed.v1, callbacks.scheduled.v1,
 * callbacks.due.v1, documents.generated.v1 and analytics.tenant-stats.v1 into Postgres. Values are
 * read as bytes ({@code ByteArrayConverter}) and decoded with the Schema Registry.
 */
public final class PostgresSinkConnector extends CallstreamSinkConnector {
  public static final String VERSION = "0.1.0";

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresSinkTask.class;
  }
}
