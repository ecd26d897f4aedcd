package io.callstream.topology.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class UnwritableRecordsTest {
  private final UnwritableRecords handler = new UnwritableRecords();

  /** A record written by a punctuator: no source, no timestamp (-1). */
  private static final ErrorHandlerContext PUNCTUATED = context(null, -1, -1, -1);

  @Test
  void aRecordTooLargeIsSkippedWithANoteStampedByTheWallClock() {
    long before = System.currentTimeMillis();
    ProductionExceptionHandler.Response response =
        handler.handleError(
            PUNCTUATED,
            new ProducerRecord<>(Topics.CALLS_ENRICHED, bytes("call-1"), new byte[10]),
            new RecordTooLargeException("the record is 40000000 bytes"));

    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    ProducerRecord<byte[], byte[]> note = response.deadLetterQueueRecords().get(0);
    assertThat(note.topic()).isEqualTo(Topics.TOPOLOGY_DLQ);
    assertThat(note.key()).isEqualTo(bytes("call-1"));
    assertThat(note.value()).isNull();
    assertThat(note.timestamp()).isGreaterThanOrEqualTo(before);
    assertThat(header(note, UnwritableRecords.TARGET_TOPIC)).isEqualTo(Topics.CALLS_ENRICHED);
    assertThat(header(note, EventHeaders.DLT_REASON))
        .isEqualTo("RecordTooLargeException: the record is 40000000 bytes");
    assertThat(note.headers().lastHeader(EventHeaders.DLT_SOURCE_TOPIC)).isNull();
  }

  @Test
  void aTransientSendErrorIsRetried() {
    assertThat(
            handler
                .handleError(
                    PUNCTUATED,
                    new ProducerRecord<>(Topics.CALLS_ENRICHED, bytes("k"), bytes("v")),
                    new NotEnoughReplicasException("one replica"))
                .result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);
  }

  @Test
  void aProcessingFailureKeepsTheSourceRecordAndItsCoordinates() {
    ErrorHandlerContext source = context(Topics.CALLS_ENDED, 3, 1234, 1_700_000_000_000L);
    ProcessingExceptionHandler.Response response =
        handler.handleError(
            source, new Record<>("call-2", "value", 0L), new IllegalStateException("a bug"));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    ProducerRecord<byte[], byte[]> note = response.deadLetterQueueRecords().get(0);
    assertThat(note.key()).isEqualTo(bytes("raw-key"));
    assertThat(note.value()).isEqualTo(bytes("raw-value"));
    assertThat(header(note, EventHeaders.DLT_SOURCE_TOPIC)).isEqualTo(Topics.CALLS_ENDED);
    assertThat(header(note, EventHeaders.DLT_SOURCE_PARTITION)).isEqualTo("3");
    assertThat(header(note, EventHeaders.DLT_SOURCE_OFFSET)).isEqualTo("1234");
    assertThat(header(note, EventHeaders.DLT_REASON)).isEqualTo("IllegalStateException: a bug");
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static ErrorHandlerContext context(
      String topic, int partition, long offset, long timestamp) {
    return new ErrorHandlerContext() {
      @Override
      public String topic() {
        return topic;
      }

      @Override
      public int partition() {
        return partition;
      }

      @Override
      public long offset() {
        return offset;
      }

      @Override
      public Headers headers() {
        return new RecordHeaders();
      }

      @Override
      public String processorNodeId() {
        return "enrich";
      }

      @Override
      public TaskId taskId() {
        return new TaskId(0, Math.max(partition, 0));
      }

      @Override
      public long timestamp() {
        return timestamp;
      }

      @Override
      public byte[] sourceRawKey() {
        return bytes("raw-key");
      }

      @Override
      public byte[] sourceRawValue() {
        return bytes("raw-value");
      }
    };
  }
}
