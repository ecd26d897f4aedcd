package io.callstream.enrichment.local;

import io.callstream.enrichment.Transcriber;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.TextSpan;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Offline speech-to-text with CMU pocketsphinx (Debian's {@code pocketsphinx} and {@code
 * pocketsphinx-en-us}), run as a child process on at most {@code workers} recordings at a time.
 * Recordings in any common format are decoded with ffmpeg to the 16 kHz mono 16-bit WAV it reads
 * ({@link AudioDecoder}); words come with their times and segments split at pauses of 150 ms or
 * more. An honest offline baseline: good on clear speech, weak on names and noisy lines.
 */
public final class PocketsphinxTranscriber implements Transcriber, AutoCloseable {
  public static final String MODEL = "pocketsphinx-en-us";
  static final String BINARY = "pocketsphinx_continuous";
  private static final long PAUSE_MS = 150;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final ExecutorService workers;
  private final String binary;
  private final AudioDecoder decoder;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public PocketsphinxTranscriber(int workers) {
    this(workers, BINARY, AudioDecoder.BINARY);
  }

  PocketsphinxTranscriber(int workers, String binary, String decoder) {
    this.binary = binary;
    this.decoder = new AudioDecoder(decoder);
    this.workers =
        Executors.newFixedThreadPool(
            workers, r -> Thread.ofPlatform().name("pocketsphinx").daemon(true).unstarted(r));
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public CompletionStage<Outcome<Transcription>> transcribe(URI audio) {
    return CompletableFuture.supplyAsync(() -> run(audio), workers);
  }

  private Outcome<Transcription> run(URI audio) {
    List<Path> temporary = new ArrayList<>();
    try {
      Path recording;
      if ("file".equals(audio.getScheme())) {
        recording = Path.of(audio);
      } else if ("http".equals(audio.getScheme()) || "https".equals(audio.getScheme())) {
        recording = temporary(temporary, ".audio");
        HttpResponse<Path> response =
            http.send(
                HttpRequest.newBuilder(audio).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofFile(recording));
        if (response.statusCode() == 429 || response.statusCode() >= 500) {
          return Outcome.transientFailure(
              "fetching the audio answered " + response.statusCode(), Duration.ZERO);
        }
        if (response.statusCode() != 200) {
          return Outcome.permanentFailure("fetching the audio answered " + response.statusCode());
        }
      } else {
        return Outcome.permanentFailure("cannot fetch audio from a " + audio.getScheme() + ": URL");
      }
      if (!Files.isReadable(recording)) {
        return Outcome.permanentFailure("no audio at " + audio);
      }
      Path wav = recording;
      // pocketsphinx reads 16 kHz mono WAV only, and goes by the file's name
      if (!isWav16kMono(recording) || !recording.getFileName().toString().endsWith(".wav")) {
        wav = temporary(temporary, ".wav");
        decoder.decode(recording, wav);
      }
      return recognise(wav);
    } catch (AudioDecoder.Undecodable e) {
      return Outcome.permanentFailure(e.getMessage() + " (" + audio + ")");
    } catch (IOException e) {
      return Outcome.transientFailure("reading the audio failed: " + e.getMessage(), Duration.ZERO);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.transientFailure("interrupted", Duration.ZERO);
    } finally {
      for (Path file : temporary) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temp file left behind
        }
      }
    }
  }

  private static Path temporary(List<Path> temporary, String suffix) throws IOException {
    Path file = Files.createTempFile("callstream-audio-", suffix);
    temporary.add(file);
    return file;
  }

  private Outcome<Transcription> recognise(Path wav) throws IOException, InterruptedException {
    Process process;
    try {
      process =
          new ProcessBuilder(
                  binary, "-infile", wav.toString(), "-time", "yes", "-logfn", "/dev/null")
              .redirectErrorStream(true)
              .start();
    } catch (IOException notInstalled) {
      return Outcome.permanentFailure(
          binary
              + " is not installed (Debian: apt-get install pocketsphinx pocketsphinx-en-us; ./callstream test installs it)");
    }
    String output;
    try (InputStream out = process.getInputStream()) {
      output = new String(out.readAllBytes());
    }
    if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return Outcome.transientFailure("pocketsphinx took longer than " + TIMEOUT, Duration.ZERO);
    }
    if (process.exitValue() != 0) {
      return Outcome.permanentFailure(
          "pocketsphinx exited with "
              + process.exitValue()
              + ": "
              + output.lines().limit(3).toList());
    }
    long durationMs = AudioDecoder.durationMs(wav);
    Transcription transcription = parse(output, durationMs);
    return Outcome.success(transcription, new Usage(0, 0, durationMs, 0));
  }

  /** Reads pocketsphinx's {@code -time yes} output: {@code word start end confidence} lines. */
  static Transcription parse(String output, long durationMs) {
    List<Transcription.Segment> segments = new ArrayList<>();
    List<TextSpan.Word> words = new ArrayList<>();
    double confidence = 0;
    long pauseStart = -1;
    for (String line : output.lines().toList()) {
      String[] cells = line.trim().split("\\s+");
      if (cells.length != 4
          || !cells[1].matches("\\d+\\.\\d+")
          || !cells[2].matches("\\d+\\.\\d+")) {
        continue; // the hypothesis line and anything else
      }
      String token = cells[0];
      long start = Math.round(Double.parseDouble(cells[1]) * 1000);
      long end = Math.round(Double.parseDouble(cells[2]) * 1000);
      if (token.equals("<sil>")
          || token.equals("<s>")
          || token.equals("</s>")
          || token.startsWith("[")
          || token.startsWith("+")) {
        if (token.equals("<sil>") && end - start >= PAUSE_MS || token.equals("</s>")) {
          flush(segments, words, confidence);
          words = new ArrayList<>();
          confidence = 0;
        }
        continue;
      }
      String word = token.replaceAll("\\(\\d+\\)$", "");
      words.add(new TextSpan.Word(word, start, end));
      confidence += Double.parseDouble(cells[3]);
    }
    flush(segments, words, confidence);
    String text = String.join(" ", segments.stream().map(Transcription.Segment::text).toList());
    return new Transcription(text, segments, "en-US", durationMs, MODEL);
  }

  private static void flush(
      List<Transcription.Segment> segments, List<TextSpan.Word> words, double confidence) {
    if (words.isEmpty()) {
      return;
    }
    String text = String.join(" ", words.stream().map(TextSpan.Word::text).toList());
    segments.add(
        new Transcription.Segment(
            segments.size(),
            text,
            words.get(0).startMs(),
            words.get(words.size() - 1).endMs(),
            confidence / words.size(),
            List.copyOf(words)));
  }

  /** True for a RIFF/WAVE file with PCM, 1 channel, 16 000 Hz, 16 bits. */
  static boolean isWav16kMono(Path wav) throws IOException {
    byte[] header = new byte[44];
    try (InputStream in = Files.newInputStream(wav)) {
      if (in.readNBytes(header, 0, 44) < 44) {
        return false;
      }
    }
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.wrap(header).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    return new String(header, 0, 4).equals("RIFF")
        && new String(header, 8, 4).equals("WAVE")
        && b.getShort(20) == 1
        && b.getShort(22) == 1
        && b.getInt(24) == 16_000
        && b.getShort(34) == 16;
  }

  @Override
  public void close() {
    workers.shutdown();
  }
}
