package io.callstream.devstack.postgres;

import java.sql.DriverManager;
import java.sql.SQLException;

/** A running Postgres server with the pgvector extension, and one database for callstream. */
public interface PostgresService extends AutoCloseable {

  /** JDBC URL of callstream's database. */
  String jdbcUrl();

  /** User to connect as. */
  String user();

  /** That user's password (empty with trust authentication). */
  String password();

  /**
   * Drops database {@code name} if it exists, creates it empty, and returns its JDBC URL: for a
   * test that wants tables of its own on the shared server.
   */
  default String freshDatabase(String name) {
    try (var connection = DriverManager.getConnection(jdbcUrl(), user(), password());
        var statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name);
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    String url = jdbcUrl();
    int slash = url.lastIndexOf('/');
    int query = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + name + (query < 0 ? "" : url.substring(query));
  }

  /** Stops the server. */
  @Override
  void close();
}
