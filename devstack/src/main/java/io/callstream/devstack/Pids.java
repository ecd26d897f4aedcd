package io.callstream.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Process ids kept in files by the services that run as processes of their own. */
public final class Pids {
  private Pids() {}

  /** The process id on the first line of {@code file}, or empty when there is none. */
  public static Optional<Long> read(Path file) {
    try {
      List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
      return lines.isEmpty() || !lines.get(0).strip().matches("\\d+")
          ? Optional.empty()
          : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The process's command line, or empty when it is gone or cannot be read. */
  public static String commandLine(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
  }

  /** Asks the process to stop, and kills it when it has not within ten seconds. */
  public static void stop(long pid) {
    ProcessHandle.of(pid)
        .ifPresent(
            process -> {
              process.destroy();
              try {
                process.onExit().get(10, TimeUnit.SECONDS);
              } catch (Exception notYet) {
                process.destroyForcibly();
                process.onExit().join();
              }
            });
  }
}
