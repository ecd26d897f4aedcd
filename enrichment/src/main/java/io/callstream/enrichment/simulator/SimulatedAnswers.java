package io.callstream.enrichment.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.local.LocalAnalyzer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator answers: JSON that fits the schema the client asked for, derived from the
 * conversation in the prompt with the offline heuristics, so results vary with the input like a
 * model's do (and are checkable).
 */
final class SimulatedAnswers {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ENDED = Pattern.compile("(?m)^Call ended: (\\S+)$");
  private static final Pattern ZONE = Pattern.compile("(?m)^Time zone: (\\S+)$");
  private static final Pattern LINE = Pattern.compile("(?m)^(Agent|User): (.*)$");
  private final LocalAnalyzer analyzer = new LocalAnalyzer(Duration.ofHours(1));

  /**
   * The answer for a request asking for {@code schemaName}; with {@code breakExtraction}, an
   * analysis's extracted data is a string where the plan's schema wants an object.
   */
  String forSchema(String schemaName, JsonNode schema, String prompt, boolean breakExtraction) {
    Conversation conversation = conversation(prompt);
    return switch (schemaName) {
      case "call_analysis" -> analysis(conversation, schema.path("properties"), breakExtraction);
      case "call_document" -> document(conversation);
      default -> "{}";
    };
  }

  /**
   * The analysis, and what a plan asked for: its extracted data (the smallest value fitting the
   * schema) and a verdict per criterion (the call's success verdict, as a model judging every
   * criterion by the call's outcome would).
   */
  private String analysis(Conversation conversation, JsonNode properties, boolean breakExtraction) {
    Analysis analysis = analyzer.analyzeNow(conversation);
    ObjectNode json = JSON.createObjectNode();
    JsonNode extractionSchema = properties.path("extracted");
    if (!extractionSchema.isMissingNode()) {
      json.set(
          "extracted",
          breakExtraction
              ? JSON.getNodeFactory().textNode("not an object")
              : instanceOf(extractionSchema));
    }
    JsonNode criteria =
        properties.path("evaluation").path("items").path("properties").path("name").path("enum");
    if (criteria.isArray()) {
      String verdict =
          switch (analysis.success()) {
            case SUCCESSFUL -> "success";
            case UNSUCCESSFUL -> "failure";
            case UNKNOWN -> "unknown";
          };
      ArrayNode evaluation = json.putArray("evaluation");
      criteria.forEach(
          name ->
              evaluation
                  .addObject()
                  .put("name", name.asText())
                  .put("verdict", verdict)
                  .put("rationale", "Judged by the call's outcome: " + analysis.successReason()));
    }
    json.put("title", analysis.title());
    json.put("summary", analysis.summary());
    json.put("sentiment", analysis.sentiment().name().toLowerCase(Locale.ROOT));
    json.put("sentiment_score", analysis.sentimentScore());
    ObjectNode speakers = json.putObject("speaker_sentiment");
    speakers.put("agent", analysis.speakerScores().getOrDefault(Conversation.Speaker.AGENT, 0.0));
    speakers.put("user", analysis.speakerScores().getOrDefault(Conversation.Speaker.USER, 0.0));
    json.put("success", analysis.success().name().toLowerCase(Locale.ROOT));
    json.put("success_reason", analysis.successReason());
    ObjectNode callback = json.putObject("callback");
    callback.put("requested", analysis.callback() != null);
    callback.put(
        "due_at", analysis.callback() == null ? null : analysis.callback().dueAt().toString());
    callback.put("reason", analysis.callback() == null ? null : analysis.callback().reason());
    callback.put("phrase", analysis.callback() == null ? null : analysis.callback().phrase());
    ArrayNode topics = json.putArray("topics");
    analysis.topics().forEach(topics::add);
    ArrayNode items = json.putArray("action_items");
    analysis.actionItems().forEach(items::add);
    return json.toString();
  }

  private String document(Conversation conversation) {
    Analysis analysis = analyzer.analyzeNow(conversation);
    StringBuilder markdown =
        new StringBuilder("# ")
            .append(analysis.title())
            .append("\n\n## Summary\n")
            .append(analysis.summary())
            .append("\n\n## Action items\n");
    analysis.actionItems().forEach(item -> markdown.append("- ").append(item).append('\n'));
    return JSON.createObjectNode()
        .put("title", analysis.title())
        .put("markdown", markdown.toString())
        .toString();
  }

  /** The smallest value that fits {@code schema}: empty strings, zeros, false, empty arrays. */
  static JsonNode instanceOf(JsonNode schema) {
    JsonNode type = schema.path("type");
    String first = type.isArray() ? type.get(0).asText() : type.asText("object");
    return switch (first) {
      case "string" ->
          schema.has("enum") ? schema.get("enum").get(0) : JSON.getNodeFactory().textNode("");
      case "number", "integer" -> JSON.getNodeFactory().numberNode(0);
      case "boolean" -> JSON.getNodeFactory().booleanNode(false);
      case "array" -> JSON.createArrayNode();
      case "null" -> JSON.getNodeFactory().nullNode();
      default -> {
        ObjectNode object = JSON.createObjectNode();
        schema
            .path("properties")
            .properties()
            .forEach(p -> object.set(p.getKey(), instanceOf(p.getValue())));
        yield object;
      }
    };
  }

  ObjectNode transcription(int audioBytes) {
    String[] words =
        "this is a simulated transcript of the recording please call me back tomorrow".split(" ");
    double duration = Math.max(1.0, audioBytes / 32_000.0);
    ObjectNode json = JSON.createObjectNode();
    json.put("task", "transcribe");
    json.put("language", "english");
    json.put("duration", duration);
    json.put("text", String.join(" ", words));
    ArrayNode wordTimes = json.putArray("words");
    double step = duration / words.length;
    for (int i = 0; i < words.length; i++) {
      wordTimes.addObject().put("word", words[i]).put("start", i * step).put("end", (i + 1) * step);
    }
    json.putArray("segments")
        .addObject()
        .put("id", 0)
        .put("start", 0.0)
        .put("end", duration)
        .put("text", String.join(" ", words));
    return json;
  }

  /** A unit vector that depends only on the text. */
  static float[] vector(String text, int dimensions) {
    Random random = new Random(text.hashCode());
    float[] vector = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) random.nextGaussian();
      norm += vector[i] * vector[i];
    }
    for (int i = 0; i < dimensions; i++) {
      vector[i] /= (float) Math.sqrt(norm);
    }
    return vector;
  }

  private static Conversation conversation(String prompt) {
    List<Conversation.Utterance> utterances = new ArrayList<>();
    Matcher line = LINE.matcher(prompt);
    while (line.find()) {
      Conversation.Speaker speaker =
          line.group(1).equals("Agent") ? Conversation.Speaker.AGENT : Conversation.Speaker.USER;
      utterances.add(new Conversation.Utterance(speaker, line.group(2), null, null));
    }
    Instant ended = Instant.now();
    Matcher endedLine = ENDED.matcher(prompt);
    if (endedLine.find()) {
      try {
        ended = Instant.parse(endedLine.group(1));
      } catch (DateTimeParseException ignored) {
        // keep now
      }
    }
    ZoneId zone = ZoneId.of("UTC");
    Matcher zoneLine = ZONE.matcher(prompt);
    if (zoneLine.find()) {
      try {
        zone = ZoneId.of(zoneLine.group(1));
      } catch (RuntimeException ignored) {
        // keep UTC
      }
    }
    return new Conversation("simulated", utterances, ended, zone);
  }
}
