package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.callstream.enrichment.Transcriber;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.TextSpan;
import java.io.IOException;
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
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;

/**
 * Speech-to-text over an OpenAI-compatible {@code /audio/transcriptions} endpoint (whisper-1 and
 * compatible servers), asking for {@code verbose_json} with word and segment timestamps. Cost is
 * estimated from the configured price per audio minute.
 */
public final class OpenAiTranscriber implements Transcriber {
  private final OpenAiClient client;
  private final String model;
  private final double pricePerMinute;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public OpenAiTranscriber(OpenAiClient client, String model, double pricePerMinute) {
    this.client = client;
    this.model = model;
    this.pricePerMinute = pricePerMinute;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public CompletionStage<Outcome<Transcription>> transcribe(URI audio) {
    return fetch(audio)
        .thenCompose(bytes -> upload(audio, bytes))
        .exceptionally(
            failure -> {
              Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
              return cause instanceof IllegalArgumentException
                  ? Outcome.permanentFailure(cause.getMessage())
                  : Outcome.transientFailure(
                      "fetching the audio failed: " + cause.getMessage(), Duration.ZERO);
            });
  }

  private CompletableFuture<Outcome<Transcription>> upload(URI audio, byte[] bytes) {
    String name = Path.of(audio.getPath()).getFileName().toString();
    RequestBody body =
        new MultipartBody.Builder()
            .setType(MultipartBody.FORM)
            .addFormDataPart(
                "file", name, RequestBody.create(bytes, MediaType.get("application/octet-stream")))
            .addFormDataPart("model", model)
            .addFormDataPart("response_format", "verbose_json")
            .addFormDataPart("timestamp_granularities[]", "word")
            .addFormDataPart("timestamp_granularities[]", "segment")
            .build();
    return client
        .post("/audio/transcriptions", body, 1)
        .thenApply(
            outcome ->
                switch (outcome) {
                  case Outcome.Success<JsonNode> s -> read(s.result());
                  case Outcome.Transient<JsonNode> t ->
                      Outcome.transientFailure(t.reason(), t.retryAfter());
                  case Outcome.Permanent<JsonNode> p -> Outcome.permanentFailure(p.reason());
                });
  }

  private Outcome<Transcription> read(JsonNode json) {
    List<TextSpan.Word> words = new ArrayList<>();
    json.path("words")
        .forEach(
            w ->
                words.add(
                    new TextSpan.Word(
                        w.path("word").asText().trim(),
                        millis(w.path("start")),
                        millis(w.path("end")))));
    List<Transcription.Segment> segments = new ArrayList<>();
    for (JsonNode s : json.path("segments")) {
      long start = millis(s.path("start"));
      long end = millis(s.path("end"));
      List<TextSpan.Word> inside =
          words.stream().filter(w -> w.startMs() >= start && w.startMs() < end).toList();
      segments.add(
          new Transcription.Segment(
              segments.size(), s.path("text").asText().trim(), start, end, null, inside));
    }
    long durationMs = millis(json.path("duration"));
    double cost = durationMs / 60_000.0 * pricePerMinute;
    return Outcome.success(
        new Transcription(
            json.path("text").asText().trim(),
            segments,
            json.path("language").asText(null),
            durationMs,
            model),
        new Usage(0, 0, durationMs, cost));
  }

  /** The audio's bytes: read from disk, or downloaded without blocking a thread. */
  private CompletableFuture<byte[]> fetch(URI audio) {
    if ("file".equals(audio.getScheme())) {
      try {
        return CompletableFuture.completedFuture(Files.readAllBytes(Path.of(audio)));
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (!"http".equals(audio.getScheme()) && !"https".equals(audio.getScheme())) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("cannot fetch audio from a " + audio.getScheme() + ": URL"));
    }
    return http.sendAsync(
            HttpRequest.newBuilder(audio).timeout(Duration.ofMinutes(2)).build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .thenCompose(
            response ->
                response.statusCode() == 200
                    ? CompletableFuture.completedFuture(response.body())
                    : CompletableFuture.failedFuture(
                        new IOException(
                            "fetching " + audio + " answered " + response.statusCode())));
  }

  private static long millis(JsonNode seconds) {
    return Math.round(seconds.asDouble() * 1000);
  }
}
