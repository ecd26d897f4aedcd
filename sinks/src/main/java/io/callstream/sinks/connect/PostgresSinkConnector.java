package io.callstream.sinks.connect;

import io.callstream.schemas.topics.Topics;
import java.util.List;
import org.apache.kafka.connect.connector.Task;

/**
 * Kafka Connect sink for everything of the read side but the chunks ({@link #TOPICS}) into
 * Postgres. Values are read as bytes ({@code ByteArrayConverter}) and decoded with the Schema
 * Registry.
 */
public final class PostgresSinkConnector extends CallstreamSinkConnector {
  public static final String VERSION = "0.1.0";

  /** The topics this connector is configured with. */
  public static final List<String> TOPICS =
      List.of(
          Topics.CALLS_ENRICHED,
          Topics.CALLS_TRANSCRIBED,
          Topics.CALLBACKS_SCHEDULED,
          Topics.CALLBACKS_DUE,
          Topics.DOCUMENTS_GENERATED,
          Topics.TENANT_STATS,
          Topics.TENANTS_AGENTS,
          Topics.RECORDINGS_UPLOADED,
          Topics.CALLS_RETRY_30S,
          Topics.CALLS_RETRY_5M,
          Topics.CALLS_RETRY_1H,
          Topics.CALLS_DLT,
          Topics.CALLS_DLT_REDRIVEN);

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresSinkTask.class;
  }
}
