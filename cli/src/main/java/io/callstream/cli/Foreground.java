package io.callstream.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Runs long-lived parts until the process is told to stop, then closes them in reverse order. */
final class Foreground {
  private Foreground() {}

  static int runUntilStopped(String name, List<AutoCloseable> parts) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = parts.size() - 1; i >= 0; i--) {
                    try {
                      parts.get(i).close();
                    } catch (Exception e) {
                      System.err.println(name + ": stopping failed: " + e.getMessage());
                    }
                  }
                  stopped.countDown();
                },
                name + "-shutdown"));
    stopped.await();
    return 0;
  }
}
