package io.callstream.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of a callstream component (its {@code main}, configured by {@code env}) in a JVM of
 * its own, which a test can stop cleanly (SIGTERM: the component's shutdown hook runs), kill
 * (SIGKILL) and start again with the same configuration; its output goes to {@code log}, appended
 * across restarts.
 */
public final class ChildProcess implements AutoCloseable {
  private final Class<?> main;
  private final Map<String, String> env;
  private final Path log;
  private final String heap;
  private int starts;
  private Process process;

  public ChildProcess(Class<?> main, Map<String, String> env, Path log, String heap) {
    this.main = main;
    this.env = Map.copyOf(env);
    this.log = log;
    this.heap = heap;
  }

  /** Starts the JVM; does nothing while it runs. */
  public synchronized ChildProcess start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      starts++;
      Path file = log.resolveSibling(log.getFileName() + (starts == 1 ? "" : "." + starts));
      process = ChildJvm.start(main, env, file, heap);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + main.getSimpleName(), e);
    }
  }

  /** SIGKILL, and waits until the process is gone. */
  public synchronized void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGTERM, waiting up to {@code seconds} for a clean stop before a SIGKILL. */
  public synchronized void stop(int seconds) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The variables the instance was started with. */
  public Map<String, String> env() {
    return env;
  }

  @Override
  public void close() {
    try {
      stop(30);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
