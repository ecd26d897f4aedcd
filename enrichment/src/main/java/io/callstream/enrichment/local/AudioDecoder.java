package io.callstream.enrichment.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Decodes a recording in any format ffmpeg reads (MP3, WAV at any rate and channel count, OGG and
 * Opus, WEBM, M4A and AAC) to what pocketsphinx reads: 16 kHz mono 16-bit PCM WAV with a plain
 * 44-byte header. A file ffmpeg cannot decode whole (not audio, corrupt, cut short) is refused in
 * ffmpeg's own words, and a decode that runs past its time is stopped: never a hang.
 */
final class AudioDecoder {
  static final String BINARY = "ffmpeg";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** Why a recording cannot be decoded, led by a reason code; never worth a retry. */
  static final class Undecodable extends Exception {
    private static final long serialVersionUID = 1L;

    Undecodable(String reason) {
      super(reason);
    }
  }

  private static final int WAV_HEADER_BYTES = 44;
  private static final int BYTES_PER_SECOND = 16_000 * 2;

  private final String binary;
  private final String probe;

  /** {@code binary}: ffmpeg; its ffprobe is found beside it. */
  AudioDecoder(String binary) {
    this.binary = binary;
    this.probe = binary.replaceAll("ffmpeg$", "ffprobe");
  }

  /**
   * Writes {@code audio}, decoded, to {@code wav}. A recording that holds less audio than its
   * container declares (an MP3 or WEBM cut short in transfer decodes without an error) is refused,
   * and so is an Ogg file without its last page (an Ogg file declares no length; see {@link
   * OggPages}).
   */
  void decode(Path audio, Path wav) throws Undecodable, IOException, InterruptedException {
    run(
        List.of(
            binary,
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            // any decoding error fails the file rather than leaving a gap in it
            "-xerror",
            "-err_detect",
            "explode",
            "-i",
            audio.toString(),
            "-vn",
            "-ac",
            "1",
            "-ar",
            "16000",
            "-c:a",
            "pcm_s16le",
            "-fflags",
            "+bitexact",
            "-flags:a",
            "+bitexact",
            "-map_metadata",
            "-1",
            "-f",
            "wav",
            "-y",
            wav.toString()));
    String cut = OggPages.cutShort(audio);
    if (cut != null) {
      throw new Undecodable("undecodable_audio: the recording is cut short: " + cut);
    }
    double declared = declaredSeconds(audio);
    double decoded = durationMs(wav) / 1000.0;
    if (declared > 0 && decoded < declared - Math.max(0.25, declared * 0.02)) {
      throw new Undecodable(
          String.format(
              Locale.ROOT,
              "undecodable_audio: the recording is cut short: it declares %.1f s of audio but"
                  + " holds %.1f s",
              declared,
              decoded));
    }
  }

  /** How long a 16 kHz mono 16-bit WAV file with a plain 44-byte header plays. */
  static long durationMs(Path wav) throws IOException {
    return (Files.size(wav) - WAV_HEADER_BYTES) * 1000 / BYTES_PER_SECOND;
  }

  /** How long the container says its audio is; 0 when it does not say. */
  private double declaredSeconds(Path audio) throws Undecodable, IOException, InterruptedException {
    String said =
        run(
            List.of(
                probe,
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "default=noprint_wrappers=1:nokey=1",
                audio.toString()));
    try {
      return Double.parseDouble(said.trim());
    } catch (NumberFormatException unknown) {
      return 0; // "N/A": a stream that declares no length
    }
  }

  /** Runs {@code command} to its end and returns what it printed; refuses on failure. */
  private String run(List<String> command) throws Undecodable, IOException, InterruptedException {
    Path log = Files.createTempFile("callstream-ffmpeg-", ".log");
    try {
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException notInstalled) {
        throw new Undecodable(
            "missing_decoder: "
                + command.get(0)
                + " is not installed, and the recording is not 16 kHz mono WAV (Debian: apt-get"
                + " install ffmpeg; ./callstream test installs it)");
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new Undecodable(
            "undecodable_audio: decoding the recording took longer than " + TIMEOUT);
      }
      String said = Files.readString(log, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        List<String> lines = said.lines().limit(3).toList();
        throw new Undecodable(
            "undecodable_audio: ffmpeg cannot decode the recording to 16 kHz mono 16-bit WAV: "
                + (lines.isEmpty() ? "exit " + process.exitValue() : String.join("; ", lines)));
      }
      return said;
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
