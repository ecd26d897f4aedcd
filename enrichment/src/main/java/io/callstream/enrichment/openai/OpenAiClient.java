package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server), used
 * asynchronously: no thread waits on a request in flight. Requests are limited in concurrency (the
 * HTTP dispatcher queues the rest), paced to the request and token rates, and guarded by a circuit
 * breaker that opens when too many fail. Every answer becomes an {@link Outcome}: 429, 5xx,
 * timeouts, connection failures and an open circuit are transient (with the server's Retry-After
 * when it gave one), other 4xx permanent.
 */
public final class OpenAiClient implements AutoCloseable {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String apiKey;
  private final OkHttpClient http;
  private final ScheduledExecutorService scheduler;
  private final RateLimiter requestRate;
  private final RateLimiter tokenRate;
  private final CircuitBreaker circuit;
  private final Duration circuitOpenFor;

  public OpenAiClient(String baseUrl, String apiKey, OpenAiLimits limits) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.apiKey = apiKey;
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(limits.maxConcurrency());
    dispatcher.setMaxRequestsPerHost(limits.maxConcurrency());
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .callTimeout(limits.timeout())
            .readTimeout(limits.timeout())
            // A pooled connection the server has already closed fails before the request is
            // read; OkHttp then resends once on a fresh connection. AI calls are at-least-once
            // anyway (their results are cached by input), so this costs no correctness.
            .retryOnConnectionFailure(true)
            .build();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("openai-pacing").daemon(true).unstarted(r));
    this.requestRate = new RateLimiter(limits.requestsPerMinute(), scheduler, System::nanoTime);
    this.tokenRate = new RateLimiter(limits.tokensPerMinute(), scheduler, System::nanoTime);
    this.circuitOpenFor = limits.circuitOpenFor();
    this.circuit =
        CircuitBreaker.of(
            this.baseUrl,
            CircuitBreakerConfig.custom()
                // The window spans the requests in flight at once, so a burst of failures
                // among hundreds of concurrent calls does not open the circuit by itself.
                .slidingWindowSize(Math.max(20, limits.maxConcurrency()))
                .minimumNumberOfCalls(Math.max(10, limits.maxConcurrency() / 2))
                .failureRateThreshold(50)
                .waitDurationInOpenState(limits.circuitOpenFor())
                .permittedNumberOfCallsInHalfOpenState(3)
                .build());
  }

  /** The circuit's state, for health and tests. */
  public CircuitBreaker.State circuitState() {
    return circuit.getState();
  }

  /**
   * POSTs JSON to {@code path} (relative to the base URL) counting {@code estimatedTokens} against
   * the token rate.
   */
  public CompletableFuture<Outcome<JsonNode>> postJson(
      String path, JsonNode body, int estimatedTokens) {
    return send(path, RequestBody.create(body.toString(), JSON_TYPE), estimatedTokens);
  }

  /** POSTs a ready-made body (for example a multipart upload) to {@code path}. */
  public CompletableFuture<Outcome<JsonNode>> post(
      String path, RequestBody body, int estimatedTokens) {
    return send(path, body, estimatedTokens);
  }

  private CompletableFuture<Outcome<JsonNode>> send(
      String path, RequestBody body, int estimatedTokens) {
    if (!circuit.tryAcquirePermission()) {
      return CompletableFuture.completedFuture(
          Outcome.transientFailure(
              "circuit open for " + baseUrl + " after repeated failures", circuitOpenFor));
    }
    Request request =
        new Request.Builder()
            .url(baseUrl + path)
            .header("Authorization", "Bearer " + apiKey)
            .post(body)
            .build();
    return requestRate
        .acquire(1)
        .thenCompose(ready -> tokenRate.acquire(Math.max(1, estimatedTokens)))
        .thenCompose(ready -> execute(request));
  }

  private CompletableFuture<Outcome<JsonNode>> execute(Request request) {
    CompletableFuture<Outcome<JsonNode>> result = new CompletableFuture<>();
    long start = System.nanoTime();
    http.newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                circuit.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                String kind =
                    e instanceof InterruptedIOException ? "timeout" : "connection failure";
                result.complete(
                    Outcome.transientFailure(
                        kind + " calling " + request.url().encodedPath() + ": " + e.getMessage(),
                        Duration.ZERO));
              }

              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  result.complete(classify(response, System.nanoTime() - start));
                } catch (IOException e) {
                  onFailure(call, e);
                }
              }
            });
    return result;
  }

  private Outcome<JsonNode> classify(Response response, long nanos) throws IOException {
    String text = response.body().string();
    int status = response.code();
    String where = response.request().url().encodedPath();
    if (status == 429) {
      circuit.releasePermission();
      return Outcome.transientFailure(
          "429 from " + where + ": " + message(text), retryAfter(response));
    }
    if (status >= 500) {
      circuit.onError(nanos, TimeUnit.NANOSECONDS, new IOException("HTTP " + status));
      return Outcome.transientFailure(
          status + " from " + where + ": " + message(text), retryAfter(response));
    }
    circuit.onSuccess(nanos, TimeUnit.NANOSECONDS);
    if (status >= 400) {
      return Outcome.permanentFailure(status + " from " + where + ": " + message(text));
    }
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (IOException e) {
      // A cut-off or garbled answer: the request itself was fine, so another try may succeed.
      return Outcome.transientFailure("malformed response from " + where, Duration.ZERO);
    }
    JsonNode usage = body.path("usage");
    return Outcome.success(
        body,
        new Usage(
            usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(), 0, 0));
  }

  /** The server's Retry-After (seconds or an HTTP date), or zero when it sent none. */
  static Duration retryAfter(Response response) {
    String header = response.header("Retry-After");
    if (header == null || header.isBlank()) {
      String millis = response.header("retry-after-ms");
      return millis == null
          ? Duration.ZERO
          : Duration.ofMillis((long) Double.parseDouble(millis.trim()));
    }
    try {
      return Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until =
            Duration.between(
                ZonedDateTime.now(),
                ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (RuntimeException notADate) {
        return Duration.ZERO;
      }
    }
  }

  private static String message(String body) {
    try {
      String message = JSON.readTree(body).path("error").path("message").asText("");
      return message.isEmpty() ? body : message;
    } catch (IOException e) {
      return body.length() > 200 ? body.substring(0, 200) : body;
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
