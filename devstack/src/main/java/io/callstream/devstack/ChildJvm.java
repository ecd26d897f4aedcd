package io.callstream.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    return start(main, List.of(), env, log, heap);
  }

  /** As above, with {@code args} for its {@code main}. */
  public static Process start(
      Class<?> main, List<String> args, Map<String, String> env, Path log, String heap)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    // A test runs a dozen of these on two cores: the serial collector and the client compiler keep
    // each from running GC and C2 compiler threads beside its work (a stream thread's loop, and
    // with it a rebalance, took seconds longer without them)
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }
}
