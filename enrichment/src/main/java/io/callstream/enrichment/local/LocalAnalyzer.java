package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.callback.CallbackParser;
import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The offline analyzer: honest heuristics, labelled {@value #ANALYZER} in every result. An
 * extractive summary, lexicon sentiment per speaker, success from explicit outcome phrases,
 * callback requests resolved in the tenant's zone, keywords as topics, promises as action items. No
 * model weights are needed, and the same input always gives the same result.
 */
public final class LocalAnalyzer implements Analyzer {
  public static final String ANALYZER = "local";
  public static final String MODEL = "callstream-heuristics";
  public static final String PROMPT_VERSION = "local-v1";

  private final CallbackParser callbacks;

  public LocalAnalyzer(Duration defaultCallbackDelay) {
    this.callbacks = new CallbackParser(defaultCallbackDelay);
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public String promptVersion() {
    return PROMPT_VERSION;
  }

  /**
   * Offline heuristics cannot follow a tenant's schema: {@code extractedJson} is always null here.
   */
  @Override
  public CompletionStage<Outcome<Analysis>> analyze(
      Conversation conversation, String extractionSchema) {
    return CompletableFuture.completedFuture(Outcome.success(analyzeNow(conversation), Usage.NONE));
  }

  /** The analysis, computed on the calling thread (it takes microseconds). */
  public Analysis analyzeNow(Conversation conversation) {
    Map<Speaker, SentimentLexicon.Score> bySpeaker = new EnumMap<>(Speaker.class);
    for (Conversation.Utterance utterance : conversation.utterances()) {
      bySpeaker.merge(
          utterance.speaker(),
          SentimentLexicon.score(utterance.text()),
          SentimentLexicon.Score::plus);
    }
    Map<Speaker, Double> speakerScores = new EnumMap<>(Speaker.class);
    bySpeaker.forEach((speaker, score) -> speakerScores.put(speaker, score.value()));
    // The call's sentiment is the customer's, when the customer said anything.
    SentimentLexicon.Score overall =
        bySpeaker.getOrDefault(
            Speaker.USER,
            bySpeaker.values().stream()
                .reduce(new SentimentLexicon.Score(0, 0), SentimentLexicon.Score::plus));
    List<String> texts =
        conversation.utterances().stream().map(Conversation.Utterance::text).toList();
    OutcomeRules.Verdict verdict = OutcomeRules.success(texts);
    List<String> keywords = Summarizer.keywords(conversation, 5);
    return new Analysis(
        title(keywords),
        Summarizer.summary(conversation, conversation.utterances().size() > 8 ? 3 : 2),
        label(overall),
        overall.value(),
        speakerScores,
        verdict.success(),
        verdict.reason(),
        callback(conversation),
        keywords,
        OutcomeRules.actionItems(texts, 5),
        null,
        ANALYZER,
        MODEL,
        PROMPT_VERSION);
  }

  private CallbackRequest callback(Conversation conversation) {
    ZonedDateTime ended = conversation.endedAt().atZone(conversation.timeZone());
    // The customer's own request first; else a call back the agent promised.
    for (Speaker speaker : List.of(Speaker.USER, Speaker.UNKNOWN, Speaker.AGENT)) {
      String said =
          String.join(
              "\n",
              conversation.utterances().stream()
                  .filter(u -> u.speaker() == speaker)
                  .map(Conversation.Utterance::text)
                  .toList());
      var found =
          speaker == Speaker.USER
              ? callbacks.findCustomerRequest(said, ended)
              : callbacks.find(said, ended);
      if (found.isPresent()) {
        return found.get();
      }
    }
    return null;
  }

  private static Analysis.Sentiment label(SentimentLexicon.Score score) {
    if (score.positive() >= 2 && score.negative() >= 2 && Math.abs(score.value()) < 0.3) {
      return Analysis.Sentiment.MIXED;
    }
    if (score.value() > 0.15) {
      return Analysis.Sentiment.POSITIVE;
    }
    return score.value() < -0.15 ? Analysis.Sentiment.NEGATIVE : Analysis.Sentiment.NEUTRAL;
  }

  private static String title(List<String> keywords) {
    if (keywords.isEmpty()) {
      return "Call";
    }
    String joined = String.join(" ", keywords.subList(0, Math.min(3, keywords.size())));
    return joined.substring(0, 1).toUpperCase(Locale.ROOT) + joined.substring(1);
  }
}
