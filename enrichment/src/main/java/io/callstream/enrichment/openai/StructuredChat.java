package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.Tokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One chat completion whose answer must be JSON fitting a schema (strict {@code json_schema}
 * response format), read into a result by {@code reader}. An answer that does not parse or read
 * gets one repair request; a second bad answer, or a refusal, is a permanent failure. Usage is
 * priced from the configured prices per million tokens.
 */
final class StructuredChat {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiClient client;
  private final String model;
  private final double inputPricePerMillion;
  private final double outputPricePerMillion;

  StructuredChat(
      OpenAiClient client,
      String model,
      double inputPricePerMillion,
      double outputPricePerMillion) {
    this.client = client;
    this.model = model;
    this.inputPricePerMillion = inputPricePerMillion;
    this.outputPricePerMillion = outputPricePerMillion;
  }

  <T> CompletableFuture<Outcome<T>> ask(
      String system,
      String user,
      String schemaName,
      JsonNode schema,
      Function<JsonNode, T> reader) {
    return ask(system, user, schemaName, schema, true, reader);
  }

  /**
   * As above; without {@code strict} the service is asked for JSON of the schema but does not
   * enforce it (a tenant's own schema need not meet strict mode's rules), and {@code reader}
   * validates the answer.
   */
  <T> CompletableFuture<Outcome<T>> ask(
      String system,
      String user,
      String schemaName,
      JsonNode schema,
      boolean strict,
      Function<JsonNode, T> reader) {
    ArrayNode messages = JSON.createArrayNode();
    messages.addObject().put("role", "system").put("content", system);
    messages.addObject().put("role", "user").put("content", user);
    return ask(messages, new Format(schemaName, schema, strict), reader, true);
  }

  private record Format(String name, JsonNode schema, boolean strict) {}

  private <T> CompletableFuture<Outcome<T>> ask(
      ArrayNode messages, Format answer, Function<JsonNode, T> reader, boolean mayRepair) {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", model);
    request.put("temperature", 0);
    request.set("messages", messages);
    ObjectNode format = request.putObject("response_format");
    format.put("type", "json_schema");
    format
        .putObject("json_schema")
        .put("name", answer.name())
        .put("strict", answer.strict())
        .set("schema", answer.schema());
    int estimate = 0;
    for (JsonNode message : messages) {
      estimate += Tokens.count(message.path("content").asText());
    }
    return client
        .postJson("/chat/completions", request, estimate + 500)
        .thenCompose(
            outcome ->
                switch (outcome) {
                  case Outcome.Success<JsonNode> s -> read(s, messages, answer, reader, mayRepair);
                  case Outcome.Transient<JsonNode> t ->
                      CompletableFuture.completedFuture(
                          Outcome.transientFailure(t.reason(), t.retryAfter()));
                  case Outcome.Permanent<JsonNode> p ->
                      CompletableFuture.completedFuture(Outcome.permanentFailure(p.reason()));
                });
  }

  private <T> CompletableFuture<Outcome<T>> read(
      Outcome.Success<JsonNode> response,
      ArrayNode messages,
      Format answer,
      Function<JsonNode, T> reader,
      boolean mayRepair) {
    JsonNode message = response.result().path("choices").path(0).path("message");
    if (message.hasNonNull("refusal")) {
      return CompletableFuture.completedFuture(
          Outcome.permanentFailure("refused: " + message.get("refusal").asText()));
    }
    String content = message.path("content").asText("");
    Usage usage = priced(response.usage());
    try {
      return CompletableFuture.completedFuture(
          Outcome.success(reader.apply(JSON.readTree(content)), usage));
    } catch (IOException | RuntimeException invalid) {
      if (!mayRepair) {
        return CompletableFuture.completedFuture(
            Outcome.permanentFailure(
                "invalid_json: the answer does not fit the schema after a repair attempt: "
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
      return this.<T>ask(repair, answer, reader, false)
          .thenApply(
              outcome ->
                  outcome instanceof Outcome.Success<T> s
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

  static String resource(String name) {
    try (InputStream in = StructuredChat.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
