package io.callstream.sinks.write;

import io.callstream.events.AgentTenant;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topic;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.sinks.postgres.CallWriter;
import io.callstream.sinks.postgres.DeadLetterWriter;
import io.callstream.sinks.postgres.RowWriters;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes the records of every topic the Postgres sink reads ({@link #TOPICS}) to its table, with no
 * Connect type in sight: enriched calls, transcripts, callbacks, documents, tenant stats, agents,
 * retries, recordings, dead letters and their redrive marks. Values arrive decoded as their topic's
 * type in the topic catalog; each topic names only the writer its rows go to.
 */
public final class PostgresSink {
  private final Map<String, Consumer<List<Delivery<?>>>> writers = new HashMap<>();
  private final Errant errant;

  public PostgresSink(Jdbi jdbi, Errant errant) {
    this.errant = errant;
    CallWriter calls = new CallWriter(jdbi);
    RowWriters rows = new RowWriters(jdbi);
    DeadLetterWriter deadLetters = new DeadLetterWriter(jdbi);
    values(TopicCatalog.CALLS_ENRICHED, calls::write);
    values(TopicCatalog.CALLS_TRANSCRIBED, rows::transcripts);
    values(TopicCatalog.CALLBACKS_SCHEDULED, rows::callbacks);
    values(TopicCatalog.CALLBACKS_DUE, rows::callbacks);
    values(TopicCatalog.DOCUMENTS_GENERATED, rows::documents);
    values(TopicCatalog.TENANT_STATS, rows::tenantStats);
    values(TopicCatalog.RECORDINGS_UPLOADED, rows::recordings);
    rows(TopicCatalog.TENANTS_AGENTS, PostgresSink::agent, rows::agents);
    rows(TopicCatalog.CALLS_DLT, PostgresSink::deadLetter, deadLetters::entries);
    rows(TopicCatalog.CALLS_DLT_REDRIVEN, PostgresSink::redrive, deadLetters::redrives);
    for (Topic<WorkItem> tier :
        List.of(
            TopicCatalog.CALLS_RETRY_30S,
            TopicCatalog.CALLS_RETRY_5M,
            TopicCatalog.CALLS_RETRY_1H)) {
      // the tier as call_retries names it: 30s, 5m, 1h
      String label =
          tier.name().substring("calls.retry.".length(), tier.name().length() - ".v1".length());
      rows(
          tier,
          delivery -> new RowWriters.Retry(label, delivery.timestamp(), Batches.valueOf(delivery)),
          rows::retries);
    }
  }

  /** The topics this sink writes. */
  public Set<String> topics() {
    return writers.keySet();
  }

  /**
   * Writes one topic's batch.
   *
   * @throws DatabaseOutage when the database is unavailable: deliver the batch again
   */
  public void write(String topic, List<Delivery<?>> batch) {
    Consumer<List<Delivery<?>>> writer = writers.get(topic);
    if (writer == null) {
      batch.forEach(
          delivery ->
              errant.report(
                  delivery.position(),
                  new IllegalArgumentException(
                      "topic " + topic + " is not one the Postgres sink writes")));
      return;
    }
    writer.accept(batch);
  }

  private <V> void values(Topic<V> topic, ToIntFunction<List<V>> writer) {
    rows(topic, Batches::valueOf, writer);
  }

  @SuppressWarnings("unchecked")
  private <V, R> void rows(
      Topic<V> topic, Function<Delivery<V>, R> toRow, ToIntFunction<List<R>> writer) {
    writers.put(
        topic.name(),
        batch -> Batches.write((List<Delivery<V>>) (List<?>) batch, toRow, writer, errant));
  }

  /** A mapping of {@code tenants.agents.v1}, keyed by agent; a tombstone removes the agent. */
  private static RowWriters.Agent agent(Delivery<AgentTenant> delivery) {
    if (delivery.key() == null) {
      throw new IllegalArgumentException("an agent mapping without a key");
    }
    return new RowWriters.Agent(delivery.key(), delivery.value());
  }

  private static DeadLetterWriter.Entry deadLetter(Delivery<WorkItem> delivery) {
    return new DeadLetterWriter.Entry(
        delivery.position().partition(),
        delivery.position().offset(),
        delivery.timestamp(),
        Batches.valueOf(delivery));
  }

  /**
   * A redrive mark of {@code dlt.redriven.v1}: the key names the entry as {@code partition-offset},
   * the value is the redrive time as ISO-8601 text.
   */
  static DeadLetterWriter.Redrive redrive(Delivery<String> delivery) {
    String key = delivery.key();
    String value = delivery.value();
    String[] place = key == null ? new String[0] : key.split("-", 2);
    try {
      return new DeadLetterWriter.Redrive(
          Integer.parseInt(place[0]), Long.parseLong(place[1]), Instant.parse(value));
    } catch (DateTimeParseException
        | NumberFormatException
        | ArrayIndexOutOfBoundsException
        | NullPointerException e) {
      throw new IllegalArgumentException(
          "a redrive mark must be keyed partition-offset with an ISO time as its value, not "
              + key
              + " = "
              + value,
          e);
    }
  }
}
