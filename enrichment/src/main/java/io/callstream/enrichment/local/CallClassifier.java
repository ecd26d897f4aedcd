package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis.Sentiment;
import io.callstream.enrichment.Analysis.Success;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Judges a call's sentiment and success as the labelled examples were judged: a softmax regression
 * over the MiniLM embedding of what the customer said, the embedding of how the call ended, and the
 * lexicon's, complaint and outcome rules' counts. It learns once, from the shipped tuning part of
 * the labelled corpus, when first asked.
 */
final class CallClassifier {
  static final List<Sentiment> SENTIMENTS =
      List.of(Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE);
  static final List<Success> VERDICTS = List.of(Success.SUCCESSFUL, Success.UNSUCCESSFUL);
  private static final double L2 = 0.05;
  private static final int ENDING_TURNS = 3;

  /**
   * What the classifier made of a call.
   *
   * @param sentimentScore the probability of POSITIVE less that of NEGATIVE, from -1 to 1
   * @param successProbability the probability of the verdict given
   */
  record Judgement(
      Sentiment sentiment, double sentimentScore, Success success, double successProbability) {}

  private final Embedder embedder;
  private final SoftmaxModel sentiment;
  private final SoftmaxModel success;

  private CallClassifier(Embedder embedder, SoftmaxModel sentiment, SoftmaxModel success) {
    this.embedder = embedder;
    this.sentiment = sentiment;
    this.success = success;
  }

  /** Learns from {@code examples}, embedding them with {@code embedder}. */
  static CompletionStage<CallClassifier> train(Embedder embedder, List<LabelledCall> examples) {
    List<String> texts = new ArrayList<>();
    examples.forEach(example -> texts.addAll(texts(example.conversation())));
    return embedder
        .embed(texts)
        .thenApply(
            outcome -> {
              if (!(outcome instanceof Outcome.Success<List<float[]>> embedded)) {
                throw new IllegalStateException(
                    "the offline analyzer could not embed its labelled examples: " + outcome);
              }
              List<double[]> sentimentFeatures = new ArrayList<>();
              List<double[]> successFeatures = new ArrayList<>();
              int[] sentimentLabels = new int[examples.size()];
              int[] successLabels = new int[examples.size()];
              for (int i = 0; i < examples.size(); i++) {
                LabelledCall example = examples.get(i);
                List<float[]> vectors = embedded.result().subList(2 * i, 2 * i + 2);
                CallSignals signals = CallSignals.of(example.conversation());
                sentimentFeatures.add(sentimentFeatures(signals, vectors));
                successFeatures.add(successFeatures(signals, vectors));
                sentimentLabels[i] = SENTIMENTS.indexOf(example.sentiment());
                successLabels[i] = VERDICTS.indexOf(example.success());
              }
              return new CallClassifier(
                  embedder,
                  SoftmaxModel.train(sentimentFeatures, sentimentLabels, SENTIMENTS.size(), L2),
                  SoftmaxModel.train(successFeatures, successLabels, VERDICTS.size(), L2));
            });
  }

  /** Judges {@code conversation}; a failure to embed it is the outcome, never thrown. */
  CompletionStage<Outcome<Judgement>> judge(Conversation conversation) {
    return embedder
        .embed(texts(conversation))
        .thenApply(
            outcome ->
                switch (outcome) {
                  case Outcome.Success<List<float[]>> s -> {
                    CallSignals signals = CallSignals.of(conversation);
                    double[] mood = sentiment.probabilities(sentimentFeatures(signals, s.result()));
                    double[] verdict = success.probabilities(successFeatures(signals, s.result()));
                    int m = argmax(mood);
                    // A complaint of a fault, a delay or a broken promise is negative even in
                    // words the examples never used.
                    if (SENTIMENTS.get(m) == Sentiment.NEUTRAL && signals.complaints() > 0) {
                      m = SENTIMENTS.indexOf(Sentiment.NEGATIVE);
                    }
                    int v = argmax(verdict);
                    yield Outcome.success(
                        new Judgement(
                            SENTIMENTS.get(m), mood[2] - mood[0], VERDICTS.get(v), verdict[v]),
                        Usage.NONE);
                  }
                  case Outcome.Transient<List<float[]>> t ->
                      Outcome.<Judgement>transientFailure(t.reason(), t.retryAfter());
                  case Outcome.Permanent<List<float[]>> p ->
                      Outcome.<Judgement>permanentFailure(p.reason());
                });
  }

  /** What is embedded: the customer's words (all words when the customer said none), the ending. */
  static List<String> texts(Conversation conversation) {
    List<Conversation.Utterance> turns = conversation.utterances();
    String customer =
        String.join(
            " ",
            turns.stream()
                .filter(u -> u.speaker() == Speaker.USER)
                .map(Conversation.Utterance::text)
                .toList());
    if (customer.isBlank()) {
      customer = String.join(" ", turns.stream().map(Conversation.Utterance::text).toList());
    }
    String ending =
        String.join(
            " ",
            turns.subList(Math.max(0, turns.size() - ENDING_TURNS), turns.size()).stream()
                .map(Conversation.Utterance::text)
                .toList());
    return List.of(customer, ending);
  }

  private static double[] sentimentFeatures(CallSignals signals, List<float[]> vectors) {
    return concat(vectors.get(0), signals.values());
  }

  private static double[] successFeatures(CallSignals signals, List<float[]> vectors) {
    return concat(concat(vectors.get(1), signals.values()), vectors.get(0));
  }

  private static double[] concat(float[] vector, double[] more) {
    double[] features = new double[vector.length + more.length];
    for (int i = 0; i < vector.length; i++) {
      features[i] = vector[i];
    }
    System.arraycopy(more, 0, features, vector.length, more.length);
    return features;
  }

  private static double[] concat(double[] first, float[] vector) {
    double[] features = new double[first.length + vector.length];
    System.arraycopy(first, 0, features, 0, first.length);
    for (int i = 0; i < vector.length; i++) {
      features[first.length + i] = vector[i];
    }
    return features;
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }
}
