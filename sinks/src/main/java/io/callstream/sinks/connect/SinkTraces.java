package io.callstream.sinks.connect;

import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.trace.CallTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The sinks' part of a call's trace: a span per record for the batch write that stores it, a child
 * of the span its {@code traceparent} header names (the topology stage that produced it). Records
 * without the header (tracing off upstream) get none.
 */
final class SinkTraces {
  private final List<Span> spans;

  private SinkTraces(List<Span> spans) {
    this.spans = spans;
  }

  /** Opens the spans of {@code records}' write by {@code writer} (the connector's table). */
  static SinkTraces writing(Collection<SinkRecord> records, String writer) {
    if (!CallTracing.enabled()) {
      return new SinkTraces(List.of()); // no header read, no span, per record of the batch
    }
    Tracer tracer = CallTracing.tracer();
    List<Span> spans = new ArrayList<>();
    for (SinkRecord record : records) {
      String traceparent = traceparent(record);
      if (traceparent != null) {
        spans.add(
            tracer
                .spanBuilder("sink write " + record.topic())
                .setParent(CallTracing.parent(traceparent))
                .setAttribute("callstream.sink", writer)
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.kafka.offset", record.kafkaOffset())
                .setAttribute("callstream.batch_records", (long) records.size())
                .startSpan());
      }
    }
    return new SinkTraces(spans);
  }

  void written() {
    spans.forEach(Span::end);
  }

  void failed(Exception error) {
    spans.forEach(
        span -> {
          span.setStatus(StatusCode.ERROR, error.getMessage());
          span.end();
        });
  }

  private static String traceparent(SinkRecord record) {
    Header header = record.headers().lastWithName(EventHeaders.TRACEPARENT);
    if (header == null || header.value() == null) {
      return null;
    }
    return header.value() instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : header.value().toString();
  }
}
