package io.callstream.enrichment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.Speech;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.text.TextSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** flite speaks a voicemail; pocketsphinx must hear it back with word times in order. */
class PocketsphinxTranscriberIT {
  static final String VOICEMAIL =
      "Hello, I am calling about the leak under my kitchen sink. The water has been dripping since last "
          + "night and the cabinet floor is wet. I would like someone to come out and look at it this week. "
          + "Please call me back tomorrow morning at nine to set up a time. You can also send me a message "
          + "if that is easier. Thank you very much and have a good day.";

  private static final PocketsphinxTranscriber transcriber = new PocketsphinxTranscriber(1);

  @TempDir Path dir;

  @AfterAll
  static void close() {
    transcriber.close();
  }

  @Test
  void transcribesASpokenVoicemailWithWordTimesInOrder() throws Exception {
    Path wav = speak(VOICEMAIL, "voicemail.wav");

    Outcome<Transcription> outcome =
        transcriber.transcribe(wav.toUri()).toCompletableFuture().join();

    assertThat(outcome).isInstanceOf(Outcome.Success.class);
    Transcription transcription = ((Outcome.Success<Transcription>) outcome).result();
    List<String> expected = words(VOICEMAIL);
    List<String> heard = words(transcription.text());
    double wer = WordErrorRate.of(expected, heard);
    System.out.printf(
        "pocketsphinx on a %d-word flite voicemail: WER %.3f%n  heard: %s%n",
        expected.size(), wer, transcription.text());
    assertThat(expected.size()).isGreaterThanOrEqualTo(60);
    assertThat(wer).isLessThanOrEqualTo(0.25);

    long previousStart = -1;
    for (Transcription.Segment segment : transcription.segments()) {
      for (TextSpan.Word word : segment.words()) {
        assertThat(word.startMs()).isGreaterThanOrEqualTo(previousStart);
        assertThat(word.endMs()).isGreaterThanOrEqualTo(word.startMs());
        previousStart = word.startMs();
      }
      assertThat(segment.startMs()).isLessThanOrEqualTo(segment.endMs());
    }
    assertThat(transcription.segments().size()).isGreaterThan(1);
    assertThat(transcription.durationMs()).isGreaterThan(15_000);
    assertThat(((Outcome.Success<Transcription>) outcome).usage().audioMillis())
        .isEqualTo(transcription.durationMs());
  }

  /**
   * The gateway keeps ElevenLabs audio as {@code .mp3}; WAV under that name is read all the same.
   */
  @Test
  void aWavFileNamedOtherwiseIsTranscribed() throws Exception {
    Path wav = speak("Please call me back on Friday.", "call.mp3");

    Outcome<Transcription> outcome =
        transcriber.transcribe(wav.toUri()).toCompletableFuture().join();

    assertThat(outcome).isInstanceOf(Outcome.Success.class);
    assertThat(((Outcome.Success<Transcription>) outcome).result().text()).contains("friday");
    assertThat(wav).exists();
  }

  @Test
  void audioItCannotReadIsAPermanentFailure() throws Exception {
    Path notWav =
        Files.writeString(
            dir.resolve("note.wav"), "not audio at all, just text long enough to have a header");
    Outcome<Transcription> outcome =
        transcriber.transcribe(notWav.toUri()).toCompletableFuture().join();
    assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
    assertThat(((Outcome.Permanent<Transcription>) outcome).reason())
        .contains("16 kHz mono 16-bit WAV");
  }

  @Test
  void aMissingRecogniserIsAPermanentFailureThatSaysWhatToInstall() throws Exception {
    Path wav = speak("hello", "tone.wav");
    try (PocketsphinxTranscriber missing =
        new PocketsphinxTranscriber(1, "no-such-pocketsphinx", "ffmpeg")) {
      Outcome<Transcription> outcome = missing.transcribe(wav.toUri()).toCompletableFuture().join();
      assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
      assertThat(((Outcome.Permanent<Transcription>) outcome).reason())
          .contains("apt-get install pocketsphinx pocketsphinx-en-us");
    }
  }

  /**
   * flite speech encoded as each common recording format (and WAV at other rates and channel
   * counts) is decoded by ffmpeg and heard back with word times.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "call.mp3  | -c:a libmp3lame -b:a 64k",
        "call.ogg  | -c:a libopus -b:a 32k",
        "call.webm | -c:a libopus -b:a 32k",
        "call.m4a  | -c:a aac -b:a 64k",
        "call8k-stereo.wav | -ar 8000 -ac 2",
        "call44k.wav | -ar 44100",
      })
  void everyCommonFormatIsDecodedAndTranscribedWithWordTimes(String name, String encoding)
      throws Exception {
    Path encoded = encode(speak(FORMATS_TEXT), name, encoding);

    Outcome<Transcription> outcome =
        transcriber.transcribe(encoded.toUri()).toCompletableFuture().join();

    assertThat(outcome).as(outcome.toString()).isInstanceOf(Outcome.Success.class);
    Transcription transcription = ((Outcome.Success<Transcription>) outcome).result();
    double wer = WordErrorRate.of(words(FORMATS_TEXT), words(transcription.text()));
    assertThat(wer).as(name + " heard: " + transcription.text()).isLessThanOrEqualTo(0.35);
    assertThat(transcription.segments()).isNotEmpty();
    assertThat(transcription.segments().get(0).words()).isNotEmpty();
    assertThat(transcription.durationMs()).isBetween(2_000L, 10_000L);
  }

  @Test
  void aTruncatedMp3IsAPermanentFailureInFfmpegsWords() throws Exception {
    Path mp3 = encode(speak(FORMATS_TEXT), "whole.mp3", "-c:a libmp3lame -b:a 64k");
    byte[] bytes = Files.readAllBytes(mp3);
    Path truncated =
        Files.write(dir.resolve("truncated.mp3"), Arrays.copyOf(bytes, bytes.length / 2 + 7));

    Outcome<Transcription> outcome =
        transcriber.transcribe(truncated.toUri()).toCompletableFuture().join();

    assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
    assertThat(((Outcome.Permanent<Transcription>) outcome).reason())
        .startsWith("undecodable_audio: the recording is cut short: it declares")
        .contains("truncated.mp3");
  }

  @Test
  void aTruncatedOggIsAPermanentFailureSayingItLacksItsEnd() throws Exception {
    Path ogg = encode(speak(FORMATS_TEXT), "whole.ogg", "-c:a libopus -b:a 32k");
    byte[] bytes = Files.readAllBytes(ogg);
    // cut at a page boundary (ffmpeg decodes it without a word) and within a page
    int boundary = lastPageStart(bytes);
    Path atPage = Files.write(dir.resolve("cut-at-page.ogg"), Arrays.copyOf(bytes, boundary));
    Path inPage = Files.write(dir.resolve("cut-in-page.ogg"), Arrays.copyOf(bytes, boundary + 40));

    for (Path truncated : List.of(atPage, inPage)) {
      Outcome<Transcription> outcome =
          transcriber.transcribe(truncated.toUri()).toCompletableFuture().join();
      assertThat(outcome).as(truncated.toString()).isInstanceOf(Outcome.Permanent.class);
      assertThat(((Outcome.Permanent<Transcription>) outcome).reason())
          .startsWith("undecodable_audio: the recording is cut short: its")
          .contains(truncated.getFileName().toString());
    }
    // the whole file is not refused
    assertThat(transcriber.transcribe(ogg.toUri()).toCompletableFuture().join())
        .isInstanceOf(Outcome.Success.class);
  }

  /** Where the last Ogg page of {@code bytes} starts. */
  private static int lastPageStart(byte[] bytes) {
    for (int i = bytes.length - 4; i > 0; i--) {
      if (bytes[i] == 'O' && bytes[i + 1] == 'g' && bytes[i + 2] == 'g' && bytes[i + 3] == 'S') {
        return i;
      }
    }
    throw new IllegalStateException("not an Ogg file");
  }

  @Test
  void aMissingDecoderIsAPermanentFailureThatSaysWhatToInstall() throws Exception {
    Path mp3 = encode(speak("hello"), "hello.mp3", "-c:a libmp3lame");
    try (PocketsphinxTranscriber missing =
        new PocketsphinxTranscriber(1, PocketsphinxTranscriber.BINARY, "no-such-ffmpeg")) {
      Outcome<Transcription> outcome = missing.transcribe(mp3.toUri()).toCompletableFuture().join();
      assertThat(outcome).isInstanceOf(Outcome.Permanent.class);
      assertThat(((Outcome.Permanent<Transcription>) outcome).reason())
          .contains("apt-get install ffmpeg");
    }
  }

  private static final String FORMATS_TEXT =
      "Hello, my dishwasher is broken. Please call me back on Friday morning.";

  private Path speak(String text) throws Exception {
    return speak(text, Files.createTempFile(dir, "speech-", ".wav").getFileName().toString());
  }

  /** {@code text} spoken by flite (16 kHz WAV) into the file {@code name} of the test folder. */
  private Path speak(String text, String name) throws Exception {
    return Speech.speak(text, dir.resolve(name));
  }

  private Path encode(Path wav, String name, String encoding) throws Exception {
    return Speech.encode(wav, dir.resolve(name), encoding);
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.toLowerCase().replaceAll("[^a-z' ]", " ").trim().split("\\s+"))
        .toList();
  }
}
