package io.callstream.sinks.connect;

import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.sinks.postgres.Database;
import io.callstream.sinks.postgres.Schema;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * What both sink tasks share: the database, the value decoder, and the rules for failures. A record
 * that cannot be decoded or written goes to Connect's errant record reporter (KIP-610) and the rest
 * of the batch still lands; a database that cannot be reached raises {@link RetriableException}, so
 * Connect retries the batch and nothing is skipped.
 */
final class TaskResources {
  final Jdbi jdbi;
  private final Database database;
  private final SchemaRegistryClient registry;
  private final Map<Class<?>, AvroSerde<?>> serdes = new ConcurrentHashMap<>();
  private final SinkTaskContext context;

  TaskResources(SinkConnectorConfig config, SinkTaskContext context) {
    this.context = context;
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

  /** The record's value decoded as {@code type}, or null after reporting it as errant. */
  @SuppressWarnings("unchecked")
  <T extends SpecificRecord> T decode(SinkRecord record, Class<T> type) {
    try {
      if (!(record.value() instanceof byte[] bytes)) {
        throw new IllegalArgumentException(
            "value is "
                + (record.value() == null ? "null" : record.value().getClass().getSimpleName())
                + ", expected bytes (use ByteArrayConverter)");
      }
      AvroSerde<T> serde =
          (AvroSerde<T>)
              serdes.computeIfAbsent(
                  type, t -> AvroSerde.forValues(type, registry).autoRegister(false));
      return serde.deserialize(record.topic(), bytes);
    } catch (RuntimeException e) {
      report(record, e);
      return null;
    }
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

  /** True when a failure is the database being unreachable rather than this data being wrong. */
  static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        // 08: connection exceptions; 57P: operator intervention (shutdown); 53: insufficient
        // resources.
        if (state == null
            || state.startsWith("08")
            || state.startsWith("57P")
            || state.startsWith("53")) {
          return true;
        }
        return false;
      }
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return error instanceof JdbiException && error.getCause() == null;
  }
}
