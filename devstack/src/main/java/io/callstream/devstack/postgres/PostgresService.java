package io.callstream.devstack.postgres;

/** A running Postgres server with the pgvector extension, and one database for callstream. */
public interface PostgresService extends AutoCloseable {

  /** JDBC URL of callstream's database. */
  String jdbcUrl();

  /** User to connect as. */
  String user();

  /** That user's password (empty with trust authentication). */
  String password();

  /** Stops the server. */
  @Override
  void close();
}
