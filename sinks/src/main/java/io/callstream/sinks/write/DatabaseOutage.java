package io.callstream.sinks.write;

import java.net.ConnectException;
import java.sql.SQLException;
import org.jdbi.v3.core.JdbiException;

/**
 * The database cannot be reached or cannot take writes now, as opposed to this data being wrong:
 * the batch must be delivered again later, and nothing in it is skipped. The sink tasks turn it
 * into Connect's retriable exception.
 */
public final class DatabaseOutage extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseOutage(Throwable cause) {
    super("the database is unavailable: " + cause.getMessage(), cause);
  }

  /**
   * True when {@code error} is the database being unavailable: a connection failure (SQL state
   * class 08), an operator intervention such as a shutdown (57P), insufficient resources (53), a
   * refused connection, or a driver error with no state at all.
   */
  public static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        return state == null
            || state.startsWith("08")
            || state.startsWith("57P")
            || state.startsWith("53");
      }
      if (t instanceof ConnectException) {
        return true;
      }
    }
    return error instanceof JdbiException && error.getCause() == null;
  }

  /** {@code error} as an outage when it is one, else null. */
  static DatabaseOutage of(RuntimeException error) {
    return isOutage(error) ? new DatabaseOutage(error) : null;
  }
}
