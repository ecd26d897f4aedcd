package io.callstream.cli;

import io.callstream.config.EnvironmentReader;
import io.callstream.config.EnvironmentReader.Variable;
import io.callstream.enrichment.AiConfig;
import io.callstream.gateway.GatewayConfig;
import io.callstream.query.QueryApiConfig;
import io.callstream.topology.TopologyConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration reference, generated from the config records themselves: each component's
 * {@code fromEnv} runs against an empty environment while {@link EnvironmentReader#record} notes
 * every variable it reads and its default, so the list cannot drift from the code. What each means
 * is kept here, and a test fails when a variable has no meaning or a meaning no variable.
 */
public final class ConfigReference {

  /** One row: a variable, who reads it, its default, and what it means. */
  public record Row(
      String variable, String component, String fallback, boolean required, String meaning) {}

  /** Variables read outside the config records: by the scripts, the commands, {@code dev}. */
  private static final List<Row> OUTSIDE_RECORDS =
      List.of(
          // the commands read these two as well, with options and the running dev as fallbacks
          new Row("KAFKA_BOOTSTRAP_SERVERS", "commands", null, false, ""),
          new Row("SCHEMA_REGISTRY_URL", "commands", null, false, ""),
          new Row(
              "DATABASE_PASSWORD",
              "dev",
              null,
              false,
              "the database password (of `dev --database-url` too)"),
          new Row(
              "JAVA_HOME",
              "scripts",
              null,
              false,
              "a JDK >= 21 to build and run with (found in `/usr/lib/jvm` when unset)"),
          new Row(
              "CALLSTREAM_JAVA_OPTS",
              "scripts",
              "-Xmx2g",
              false,
              "JVM options of `bin/callstream`"),
          new Row(
              "DJL_CACHE_DIR",
              "scripts",
              "~/.cache/callstream/djl",
              false,
              "where the local embedding model's native libraries are cached"),
          new Row(
              "OTEL_EXPORTER_OTLP_ENDPOINT",
              "gateway, topology, sinks",
              null,
              false,
              "where traces go (OTLP, e.g. `http://jaeger:4318`); unset (and no other `OTEL_*` exporter setting), tracing is off. Every standard `OTEL_*` variable applies"),
          new Row(
              "OTEL_TRACES_EXPORTER",
              "gateway, topology, sinks",
              null,
              false,
              "the span exporter (`otlp`, `console`, `none`); setting it turns tracing on"),
          new Row(
              "OTEL_SERVICE_NAME",
              "gateway, topology, sinks",
              null,
              false,
              "the service in the traces (default: `callstream-gateway`, `callstream-topology`, `callstream-sinks`)"),
          new Row(
              "CALLSTREAM_PG_BIN",
              "dev, tests",
              null,
              false,
              "folder of the Postgres server binaries (default: newest `/usr/lib/postgresql/*/bin`)"),
          new Row(
              "CALLSTREAM_APICURIO_HOME",
              "dev, tests",
              null,
              false,
              "unpacked Apicurio Registry (default: the distribution's `registry/`, or `devstack/target/apicurio-registry` in the build)"));

  static final Map<String, String> MEANINGS = new LinkedHashMap<>();

  static {
    meaning(
        "KAFKA_BOOTSTRAP_SERVERS",
        "Kafka's bootstrap servers (the query API needs them only for its live events and redrive)");
    meaning(
        "SCHEMA_REGISTRY_URL",
        "a Confluent-compatible registry, e.g. Apicurio's `.../apis/ccompat/v7`");
    meaning(
        "CALLSTREAM_SOURCES_FILE", "the webhook sources and tenant API keys (see Ingest gateway)");
    meaning(
        "CALLSTREAM_PUBLIC_BASE_URL",
        "the URL providers call, which Twilio signs; the request's own URL when unset");
    meaning("CALLSTREAM_GATEWAY_HOST", "where the gateway listens");
    meaning("CALLSTREAM_GATEWAY_PORT", "the gateway's port");
    meaning(
        "CALLSTREAM_PUBLISH_TIMEOUT_MS",
        "how long to wait for Kafka's acknowledgement before answering 503");
    meaning(
        "CALLSTREAM_MAX_BODY_BYTES",
        "largest call body accepted (at most 2 MiB, callstream's call limit); larger is 413");
    meaning(
        "CALLSTREAM_MAX_AUDIO_BODY_BYTES",
        "largest body from sources that send audio inline (ElevenLabs); their call events still take at most `CALLSTREAM_MAX_BODY_BYTES`");
    meaning(
        "CALLSTREAM_BLOB_DIR",
        "where audio sent inside webhooks is kept (Kafka carries only its URL); the query API serves"
            + " recordings from it");
    meaning("CALLSTREAM_GATEWAY_COMPRESSION", "the producer's compression");
    meaning("CALLSTREAM_GATEWAY_LINGER_MS", "the producer's linger");
    meaning("CALLSTREAM_QUERY_HOST", "where the query API listens");
    meaning("CALLSTREAM_QUERY_PORT", "the query API's port");
    meaning("DATABASE_URL", "the Postgres the sinks write (JDBC URL)");
    meaning("DATABASE_USER", "its user");
    meaning("DATABASE_PASSWORD", "its password (and that of `dev --database-url`)");
    meaning(
        "CALLSTREAM_READ_KEYS_FILE",
        "tenant and operator read keys, by their SHA-256 hashes (see Query API); the embedder is the topology's `OPENAI_*` or local one");
    meaning("CALLSTREAM_APPLICATION_ID", "the Kafka Streams application id");
    meaning("CALLSTREAM_STATE_DIR", "where the state stores live");
    meaning("CALLSTREAM_PROCESSING_GUARANTEE", "`exactly_once_v2` or `at_least_once`");
    meaning(
        "CALLSTREAM_STREAM_THREADS",
        "stream threads, one per call partition, so a task waiting at capacity holds up only its own thread");
    meaning("CALLSTREAM_ENRICHMENT_MODE", "`async`, or `sync`, the benchmark's baseline");
    meaning("CALLSTREAM_CAPACITY", "calls in flight per task");
    meaning(
        "CALLSTREAM_DRAIN_INTERVAL",
        "how often finished AI calls are forwarded when no record arrives");
    meaning("CALLSTREAM_DEDUPE_TTL", "how long event ids are remembered");
    meaning(
        "CALLSTREAM_CALL_FACTS_RETENTION",
        "how long a call's agent, direction, parties and times are kept for its recordings, and a recording that came first for its call");
    meaning("CALLSTREAM_AI_CACHE_MAX_AGE", "how long AI results are reused");
    meaning("CALLSTREAM_RETRY_DELAYS", "the three retry tiers' delays (`30s,5m,1h`)");
    meaning("CALLSTREAM_MAX_ATTEMPTS", "tries in all before an item is dead-lettered");
    meaning("CALLSTREAM_RETRY_CHECK_INTERVAL", "how often due retries are released");
    meaning("CALLSTREAM_CALLBACK_CHECK_INTERVAL", "how often due callbacks are sent");
    meaning(
        "CALLSTREAM_PII_REDACT_TENANTS",
        "tenants (comma-separated, `*` for all) whose calls are redacted before any AI call");
    meaning("CALLSTREAM_CHUNK_TOKENS", "chunk size in tokens");
    meaning("CALLSTREAM_CHUNK_OVERLAP_TOKENS", "overlap between chunks in tokens");
    meaning(
        "CALLSTREAM_SESSION_TIMEOUT",
        "how long an instance that stopped answering (killed, cut off) keeps its tasks before the others take them");
    meaning(
        "CALLSTREAM_COMMIT_INTERVAL",
        "how often each stream thread commits its transaction: longer means fewer transactions for the brokers and results visible that much later");
    meaning(
        "CALLSTREAM_STANDBY_REPLICAS",
        "warm copies of each task's state on other instances, so a failed instance's tasks restore fast");
    meaning(
        "CALLSTREAM_INSTANCE_ID",
        "a stable instance name (static group membership): a restarted instance takes its tasks straight back");
    meaning(
        "CALLSTREAM_LAG_GROUPS",
        "consumer groups besides the topology's own whose lag the topology's `/metrics` reports (`callstream_consumer_group_lag`)");
    meaning("CALLSTREAM_TOPOLOGY_HOST", "where the topology's health and metrics listen");
    meaning("CALLSTREAM_TOPOLOGY_PORT", "their port (0 picks a free one)");
    meaning(
        "OPENAI_BASE_URL",
        "an OpenAI-compatible endpoint (ending in `/v1`); unset, the offline `local` models run");
    meaning("OPENAI_API_KEY", "its key");
    meaning("OPENAI_CHAT_MODEL", "the chat model (analysis, documents)");
    meaning("OPENAI_EMBEDDING_MODEL", "the embedding model");
    meaning(
        "OPENAI_EMBEDDING_DIMENSIONS",
        "embedding size (the sinks' `embedding.dimensions` must match)");
    meaning("OPENAI_TRANSCRIPTION_MODEL", "the speech-to-text model");
    meaning(
        "OPENAI_ANALYZE_PROMPT_FILE",
        "your own analysis prompt; its file name without `.txt` is the prompt version, so a new name re-enriches replayed calls");
    meaning("OPENAI_MAX_CONCURRENCY", "requests in flight to the AI service");
    meaning("OPENAI_REQUESTS_PER_MINUTE", "the AI service's request rate limit");
    meaning("OPENAI_TOKENS_PER_MINUTE", "the AI service's token rate limit");
    meaning("OPENAI_TIMEOUT", "how long one request may take");
    meaning("CALLSTREAM_LOCAL_AI_WORKERS", "threads for the local models");
    meaning("CALLSTREAM_DEFAULT_CALLBACK_DELAY", "when to call back a caller who named no time");
  }

  private ConfigReference() {}

  private static void meaning(String variable, String text) {
    MEANINGS.put(variable, text);
  }

  /** Every variable: the config records' first (gateway, topology, AI), then the others. */
  public static List<Row> rows() {
    Map<String, Row> rows = new LinkedHashMap<>();
    add(
        rows,
        "gateway",
        EnvironmentReader.record(() -> quietly(() -> GatewayConfig.fromEnv(name -> null))));
    add(
        rows,
        "topology",
        EnvironmentReader.record(() -> quietly(() -> TopologyConfig.fromEnv(name -> null))));
    add(
        rows,
        "topology (AI)",
        EnvironmentReader.record(() -> quietly(() -> AiConfig.fromEnv(name -> null))));
    add(
        rows,
        "query-api",
        EnvironmentReader.record(() -> quietly(() -> QueryApiConfig.fromEnv(name -> null))));
    for (Row other : OUTSIDE_RECORDS) {
      rows.merge(
          other.variable(),
          other,
          (known, same) ->
              new Row(
                  known.variable(),
                  known.component() + ", " + same.component(),
                  known.fallback(),
                  known.required(),
                  known.meaning()));
    }
    return new ArrayList<>(rows.values());
  }

  /** The variables the config records read. */
  public static List<String> componentVariables() {
    return rows().stream()
        .filter(row -> !OUTSIDE_RECORDS.contains(row))
        .map(Row::variable)
        .toList();
  }

  /** The reference as the README's Markdown table. */
  public static String markdown() {
    StringBuilder table =
        new StringBuilder("| variable | read by | default | meaning |\n|---|---|---|---|\n");
    for (Row row : rows()) {
      table
          .append("| `")
          .append(row.variable())
          .append("` | ")
          .append(row.component())
          .append(" | ")
          .append(
              row.required()
                  ? "required"
                  : row.fallback() == null || row.fallback().isBlank()
                      ? ""
                      : "`" + row.fallback() + "`")
          .append(" | ")
          .append(row.meaning())
          .append(" |\n");
    }
    return table.toString();
  }

  private static void add(Map<String, Row> rows, String component, Map<String, Variable> read) {
    for (Variable variable : read.values()) {
      Row existing = rows.get(variable.name());
      if (existing != null) {
        rows.put(
            variable.name(),
            new Row(
                existing.variable(),
                existing.component() + ", " + component,
                existing.fallback(),
                existing.required() || variable.required(),
                existing.meaning()));
      } else {
        rows.put(
            variable.name(),
            new Row(
                variable.name(),
                component,
                variable.fallback(),
                variable.required(),
                MEANINGS.getOrDefault(variable.name(), "")));
      }
    }
  }

  /** Runs a {@code fromEnv} that fails on the empty environment after reading everything. */
  private static void quietly(Runnable read) {
    try {
      read.run();
    } catch (IllegalArgumentException expected) {
      // required variables are missing, which is the point
    }
  }
}
