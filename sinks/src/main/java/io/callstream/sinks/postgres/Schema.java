package io.callstream.sinks.postgres;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * callstream's Postgres schema, owned by Flyway migrations in {@code db/callstream}. The embedding
 * column's dimension is fixed when the chunk table is created.
 */
public final class Schema {
  private Schema() {}

  /** Brings the database up to date; a no-op when it is. */
  public static MigrateResult migrate(
      String jdbcUrl, String user, String password, int embeddingDimensions) {
    return Flyway.configure()
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/callstream")
        .placeholders(Map.of("embedding_dims", Integer.toString(embeddingDimensions)))
        .load()
        .migrate();
  }
}
