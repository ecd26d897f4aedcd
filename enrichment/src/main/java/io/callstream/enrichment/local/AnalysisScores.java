package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Analysis.Sentiment;
import io.callstream.enrichment.Analyzer;
import io.callstream.enrichment.outcome.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well an analyzer's results agree with labelled calls: sentiment macro-F1 with each class's
 * recall and precision (over the labelled classes NEGATIVE, NEUTRAL and POSITIVE), success and
 * callback accuracy, and how often the summary carries the labelled reason for the call.
 *
 * @param misses the ids of calls whose sentiment or success was judged wrong, with what was said
 */
public record AnalysisScores(
    int calls,
    double sentimentMacroF1,
    Map<Sentiment, Double> recall,
    Map<Sentiment, Double> precision,
    double successAccuracy,
    double callbackAccuracy,
    double reasonInSummary,
    List<String> misses) {

  /** Analyses every call with {@code analyzer} and scores the results against the labels. */
  public static AnalysisScores of(Analyzer analyzer, List<LabelledCall> calls) {
    List<Analysis> results = new ArrayList<>();
    for (LabelledCall call : calls) {
      Outcome<Analysis> outcome =
          analyzer.analyze(call.conversation()).toCompletableFuture().join();
      if (!(outcome instanceof Outcome.Success<Analysis> success)) {
        throw new IllegalStateException("analysis of " + call.id() + " failed: " + outcome);
      }
      results.add(success.result());
    }
    return of(calls, results);
  }

  /** Scores {@code results}, one per call in the same order, against the labels. */
  public static AnalysisScores of(List<LabelledCall> calls, List<Analysis> results) {
    Map<Sentiment, Double> recall = new LinkedHashMap<>();
    Map<Sentiment, Double> precision = new LinkedHashMap<>();
    double f1Sum = 0;
    for (Sentiment label : CallClassifier.SENTIMENTS) {
      int truePositive = 0;
      int labelled = 0;
      int predicted = 0;
      for (int i = 0; i < calls.size(); i++) {
        boolean isLabel = calls.get(i).sentiment() == label;
        boolean said = results.get(i).sentiment() == label;
        labelled += isLabel ? 1 : 0;
        predicted += said ? 1 : 0;
        truePositive += isLabel && said ? 1 : 0;
      }
      double r = labelled == 0 ? 0 : (double) truePositive / labelled;
      double p = predicted == 0 ? 0 : (double) truePositive / predicted;
      recall.put(label, r);
      precision.put(label, p);
      f1Sum += r + p == 0 ? 0 : 2 * r * p / (r + p);
    }
    int success = 0;
    int callback = 0;
    int reason = 0;
    List<String> misses = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      LabelledCall call = calls.get(i);
      Analysis result = results.get(i);
      success += result.success() == call.success() ? 1 : 0;
      callback +=
          call.callbackMatches(result.callback() == null ? null : result.callback().dueAt())
              ? 1
              : 0;
      reason += result.summary().contains(call.reason()) ? 1 : 0;
      if (result.sentiment() != call.sentiment() || result.success() != call.success()) {
        misses.add(
            call.id()
                + ": "
                + result.sentiment()
                + "/"
                + result.success()
                + " for "
                + call.sentiment()
                + "/"
                + call.success());
      }
    }
    double n = calls.size();
    return new AnalysisScores(
        calls.size(),
        f1Sum / CallClassifier.SENTIMENTS.size(),
        recall,
        precision,
        success / n,
        callback / n,
        reason / n,
        misses);
  }
}
