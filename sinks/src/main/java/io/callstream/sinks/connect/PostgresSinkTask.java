package io.callstream.sinks.connect;

import io.callstream.events.AgentTenant;
import io.callstream.events.CallDocument;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topics;
import io.callstream.sinks.postgres.CallWriter;
import io.callstream.sinks.postgres.DeadLetterWriter;
import io.callstream.sinks.postgres.RowWriters;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Writes enriched calls, transcripts, callbacks, documents, tenant stats, agents, retries,
 * recordings, dead letters and their redrive marks; a thin shell over the writers.
 */
public final class PostgresSinkTask extends SinkTask {
  private TaskResources resources;
  private CallWriter calls;
  private RowWriters rows;
  private DeadLetterWriter deadLetters;

  @Override
  public String version() {
    return PostgresSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    resources = new TaskResources(new SinkConnectorConfig(props), context);
    calls = new CallWriter(resources.jdbi);
    rows = new RowWriters(resources.jdbi);
    deadLetters = new DeadLetterWriter(resources.jdbi);
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    Map<String, List<SinkRecord>> byTopic =
        records.stream()
            .collect(
                Collectors.groupingBy(SinkRecord::topic, LinkedHashMap::new, Collectors.toList()));
    byTopic.forEach(
        (topic, batch) -> {
          switch (topic) {
            case Topics.CALLS_ENRICHED ->
                Batches.write(resources, batch, EnrichedCall.class, calls::write);
            case Topics.CALLS_TRANSCRIBED ->
                Batches.write(resources, batch, Transcript.class, rows::transcripts);
            case Topics.CALLBACKS_SCHEDULED, Topics.CALLBACKS_DUE ->
                Batches.write(resources, batch, Callback.class, rows::callbacks);
            case Topics.DOCUMENTS_GENERATED ->
                Batches.write(resources, batch, CallDocument.class, rows::documents);
            case Topics.TENANT_STATS ->
                Batches.write(resources, batch, TenantStats.class, rows::tenantStats);
            case Topics.CALLS_DLT ->
                Batches.write(
                    resources,
                    batch,
                    WorkItem.class,
                    (record, item) ->
                        new DeadLetterWriter.Entry(
                            record.kafkaPartition(),
                            record.kafkaOffset(),
                            Instant.ofEpochMilli(record.timestamp()),
                            item),
                    deadLetters::entries);
            case Topics.CALLS_RETRY_30S, Topics.CALLS_RETRY_5M, Topics.CALLS_RETRY_1H ->
                Batches.write(
                    resources,
                    batch,
                    WorkItem.class,
                    (record, item) ->
                        new RowWriters.Retry(
                            PostgresSinkConnector.retryTier(topic),
                            Instant.ofEpochMilli(record.timestamp()),
                            item),
                    rows::retries);
            case Topics.TENANTS_AGENTS ->
                Batches.writeRaw(
                    resources,
                    batch,
                    record -> {
                      if (record.key() == null) {
                        throw new IllegalArgumentException("an agent mapping without a key");
                      }
                      String agent = record.key().toString();
                      return new RowWriters.Agent(
                          agent,
                          record.value() == null
                              ? null
                              : resources.decode(record, AgentTenant.class));
                    },
                    rows::agents);
            case Topics.RECORDINGS_UPLOADED ->
                Batches.write(resources, batch, RecordingUploaded.class, rows::recordings);
            case Topics.CALLS_DLT_REDRIVEN ->
                Batches.writeRaw(resources, batch, DeadLetterMarks::parse, deadLetters::redrives);
            default ->
                batch.forEach(
                    r ->
                        resources.report(
                            r,
                            new IllegalArgumentException(
                                "topic " + topic + " is not one the Postgres sink writes")));
          }
        });
  }

  @Override
  public void stop() {
    if (resources != null) {
      resources.close();
    }
  }
}
