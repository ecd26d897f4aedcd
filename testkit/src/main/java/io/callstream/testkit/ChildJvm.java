package io.callstream.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A callstream component (its {@code main} class) in a JVM of its own, on the test's class path,
 * with {@code env} as its environment and its output in {@code log}: a process a test can stop, or
 * kill with SIGKILL ({@link Process#destroyForcibly}), and start again.
 */
public final class ChildJvm {
  private ChildJvm() {}

  public static Process start(Class<?> main, Map<String, String> env, Path log, String heap)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                main.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }
}
