package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The analyzer over an OpenAI-compatible chat model: one structured call per conversation with a
 * strict JSON-schema response format and a versioned prompt ({@code prompts/<version>.txt}). An
 * answer that does not fit the schema gets one repair request; a second bad answer, or a refusal,
 * is a permanent failure. Cost is estimated from the configured prices per million tokens.
 */
public final class OpenAiAnalyzer implements Analyzer {
  public static final String ANALYZER = "openai";
  public static final String PROMPT_VERSION = "analyze-v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiClient client;
  private final String model;
  private final double inputPricePerMillion;
  private final double outputPricePerMillion;
  private final String prompt = resource("/prompts/" + PROMPT_VERSION + ".txt");
  private final JsonNode schema = parse(resource("/prompts/call_analysis.schema.json"));

  public OpenAiAnalyzer(
      OpenAiClient client,
      String model,
      double inputPricePerMillion,
      double outputPricePerMillion) {
    this.client = client;
    this.model = model;
    this.inputPricePerMillion = inputPricePerMillion;
    this.outputPricePerMillion = outputPricePerMillion;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String promptVersion() {
    return PROMPT_VERSION;
  }

  @Override
  public CompletionStage<Outcome<Analysis>> analyze(Conversation conversation) {
    String transcript =
        "Call ended: "
            + conversation.endedAt()
            + "\nTime zone: "
            + conversation.timeZone()
            + "\n\n"
            + conversation.asText();
    ArrayNode messages = JSON.createArrayNode();
    messages.addObject().put("role", "system").put("content", prompt);
    messages.addObject().put("role", "user").put("content", transcript);
    return ask(messages, true);
  }

  private CompletableFuture<Outcome<Analysis>> ask(ArrayNode messages, boolean mayRepair) {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", model);
    request.put("temperature", 0);
    request.set("messages", messages);
    ObjectNode format = request.putObject("response_format");
    format.put("type", "json_schema");
    format
        .putObject("json_schema")
        .put("name", "call_analysis")
        .put("strict", true)
        .set("schema", schema);
    int estimate = 0;
    for (JsonNode message : messages) {
      estimate += Tokens.count(message.path("content").asText());
    }
    return client
        .postJson("/chat/completions", request, estimate + 500)
        .thenCompose(
            outcome ->
                switch (outcome) {
                  case Outcome.Success<JsonNode> success -> read(success, messages, mayRepair);
                  case Outcome.Transient<JsonNode> t ->
                      CompletableFuture.completedFuture(
                          Outcome.transientFailure(t.reason(), t.retryAfter()));
                  case Outcome.Permanent<JsonNode> p ->
                      CompletableFuture.completedFuture(Outcome.permanentFailure(p.reason()));
                });
  }

  private CompletableFuture<Outcome<Analysis>> read(
      Outcome.Success<JsonNode> answer, ArrayNode messages, boolean mayRepair) {
    JsonNode message = answer.result().path("choices").path(0).path("message");
    if (message.hasNonNull("refusal")) {
      return CompletableFuture.completedFuture(
          Outcome.permanentFailure("the model refused: " + message.get("refusal").asText()));
    }
    String content = message.path("content").asText("");
    Usage usage = priced(answer.usage());
    try {
      return CompletableFuture.completedFuture(
          Outcome.success(analysis(JSON.readTree(content)), usage));
    } catch (IOException | RuntimeException invalid) {
      if (!mayRepair) {
        return CompletableFuture.completedFuture(
            Outcome.permanentFailure(
                "invalid_json: the model's answer does not fit the schema after a repair attempt: "
                    + invalid.getMessage()));
      }
      ArrayNode repair = messages.deepCopy();
      repair.addObject().put("role", "assistant").put("content", content);
      repair
          .addObject()
          .put("role", "user")
          .put(
              "content",
              "That answer is not valid JSON for the schema ("
                  + invalid.getMessage()
                  + "). Answer again with only the JSON.");
      return ask(repair, false)
          .thenApply(
              outcome ->
                  outcome instanceof Outcome.Success<Analysis> s
                      ? Outcome.success(s.result(), s.usage().plus(usage))
                      : outcome);
    }
  }

  private Usage priced(Usage usage) {
    double cost =
        (usage.inputTokens() * inputPricePerMillion + usage.outputTokens() * outputPricePerMillion)
            / 1e6;
    return new Usage(usage.inputTokens(), usage.outputTokens(), 0, cost);
  }

  private Analysis analysis(JsonNode json) {
    for (String field :
        List.of("title", "summary", "sentiment", "success", "callback", "topics", "action_items")) {
      if (!json.has(field)) {
        throw new IllegalArgumentException("missing field " + field);
      }
    }
    Map<Conversation.Speaker, Double> speakers = new EnumMap<>(Conversation.Speaker.class);
    speakers.put(
        Conversation.Speaker.AGENT, json.path("speaker_sentiment").path("agent").asDouble());
    speakers.put(Conversation.Speaker.USER, json.path("speaker_sentiment").path("user").asDouble());
    JsonNode callback = json.path("callback");
    CallbackRequest request = null;
    if (callback.path("requested").asBoolean()) {
      String due = callback.path("due_at").isNull() ? null : callback.path("due_at").asText(null);
      request =
          new CallbackRequest(
              due == null ? null : OffsetDateTime.parse(due).toInstant(),
              due != null,
              callback.path("phrase").asText(null),
              callback.path("reason").isNull() ? null : callback.path("reason").asText(null));
    }
    return new Analysis(
        json.path("title").asText(),
        json.path("summary").asText(),
        Analysis.Sentiment.valueOf(json.path("sentiment").asText().toUpperCase(Locale.ROOT)),
        json.path("sentiment_score").asDouble(),
        speakers,
        Analysis.Success.valueOf(json.path("success").asText().toUpperCase(Locale.ROOT)),
        json.path("success_reason").asText(""),
        request,
        strings(json.path("topics")),
        strings(json.path("action_items")),
        ANALYZER,
        model,
        PROMPT_VERSION);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  private static String resource(String name) {
    try (InputStream in = OpenAiAnalyzer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
