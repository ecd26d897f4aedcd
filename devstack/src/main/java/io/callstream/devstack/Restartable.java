package io.callstream.devstack;

/**
 * A local service that can be stopped and started again with the same address and data, for tests
 * of outages; closing it stops it for good and removes what it kept in temporary folders.
 */
public interface Restartable extends AutoCloseable {

  /** Starts the service and waits until it serves; does nothing when it runs. */
  void start();

  /** Stops the service, keeping its data and address for the next {@link #start()}. */
  void stop();

  @Override
  void close();

  /** Starts {@code service}, closing it again (and removing its folders) when the start fails. */
  static <S extends Restartable> S startOrClose(S service) {
    try {
      service.start();
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }
}
