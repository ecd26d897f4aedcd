package io.callstream.enrichment.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.callstream.enrichment.text.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in for a paid OpenAI-compatible API, for tests and benchmarks: chat completions
 * answering with JSON that fits the requested schema (derived from the conversation in the prompt),
 * embeddings (deterministic per text), and audio transcriptions in {@code verbose_json}. Latency
 * follows a log-normal distribution given by its median and p99; a configurable share of requests
 * fail with 429 (and Retry-After), 500, a hang past the client's timeout, or a malformed body.
 * Requests are counted per endpoint, and served as JSON at {@code GET /simulator/requests}.
 */
public final class AiSimulator implements AutoCloseable {

  /** How long answers take: log-normal with this median and 99th percentile. */
  public record Latency(Duration median, Duration p99) {
    public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);
  }

  /**
   * Shares of requests (0 to 1) that fail each way; invalidContent answers chat in prose instead of
   * JSON; permanent refuses the request (400), which no retry fixes.
   */
  public record Faults(
      double tooManyRequests,
      Duration retryAfter,
      double serverError,
      double hang,
      double malformed,
      double invalidContent,
      double permanent) {
    public static final Faults NONE = new Faults(0, Duration.ZERO, 0, 0, 0, 0, 0);

    public Faults(
        double tooManyRequests,
        Duration retryAfter,
        double serverError,
        double hang,
        double malformed,
        double invalidContent) {
      this(tooManyRequests, retryAfter, serverError, hang, malformed, invalidContent, 0);
    }
  }

  public static final String CHAT = "/v1/chat/completions";
  public static final String EMBEDDINGS = "/v1/embeddings";
  public static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration HANG = Duration.ofSeconds(120);

  private final HttpServer server;
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong injected = new AtomicLong();
  private final AtomicLong repeated = new AtomicLong();
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private volatile Latency latency;
  private volatile Faults faults;
  private volatile boolean freshAnswers;
  private final java.util.concurrent.atomic.AtomicInteger brokenExtractions =
      new java.util.concurrent.atomic.AtomicInteger();
  private final SimulatedAnswers answers = new SimulatedAnswers();

  private AiSimulator(HttpServer server, Latency latency, Faults faults) {
    this.server = server;
    this.latency = latency;
    this.faults = faults;
  }

  /** Starts on {@code port} (0 for a free one) on the loopback interface. */
  public static AiSimulator start(int port, Latency latency, Faults faults) {
    // The JDK server closes idle keep-alive connections beyond 200; hundreds of concurrent
    // clients, as against a real AI service, need more.
    if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
      System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
    }
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
      AiSimulator simulator = new AiSimulator(server, latency, faults);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/v1/", simulator::handle);
      server.createContext("/simulator/requests", simulator::counts);
      server.start();
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the AI simulator on port " + port, e);
    }
  }

  /** The base URL to give an OpenAI client, ending in {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public void latency(Latency latency) {
    this.latency = latency;
  }

  /**
   * With {@code fresh}, every analysis answers with a summary of its own (numbered by the request),
   * as a real model's would differ on every call: a result written twice shows.
   */
  public void freshAnswers(boolean fresh) {
    this.freshAnswers = fresh;
  }

  /**
   * The next {@code count} analyses that ask for extracted data answer with data that does not fit
   * the plan's schema (a string where an object is wanted).
   */
  public void breakExtractions(int count) {
    brokenExtractions.set(count);
  }

  public void faults(Faults faults) {
    this.faults = faults;
  }

  /** Requests received on {@code path} (for example {@link #CHAT}), failed ones included. */
  public long requests(String path) {
    AtomicLong count = requests.get(path);
    return count == null ? 0 : count.get();
  }

  public long totalRequests() {
    return requests.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Requests answered with an injected fault (rate limit, error, hang, malformed, refusal). */
  public long faultsInjected() {
    return injected.get();
  }

  /**
   * Requests answered although the very same request was answered before: work done again (a task
   * that moved resubmitting what its old owner had already asked), not a retry of a fault.
   */
  public long repeatedRequests() {
    return repeated.get();
  }

  private static String digest(byte[] body) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void counts(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, Long> counts = new java.util.TreeMap<>();
      requests.forEach((path, count) -> counts.put(path, count.get()));
      byte[] body = JSON.writeValueAsBytes(counts);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      sleep(sampleLatency());
      Faults now = faults;
      double roll = ThreadLocalRandom.current().nextDouble();
      if (roll
          < now.tooManyRequests()
              + now.serverError()
              + now.hang()
              + now.malformed()
              + now.permanent()) {
        injected.incrementAndGet();
      }
      if ((roll -= now.permanent()) < 0) {
        respond(
            exchange,
            400,
            "{\"error\":{\"message\":\"The request was refused (simulated permanent failure)\",\"type\":\"invalid_request_error\"}}");
        return;
      }
      if ((roll -= now.tooManyRequests()) < 0) {
        exchange
            .getResponseHeaders()
            .add("Retry-After", Long.toString(Math.max(1, now.retryAfter().toSeconds())));
        respond(
            exchange,
            429,
            "{\"error\":{\"message\":\"Rate limit reached (simulated)\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
        return;
      }
      if ((roll -= now.serverError()) < 0) {
        respond(
            exchange,
            500,
            "{\"error\":{\"message\":\"The server had an error (simulated)\",\"type\":\"server_error\"}}");
        return;
      }
      if ((roll -= now.hang()) < 0) {
        sleep(HANG);
        return;
      }
      if ((roll -= now.malformed()) < 0) {
        respond(exchange, 200, "{\"id\": \"chatcmpl-sim\", \"choices\": [ {\"message\": ");
        return;
      }
      if (!answered.add(path + ":" + digest(body))) {
        repeated.incrementAndGet();
      }
      try {
        switch (path) {
          case CHAT -> respond(exchange, 200, chat(body));
          case EMBEDDINGS -> respond(exchange, 200, embeddings(body));
          case TRANSCRIPTIONS ->
              respond(exchange, 200, answers.transcription(body.length).toString());
          default ->
              respond(exchange, 404, "{\"error\":{\"message\":\"unknown endpoint " + path + "\"}}");
        }
      } catch (RuntimeException e) {
        respond(
            exchange,
            400,
            "{\"error\":{\"message\":"
                + JSON.writeValueAsString(String.valueOf(e.getMessage()))
                + ",\"type\":\"invalid_request_error\"}}");
      }
    }
  }

  private String chat(byte[] body) throws IOException {
    JsonNode request = JSON.readTree(body);
    JsonNode messages = request.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("messages is required");
    }
    String prompt = messages.get(messages.size() - 1).path("content").asText();
    JsonNode jsonSchema = request.path("response_format").path("json_schema");
    String schemaName = jsonSchema.path("name").asText("");
    String content =
        ThreadLocalRandom.current().nextDouble() < faults.invalidContent()
            ? "Sorry, I can only answer in prose today."
            : answers.forSchema(
                schemaName,
                jsonSchema.path("schema"),
                prompt,
                jsonSchema.path("schema").path("properties").has("extracted")
                    && brokenExtractions.getAndUpdate(n -> Math.max(0, n - 1)) > 0);
    if (freshAnswers && schemaName.equals("call_analysis") && content.startsWith("{")) {
      ObjectNode fresh = (ObjectNode) JSON.readTree(content);
      fresh.put("summary", fresh.path("summary").asText() + " [answer " + requests(CHAT) + "]");
      content = fresh.toString();
    }
    ObjectNode response = JSON.createObjectNode();
    response.put("id", "chatcmpl-sim-" + requests(CHAT));
    response.put("object", "chat.completion");
    response.put("created", System.currentTimeMillis() / 1000);
    response.put("model", request.path("model").asText("simulated"));
    ObjectNode choice = response.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    int promptTokens = 0;
    for (JsonNode message : messages) {
      promptTokens += Tokens.count(message.path("content").asText());
    }
    ObjectNode usage = response.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", Tokens.count(content));
    usage.put("total_tokens", promptTokens + Tokens.count(content));
    return response.toString();
  }

  private String embeddings(byte[] body) throws IOException {
    JsonNode request = JSON.readTree(body);
    JsonNode input = request.path("input");
    int dimensions = request.path("dimensions").asInt(384);
    boolean base64 = request.path("encoding_format").asText("float").equals("base64");
    ObjectNode response = JSON.createObjectNode();
    response.put("object", "list");
    response.put("model", request.path("model").asText("simulated"));
    ArrayNode data = response.putArray("data");
    int tokens = 0;
    int index = 0;
    for (JsonNode text : input.isArray() ? input : JSON.createArrayNode().add(input)) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", index++);
      float[] values = SimulatedAnswers.vector(text.asText(), dimensions);
      if (base64) { // little-endian float32s, as OpenAI encodes them
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode vector = item.putArray("embedding");
        for (float value : values) {
          vector.add(value);
        }
      }
      tokens += Tokens.count(text.asText());
    }
    response.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return response.toString();
  }

  private Duration sampleLatency() {
    return sample(latency, ThreadLocalRandom.current());
  }

  /** A draw from the log-normal distribution with the latency's median and 99th percentile. */
  static Duration sample(Latency latency, java.util.Random random) {
    if (latency.median().isZero()) {
      return Duration.ZERO;
    }
    double sigma = Math.log((double) latency.p99().toNanos() / latency.median().toNanos()) / 2.3263;
    return Duration.ofNanos(
        (long) (latency.median().toNanos() * Math.exp(sigma * random.nextGaussian())));
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
