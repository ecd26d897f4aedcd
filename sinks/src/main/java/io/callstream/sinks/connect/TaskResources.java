package io.callstream.sinks.connect;

import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.trace.CallTracing;
import io.callstream.sinks.postgres.Database;
import io.callstream.sinks.postgres.Schema;
import io.callstream.sinks.write.Delivery;
import io.callstream.sinks.write.Errant;
import io.callstream.sinks.write.Position;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.jdbi.v3.core.Jdbi;

/**
 * What both sink tasks share: the database, the decoding of records into {@link Delivery}s by their
 * topic's type, and the errant record reporter (KIP-610), where a record that cannot be decoded or
 * written goes while the rest of its batch still lands. The tasks turn a database outage into
 * {@link RetriableException}, so Connect retries the batch and nothing is skipped.
 */
final class TaskResources {
  final Jdbi jdbi;
  private final Database database;
  private final SchemaRegistryClient registry;
  private final Map<String, Deserializer<?>> deserializers = new ConcurrentHashMap<>();
  private final SinkTaskContext context;

  TaskResources(SinkConnectorConfig config, SinkTaskContext context) {
    this.context = context;
    CallTracing.installFromEnvironment(System::getenv, "callstream-sinks");
    this.registry = new SchemaRegistryClient(config.schemaRegistryUrl());
    if (config.migrate()) {
      try {
        Schema.migrate(
            config.databaseUrl(),
            config.databaseUser(),
            config.databasePassword(),
            config.embeddingDimensions());
      } catch (RuntimeException e) {
        throw new RetriableException(
            "cannot migrate the database at " + config.databaseUrl() + ": " + e.getMessage(), e);
      }
    }
    this.database =
        new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(), 2);
    this.jdbi = database.jdbi();
  }

  void close() {
    database.close();
  }

  /**
   * The record as the writers take it, its value decoded as its topic's type; null after reporting
   * a record that cannot be decoded as errant.
   */
  Delivery<?> decode(SinkRecord record) {
    try {
      Object value = record.value();
      if (value != null && !(value instanceof byte[])) {
        throw new IllegalArgumentException(
            "value is "
                + value.getClass().getSimpleName()
                + ", expected bytes (use ByteArrayConverter)");
      }
      Deserializer<?> deserializer =
          deserializers.computeIfAbsent(
              record.topic(),
              topic -> TopicCatalog.named(topic).valueSerde(registry).deserializer());
      return new Delivery<>(
          position(record),
          record.key() == null ? null : record.key().toString(),
          value == null ? null : deserializer.deserialize(record.topic(), (byte[]) value),
          Instant.ofEpochMilli(record.timestamp()));
    } catch (RuntimeException e) {
      report(record, e);
      return null;
    }
  }

  static Position position(SinkRecord record) {
    return new Position(record.topic(), record.kafkaPartition(), record.kafkaOffset());
  }

  /** Reports the record of {@code batch} at {@code position} as errant. */
  Errant errant(Map<Position, SinkRecord> batch) {
    return (position, error) -> report(batch.get(position), error);
  }

  /**
   * Hands a record that cannot be stored to the errant record reporter; without one, the task
   * fails.
   */
  void report(SinkRecord record, Throwable error) {
    ErrantRecordReporter reporter = context.errantRecordReporter();
    if (reporter == null) {
      throw new ConnectException(
          "record "
              + record.topic()
              + "-"
              + record.kafkaPartition()
              + "@"
              + record.kafkaOffset()
              + " cannot be stored and no errant record reporter is configured (set errors.tolerance=all and a dead letter queue): "
              + error.getMessage(),
          error);
    }
    try {
      reporter.report(record, error).get();
    } catch (Exception e) {
      throw new ConnectException("reporting an errant record failed", e);
    }
  }
}
