package io.callstream.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recordings for the demo and the tests: speech made by {@code flite} (a 16 kHz WAV, which
 * pocketsphinx hears as it is), and encoded by {@code ffmpeg} into whatever format a provider
 * stores.
 */
public final class Speech {
  private Speech() {}

  /** {@code text} spoken into the 16 kHz WAV file {@code wav}. */
  public static Path speak(String text, Path wav) throws IOException, InterruptedException {
    run(List.of("flite", "-voice", "kal16", "-t", text, "-o", wav.toString()));
    return wav;
  }

  /**
   * {@code wav} encoded into {@code out} with {@code encoding}, ffmpeg's output options (for
   * example {@code -c:a libmp3lame -b:a 64k}).
   */
  public static Path encode(Path wav, Path out, String encoding)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", wav.toString()));
    command.addAll(Arrays.asList(encoding.trim().split("\\s+")));
    command.add(out.toString());
    run(command);
    return out;
  }

  /**
   * Runs {@code command} to its end, within a minute. Its output goes to a file rather than a pipe,
   * so a command that hangs is stopped at the minute instead of blocking the read of its output.
   */
  private static void run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("callstream-speech-", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " took longer than a minute");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed: "
                + Files.readString(log, StandardCharsets.UTF_8).strip());
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
