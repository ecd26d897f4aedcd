package io.callstream.sinks.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A pooled connection to callstream's database. Writers run one transaction per batch (and per
 * chunk set); opening a connection for each would cost more than the writes.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource pool;
  private final Jdbi jdbi;

  public Database(String jdbcUrl, String user, String password, int maxConnections) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(maxConnections);
    config.setMinimumIdle(0);
    // Fail fast when the database is down, so the caller can retry instead of hanging.
    config.setConnectionTimeout(5_000);
    config.setInitializationFailTimeout(-1);
    config.setPoolName("callstream-sinks");
    this.pool = new HikariDataSource(config);
    this.jdbi = Jdbi.create(pool);
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    pool.close();
  }
}
