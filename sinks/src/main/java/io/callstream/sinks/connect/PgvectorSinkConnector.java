package io.callstream.sinks.connect;

import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect sink for calls.chunks.v1 into pgvector: each call's chunk set replaces the stored
 * one as a whole, and an unchanged set writes nothing. Values are read as bytes and decoded with
 * the Schema Registry.
 */
public final class PgvectorSinkConnector extends CallstreamSinkConnector {
  @Override
  public Class<? extends Task> taskClass() {
    return PgvectorSinkTask.class;
  }
}
