package io.callstream.sinks.postgres;

import java.util.List;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** One prepared statement run for every record of a batch, in one transaction. */
final class BatchedUpsert {
  private BatchedUpsert() {}

  /** Binds each record with {@code binder}, runs the batch, and returns the rows it changed. */
  static <T> int run(Jdbi jdbi, String sql, List<T> records, BiConsumer<PreparedBatch, T> binder) {
    if (records.isEmpty()) {
      return 0;
    }
    return jdbi.inTransaction(
        handle -> {
          PreparedBatch batch = handle.prepareBatch(sql);
          for (T record : records) {
            binder.accept(batch, record);
            batch.add();
          }
          int written = 0;
          for (int count : batch.execute()) {
            written += count;
          }
          return written;
        });
  }
}
