package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.callback.CallbackParser;
import io.callstream.enrichment.callback.CallbackRequest;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The offline analyzer, labelled {@value #ANALYZER} in every result. Sentiment and success come
 * from a classifier that learned from the labelled corpus's tuning part (MiniLM embeddings with the
 * lexicon, complaint and outcome rules); the summary says why the call was made and how it ended;
 * the title is a phrase of the reason; topics are keywords other than names; callbacks are resolved
 * in the tenant's zone; promises become action items. The same input always gives the same result.
 *
 * <p>Built without an embedder it uses the rules alone ({@value #RULES_VERSION}): the AI
 * simulator's answers, which must come in microseconds.
 */
public final class LocalAnalyzer implements Analyzer {
  public static final String ANALYZER = "local";
  public static final String MODEL = "callstream-heuristics";
  public static final String PROMPT_VERSION = "local-v2";
  public static final String RULES_VERSION = "local-rules-v2";
  static final String UNJUDGED =
      "the offline analyzer does not judge a tenant's criteria (an OpenAI-compatible analyzer does)";

  private final CallbackParser callbacks;
  private final Embedder embedder;
  private final List<LabelledCall> examples;
  private CompletableFuture<CallClassifier> classifier;

  /** The rules alone: no model, microseconds per call. */
  public LocalAnalyzer(Duration defaultCallbackDelay) {
    this(defaultCallbackDelay, null, List.of());
  }

  /** Sentiment and success judged by a classifier embedding with {@code embedder}. */
  public LocalAnalyzer(Duration defaultCallbackDelay, Embedder embedder) {
    this(defaultCallbackDelay, embedder, LabelledCall.tuningPart());
  }

  /** A classifier learning from {@code examples} instead of the shipped tuning part. */
  LocalAnalyzer(Duration defaultCallbackDelay, Embedder embedder, List<LabelledCall> examples) {
    this.callbacks = new CallbackParser(defaultCallbackDelay);
    this.embedder = embedder;
    this.examples = examples;
  }

  @Override
  public String model() {
    return embedder == null ? MODEL : MODEL + "+" + embedder.model();
  }

  @Override
  public String promptVersion() {
    return embedder == null ? RULES_VERSION : PROMPT_VERSION;
  }

  /**
   * Offline heuristics cannot read a tenant's plan: {@code extractedJson} is always null here, and
   * each of the plan's criteria is UNKNOWN, saying so.
   */
  @Override
  public CompletionStage<Outcome<Analysis>> analyze(Conversation conversation, AnalysisPlan plan) {
    if (embedder == null) {
      return CompletableFuture.completedFuture(
          Outcome.success(analysis(conversation, null, plan), Usage.NONE));
    }
    return classifier()
        .thenCompose(learned -> learned.judge(conversation))
        .thenApply(
            judged ->
                switch (judged) {
                  case Outcome.Success<CallClassifier.Judgement> s ->
                      Outcome.success(analysis(conversation, s.result(), plan), Usage.NONE);
                  case Outcome.Transient<CallClassifier.Judgement> t ->
                      Outcome.<Analysis>transientFailure(t.reason(), t.retryAfter());
                  case Outcome.Permanent<CallClassifier.Judgement> p ->
                      Outcome.<Analysis>permanentFailure(p.reason());
                })
        .exceptionally(failure -> Outcome.permanentFailure(failure.getMessage()));
  }

  /** The analysis by the rules alone, computed on the calling thread (it takes microseconds). */
  public Analysis analyzeNow(Conversation conversation) {
    return analysis(conversation, null, null);
  }

  private synchronized CompletableFuture<CallClassifier> classifier() {
    if (classifier == null) {
      classifier = CallClassifier.train(embedder, LabelledCall.tuningPart()).toCompletableFuture();
    }
    return classifier;
  }

  private Analysis analysis(
      Conversation conversation, CallClassifier.Judgement judged, AnalysisPlan plan) {
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
    Summarizer.Said reason = Summarizer.reason(conversation);
    Summarizer.Said ending = Summarizer.ending(conversation);
    Analysis.Sentiment sentiment = judged == null ? label(overall) : judged.sentiment();
    double sentimentScore = judged == null ? overall.value() : judged.sentimentScore();
    Analysis.Success success = judged == null ? verdict.success() : judged.success();
    String successReason =
        judged == null || judged.success() == verdict.success()
            ? verdict.reason()
            : String.format(
                "like the labelled calls it resembles (%.0f%%)", 100 * judged.successProbability());
    return new Analysis(
        reason == null ? "Call" : Summarizer.title(reason.text()),
        summary(conversation, reason, ending),
        sentiment,
        sentimentScore,
        speakerScores,
        success,
        successReason,
        callback(conversation),
        Summarizer.keywords(conversation, 5),
        OutcomeRules.actionItems(texts, 5),
        null,
        plan == null
            ? List.of()
            : plan.evaluationCriteria().stream()
                .map(
                    criterion ->
                        new Analysis.CriterionResult(
                            criterion.name(), Analysis.Verdict.UNKNOWN, UNJUDGED))
                .toList(),
        ANALYZER,
        model(),
        promptVersion());
  }

  private static String summary(
      Conversation conversation, Summarizer.Said reason, Summarizer.Said ending) {
    if (reason == null) {
      return Summarizer.summary(conversation, conversation.utterances().size() > 8 ? 3 : 2);
    }
    if (ending == null || ending.text().equals(reason.text())) {
      return reason.attributed();
    }
    return reason.attributed() + " " + ending.attributed();
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
}
