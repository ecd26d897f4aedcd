package io.callstream.sinks.postgres;

import io.callstream.events.WorkItem;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Dead letters and their redrive marks, each keyed by its entry's place in {@code calls.dlt.v1}: an
 * entry is written once (a replay of the topic changes nothing), and a redrive mark is kept beside
 * it whichever lands first.
 */
public final class DeadLetterWriter {

  /** An entry of {@code calls.dlt.v1}: where it is, when it was written, and the item. */
  public record Entry(int partition, long offset, Instant deadLetteredAt, WorkItem item) {}

  /**
   * A mark of {@code dlt.redriven.v1}: the entry at {@code partition}-{@code offset} was redriven.
   */
  public record Redrive(int partition, long offset, Instant redrivenAt) {}

  private static final String ENTRY =
      "INSERT INTO dead_letters (dlt_partition, dlt_offset, call_id, tenant_id, event_id, reason,"
          + " stage, attempts, redrives, errors, source_topic, source_partition, source_offset,"
          + " dead_lettered_at) VALUES (:partition, :offset, :call_id, :tenant_id, :event_id,"
          + " :reason, :stage, :attempts, :redrives, CAST(:errors AS jsonb), :source_topic,"
          + " :source_partition, :source_offset, :dead_lettered_at)"
          + " ON CONFLICT (dlt_partition, dlt_offset) DO NOTHING";
  private static final String REDRIVE =
      "INSERT INTO dead_letter_redrives (dlt_partition, dlt_offset, redriven_at)"
          + " VALUES (:partition, :offset, :redriven_at)"
          + " ON CONFLICT (dlt_partition, dlt_offset) DO NOTHING";

  private final Jdbi jdbi;

  public DeadLetterWriter(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public int entries(List<Entry> entries) {
    return BatchedUpsert.run(
        jdbi,
        ENTRY,
        entries,
        (batch, entry) -> {
          WorkItem item = entry.item();
          batch
              .bind("partition", entry.partition())
              .bind("offset", entry.offset())
              .bind("call_id", item.getCallId())
              .bind("tenant_id", item.getTenantId())
              .bind("event_id", item.getEventId())
              .bind(
                  "reason",
                  item.getDeadLetterReason() == null ? "unknown" : item.getDeadLetterReason())
              .bind("stage", item.getStage().name())
              .bind("attempts", item.getAttempt())
              .bind("redrives", item.getRedrives())
              .bind("errors", Json.errors(item.getErrors()))
              .bind("source_topic", item.getSourceTopic())
              .bind("source_partition", item.getSourcePartition())
              .bind("source_offset", item.getSourceOffset())
              .bind("dead_lettered_at", Timestamp.from(entry.deadLetteredAt()));
        });
  }

  public int redrives(List<Redrive> marks) {
    return BatchedUpsert.run(
        jdbi,
        REDRIVE,
        marks,
        (batch, mark) ->
            batch
                .bind("partition", mark.partition())
                .bind("offset", mark.offset())
                .bind("redriven_at", Timestamp.from(mark.redrivenAt())));
  }
}
