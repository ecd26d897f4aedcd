package io.callstream.schemas.topics;

import io.callstream.events.AgentTenant;
import io.callstream.events.CallChunk;
import io.callstream.events.CallDocument;
import io.callstream.events.CallEnded;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.WorkItem;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The Avro value schema of every topic whose values are Avro, registered under the subject {@code
 * <topic>-value}. The undecodable-records queue and the redrive marks carry no Avro.
 */
public final class TopicValues {
  private static final Map<String, Schema> VALUES =
      new TreeMap<>(
          Map.ofEntries(
              Map.entry(Topics.CALLS_ENDED, CallEnded.getClassSchema()),
              Map.entry(Topics.RECORDINGS_UPLOADED, RecordingUploaded.getClassSchema()),
              Map.entry(Topics.TENANTS_AGENTS, AgentTenant.getClassSchema()),
              Map.entry(Topics.CALLS_TRANSCRIBED, Transcript.getClassSchema()),
              Map.entry(Topics.CALLS_ENRICHED, EnrichedCall.getClassSchema()),
              Map.entry(Topics.CALLS_CHUNKS, CallChunk.getClassSchema()),
              Map.entry(Topics.DOCUMENTS_GENERATED, CallDocument.getClassSchema()),
              Map.entry(Topics.CALLBACKS_SCHEDULED, Callback.getClassSchema()),
              Map.entry(Topics.CALLBACKS_DUE, Callback.getClassSchema()),
              Map.entry(Topics.CALLS_RETRY_30S, WorkItem.getClassSchema()),
              Map.entry(Topics.CALLS_RETRY_5M, WorkItem.getClassSchema()),
              Map.entry(Topics.CALLS_RETRY_1H, WorkItem.getClassSchema()),
              Map.entry(Topics.CALLS_DLT, WorkItem.getClassSchema()),
              Map.entry(Topics.TENANT_STATS, TenantStats.getClassSchema())));

  private TopicValues() {}

  /** Topic name to value schema, for every topic with Avro values, sorted by topic. */
  public static Map<String, Schema> all() {
    return java.util.Collections.unmodifiableMap(VALUES);
  }

  /** The value schema of {@code topic}, when its values are Avro. */
  public static Optional<Schema> of(String topic) {
    return Optional.ofNullable(VALUES.get(topic));
  }

  /** The registry subject of {@code topic}'s values. */
  public static String subject(String topic) {
    return topic + "-value";
  }
}
