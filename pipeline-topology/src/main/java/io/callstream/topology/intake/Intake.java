package io.callstream.topology.intake;

import io.callstream.events.CallEnded;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.topology.PipelineMetrics;
import io.callstream.topology.enrich.Stages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Turns input events into work items: a call starts at ANALYZE with its turns, a recording at
 * TRANSCRIBE. The item remembers where its event was read from (for dead letters) and whether a
 * replay re-published it (replays bypass dedupe).
 */
public final class Intake {
  private Intake() {}

  public static FixedKeyProcessor<String, CallEnded, WorkItem> calls(PipelineMetrics metrics) {
    return new ToWorkItem<>(
        metrics,
        call ->
            WorkItem.newBuilder()
                .setCallId(call.getCallId())
                .setEventId(call.getEventId())
                .setTenantId(call.getTenantId())
                .setStage(Stages.first(false))
                .setCall(withoutRawPayload(call)));
  }

  public static FixedKeyProcessor<String, RecordingUploaded, WorkItem> recordings(
      PipelineMetrics metrics) {
    return new ToWorkItem<>(
        metrics,
        recording ->
            WorkItem.newBuilder()
                .setCallId(recording.getCallId())
                .setEventId(recording.getEventId())
                .setTenantId(recording.getTenantId())
                .setStage(Stages.first(true))
                .setRecording(recording));
  }

  /**
   * The call without the provider's raw payload, which holds the same turns again: the payload
   * stays in {@code calls.ended.v1}, the source of truth for replay, and the work item (kept in the
   * in-flight store and the retry tiers) carries the call once.
   */
  private static CallEnded withoutRawPayload(CallEnded call) {
    return CallEnded.newBuilder(call).setRawPayload("").build();
  }

  /** The id dedupe folds by: the event id within its input topic. */
  public static String dedupeId(WorkItem item) {
    return item.getSourceTopic() + "/" + item.getEventId();
  }

  private static final class ToWorkItem<V> implements FixedKeyProcessor<String, V, WorkItem> {
    private final PipelineMetrics metrics;
    private final java.util.function.Function<V, WorkItem.Builder> start;
    private FixedKeyProcessorContext<String, WorkItem> context;

    ToWorkItem(PipelineMetrics metrics, java.util.function.Function<V, WorkItem.Builder> start) {
      this.metrics = metrics;
      this.start = start;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, WorkItem> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
      WorkItem.Builder item =
          start
              .apply(record.value())
              .setAcceptedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .setReplay(record.headers().lastHeader(EventHeaders.REPLAY) != null);
      Header traceparent = record.headers().lastHeader(EventHeaders.TRACEPARENT);
      if (traceparent != null && traceparent.value() != null) {
        item.setTraceParent(new String(traceparent.value(), StandardCharsets.UTF_8));
      }
      context
          .recordMetadata()
          .ifPresent(
              source ->
                  item.setSourceTopic(source.topic())
                      .setSourcePartition(source.partition())
                      .setSourceOffset(source.offset()));
      metrics.accepted();
      context.forward(record.withValue(item.build()));
    }
  }
}
