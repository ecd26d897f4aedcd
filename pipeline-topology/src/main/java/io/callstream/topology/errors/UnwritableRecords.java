package io.callstream.topology.errors;

import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line behind the enrichment processor's own size checks: a record Kafka Streams cannot
 * serialize or write, or one a processor fails on, never kills a stream thread (which would stop
 * its partitions for good, as the same record fails again after every restart). The record is
 * skipped and a note goes to {@link Topics#TOPOLOGY_DLQ}: the key, the reason, the topic it was
 * meant for and the coordinates of the source record it came from, stamped with the wall clock (a
 * record written by a punctuator has no timestamp of its own). A processing failure keeps the
 * source record's bytes, so it can be replayed once fixed. Transient send errors are retried.
 */
public final class UnwritableRecords
    implements ProductionExceptionHandler, ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(UnwritableRecords.class);

  /** Header naming the topic an unwritable record was meant for. */
  public static final String TARGET_TOPIC = "callstream.dlt.target.topic";

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public ProductionExceptionHandler.Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return ProductionExceptionHandler.Response.retry();
    }
    return ProductionExceptionHandler.Response.resume(
        List.of(note(context, record.topic(), record.key(), null, exception)));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public ProductionExceptionHandler.Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return ProductionExceptionHandler.Response.resume(
        List.of(note(context, record.topic(), null, null, exception)));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return ProcessingExceptionHandler.Response.resume(
        List.of(
            note(
                context,
                context.processorNodeId(),
                context.sourceRawKey(),
                context.sourceRawValue(),
                exception)));
  }

  static ProducerRecord<byte[], byte[]> note(
      ErrorHandlerContext context, String target, byte[] key, byte[] value, Exception exception) {
    String reason = exception.getClass().getSimpleName() + ": " + exception.getMessage();
    LOG.error(
        "a record for {} (source {}-{}@{}) cannot be written or processed and goes to {}: {}",
        target,
        context.topic(),
        context.partition(),
        context.offset(),
        Topics.TOPOLOGY_DLQ,
        reason,
        exception);
    Headers headers = new RecordHeaders();
    add(headers, EventHeaders.DLT_REASON, reason);
    add(headers, TARGET_TOPIC, target);
    add(headers, EventHeaders.DLT_SOURCE_TOPIC, context.topic());
    add(headers, EventHeaders.DLT_SOURCE_PARTITION, Integer.toString(context.partition()));
    add(headers, EventHeaders.DLT_SOURCE_OFFSET, Long.toString(context.offset()));
    return new ProducerRecord<>(
        Topics.TOPOLOGY_DLQ, null, System.currentTimeMillis(), key, value, headers);
  }

  private static void add(Headers headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
