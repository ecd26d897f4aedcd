package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.plan.ExtractionSchemas;
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
  public CompletionStage<Outcome<Analysis>> analyze(Conversation conversation, AnalysisPlan plan) {
    String transcript = conversation.asPrompt();
    if (plan == null) {
      return chat.ask(
          prompt, transcript, "call_analysis", schema, json -> analysis(json, null, null));
    }
    ObjectNode planned = schema.deepCopy();
    ObjectNode properties = (ObjectNode) planned.path("properties");
    ArrayNode required = (ArrayNode) planned.path("required");
    ObjectNode extraction = ExtractionSchemas.of(plan);
    if (extraction != null) {
      properties.set("extracted", extraction);
      required.add("extracted");
    }
    if (!plan.evaluationCriteria().isEmpty()) {
      properties.set("evaluation", evaluationSchema(plan));
      required.add("evaluation");
    }
    // A tenant's schema need not meet strict mode's rules: the answer is validated here instead.
    return chat.ask(
        prompt + planPrompt(plan),
        transcript,
        "call_analysis",
        planned,
        extraction == null,
        json -> analysis(json, plan, extraction));
  }

  /** What the plan adds to the prompt: the data to extract, what success means, the criteria. */
  static String planPrompt(AnalysisPlan plan) {
    StringBuilder text = new StringBuilder();
    if (plan.extracts()) {
      text.append(
          "\n- extracted: the data the business asked for, fitting its schema; null where the call"
              + " did not say.");
      for (AnalysisPlan.DataField field : plan.dataCollection()) {
        text.append("\n  - ")
            .append(field.name())
            .append(" (")
            .append(field.type())
            .append("): ")
            .append(field.description());
      }
    }
    if (plan.successCriteria() != null) {
      text.append("\n- success: for this business the call succeeded when: ")
          .append(plan.successCriteria());
    }
    if (!plan.evaluationCriteria().isEmpty()) {
      text.append(
          "\n- evaluation: one entry per criterion below; verdict success when the call met it,"
              + " failure when it did not, unknown when the call does not tell; the rationale in"
              + " one sentence.");
      for (AnalysisPlan.Criterion criterion : plan.evaluationCriteria()) {
        text.append("\n  - ").append(criterion.name()).append(": ").append(criterion.description());
      }
    }
    return text.toString();
  }

  private static ObjectNode evaluationSchema(AnalysisPlan plan) {
    ObjectNode array = JSON.createObjectNode().put("type", "array");
    ObjectNode item = array.putObject("items").put("type", "object");
    item.put("additionalProperties", false);
    item.putArray("required").add("name").add("verdict").add("rationale");
    ObjectNode properties = item.putObject("properties");
    ArrayNode names = properties.putObject("name").put("type", "string").putArray("enum");
    plan.evaluationCriteria().forEach(criterion -> names.add(criterion.name()));
    properties
        .putObject("verdict")
        .put("type", "string")
        .putArray("enum")
        .add("success")
        .add("failure")
        .add("unknown");
    properties.putObject("rationale").put("type", "string");
    return array;
  }

  /**
   * The analysis in {@code json}; an extraction that does not fit the plan's schema, or an
   * evaluation that leaves out a criterion, is refused (and so repaired once, then permanent).
   */
  private Analysis analysis(JsonNode json, AnalysisPlan plan, ObjectNode extraction) {
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
        extracted(json, extraction),
        evaluations(json, plan),
        ANALYZER,
        model,
        promptVersion);
  }

  private static String extracted(JsonNode json, ObjectNode extraction) {
    if (extraction == null) {
      return null;
    }
    List<String> violations = ExtractionSchemas.violations(extraction, json.path("extracted"));
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException(
          "extracted does not fit the tenant's schema: " + String.join("; ", violations));
    }
    return json.get("extracted").toString();
  }

  private static List<Analysis.CriterionResult> evaluations(JsonNode json, AnalysisPlan plan) {
    if (plan == null || plan.evaluationCriteria().isEmpty()) {
      return List.of();
    }
    Map<String, Analysis.CriterionResult> judged = new java.util.HashMap<>();
    for (JsonNode entry : json.path("evaluation")) {
      judged.put(
          entry.path("name").asText(),
          new Analysis.CriterionResult(
              entry.path("name").asText(),
              Analysis.Verdict.valueOf(
                  entry.path("verdict").asText("unknown").toUpperCase(Locale.ROOT)),
              entry.path("rationale").asText(null)));
    }
    List<Analysis.CriterionResult> results = new ArrayList<>();
    for (AnalysisPlan.Criterion criterion : plan.evaluationCriteria()) {
      Analysis.CriterionResult result = judged.get(criterion.name());
      if (result == null) {
        throw new IllegalArgumentException(
            "evaluation leaves out the criterion " + criterion.name());
      }
      results.add(result);
    }
    return results;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }
}
