package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.outcome.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The analyzer over an OpenAI-compatible chat model: one structured call per conversation with a
 * strict JSON-schema response format and a versioned prompt: the built-in {@code
 * prompts/analyze-v1.txt}, or a file of the user's whose name (without {@code .txt}) is its
 * version, so editing the prompt under a new name re-enriches what a replay sends. See {@link
 * StructuredChat} for repairs, refusals and pricing.
 */
public final class OpenAiAnalyzer implements Analyzer {
  public static final String ANALYZER = "openai";
  public static final String PROMPT_VERSION = "analyze-v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StructuredChat chat;
  private final String model;
  private final String promptVersion;
  private final String prompt;
  private final JsonNode schema =
      StructuredChat.json(StructuredChat.resource("/prompts/call_analysis.schema.json"));

  public OpenAiAnalyzer(
      OpenAiClient client,
      String model,
      double inputPricePerMillion,
      double outputPricePerMillion) {
    this(
        client,
        model,
        PROMPT_VERSION,
        StructuredChat.resource("/prompts/" + PROMPT_VERSION + ".txt"),
        inputPricePerMillion,
        outputPricePerMillion);
  }

  /** An analyzer with the user's own prompt, cached under {@code promptVersion}. */
  public OpenAiAnalyzer(
      OpenAiClient client,
      String model,
      String promptVersion,
      String prompt,
      double inputPricePerMillion,
      double outputPricePerMillion) {
    this.chat = new StructuredChat(client, model, inputPricePerMillion, outputPricePerMillion);
    this.model = model;
    this.promptVersion = promptVersion;
    this.prompt = prompt;
  }

  /** An analyzer whose prompt is the file {@code promptFile}, versioned by the file's name. */
  public static OpenAiAnalyzer withPromptFile(
      OpenAiClient client,
      String model,
      Path promptFile,
      double inputPricePerMillion,
      double outputPricePerMillion) {
    String name = promptFile.getFileName().toString();
    String version = name.endsWith(".txt") ? name.substring(0, name.length() - 4) : name;
    try {
      return new OpenAiAnalyzer(
          client,
          model,
          version,
          Files.readString(promptFile),
          inputPricePerMillion,
          outputPricePerMillion);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the analysis prompt " + promptFile, e);
    }
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String promptVersion() {
    return promptVersion;
  }

  @Override
  public CompletionStage<Outcome<Analysis>> analyze(
      Conversation conversation, String extractionSchema) {
    String transcript = conversation.asPrompt();
    if (extractionSchema == null) {
      return chat.ask(prompt, transcript, "call_analysis", schema, this::analysis);
    }
    // The tenant's schema becomes the "extracted" property of the answer.
    ObjectNode withExtraction = schema.deepCopy();
    ((ObjectNode) withExtraction.path("properties"))
        .set("extracted", StructuredChat.json(extractionSchema));
    ((com.fasterxml.jackson.databind.node.ArrayNode) withExtraction.path("required"))
        .add("extracted");
    return chat.ask(
        prompt
            + "\n- extracted: the data the business asked for, fitting its schema; null where the call did not say.",
        transcript,
        "call_analysis",
        withExtraction,
        this::analysis);
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
        json.has("extracted") ? json.get("extracted").toString() : null,
        ANALYZER,
        model,
        promptVersion);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
