package io.callstream.sinks.write;

/**
 * Where a record goes that can never be stored (malformed, or refused by the database): Connect's
 * errant record reporter, behind the task. The rest of its batch still lands.
 */
@FunctionalInterface
public interface Errant {
  void report(Position position, Throwable error);
}
