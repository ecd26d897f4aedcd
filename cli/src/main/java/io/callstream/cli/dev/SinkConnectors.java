package io.callstream.cli.dev;

import io.callstream.schemas.topics.TopicSpec;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.connect.PgvectorSinkConnector;
import io.callstream.sinks.connect.PostgresSinkConnector;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two sink connectors as the local stack runs them: every row topic into Postgres, the chunks
 * into pgvector, each reporting records it cannot write to its own dead-letter topic.
 */
public final class SinkConnectors {
  public static final String POSTGRES = "callstream-postgres";
  public static final String PGVECTOR = "callstream-pgvector";
  static final String POSTGRES_DLQ = "connect.dlq.postgres";
  static final String PGVECTOR_DLQ = "connect.dlq.pgvector";

  /** The connectors' dead-letter topics. */
  public static final List<TopicSpec> DEAD_LETTER_TOPICS =
      List.of(
          new TopicSpec(POSTGRES_DLQ, 1, TopicSpec.Cleanup.DELETE, null),
          new TopicSpec(PGVECTOR_DLQ, 1, TopicSpec.Cleanup.DELETE, null));

  private SinkConnectors() {}

  /** Connector name to configuration. */
  public static Map<String, Map<String, String>> configs(
      DevStack.Database database, String registryUrl, int embeddingDimensions) {
    Map<String, Map<String, String>> connectors = new LinkedHashMap<>();
    connectors.put(
        POSTGRES,
        config(
            PostgresSinkConnector.class,
            String.join(",", PostgresSinkConnector.TOPICS),
            POSTGRES_DLQ,
            database,
            registryUrl,
            embeddingDimensions));
    connectors.put(
        PGVECTOR,
        config(
            PgvectorSinkConnector.class,
            Topics.CALLS_CHUNKS,
            PGVECTOR_DLQ,
            database,
            registryUrl,
            embeddingDimensions));
    return connectors;
  }

  private static Map<String, String> config(
      Class<?> connector,
      String topics,
      String deadLetters,
      DevStack.Database database,
      String registryUrl,
      int dimensions) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", connector.getName());
    config.put("tasks.max", "1");
    config.put("topics", topics);
    config.put("database.url", database.url());
    config.put("database.user", database.user());
    config.put("database.password", database.password());
    config.put("schema.registry.url", registryUrl);
    config.put("embedding.dimensions", Integer.toString(dimensions));
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", deadLetters);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    return config;
  }
}
