package io.callstream.enrichment;

import io.callstream.enrichment.callback.CallbackRequest;
import java.util.List;
import java.util.Map;

/**
 * What an analyzer made of a conversation.
 *
 * @param sentimentScore from -1 (negative) to 1 (positive)
 * @param speakerScores sentiment score per speaker that said anything
 * @param callback the call back asked for, or null
 * @param extractedJson data extracted against the tenant's plan, as JSON text, or null
 * @param evaluations one result per evaluation criterion of the tenant's plan
 * @param analyzer "openai" or "local" (offline heuristics)
 * @param model the model or heuristic set behind the results
 * @param promptVersion the prompt (or rule set) version; with the model it keys the result cache
 */
public record Analysis(
    String title,
    String summary,
    Sentiment sentiment,
    double sentimentScore,
    Map<Conversation.Speaker, Double> speakerScores,
    Success success,
    String successReason,
    CallbackRequest callback,
    List<String> topics,
    List<String> actionItems,
    String extractedJson,
    List<CriterionResult> evaluations,
    String analyzer,
    String model,
    String promptVersion) {

  /** How the call did on one criterion of the tenant's plan. */
  public record CriterionResult(String name, Verdict verdict, String rationale) {}

  public enum Verdict {
    SUCCESS,
    FAILURE,
    UNKNOWN
  }

  public enum Sentiment {
    POSITIVE,
    NEUTRAL,
    NEGATIVE,
    MIXED
  }

  public enum Success {
    SUCCESSFUL,
    UNSUCCESSFUL,
    UNKNOWN
  }
}
