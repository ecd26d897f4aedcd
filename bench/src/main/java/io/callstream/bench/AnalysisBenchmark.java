package io.callstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.Analysis.Sentiment;
import io.callstream.enrichment.local.AnalysisScores;
import io.callstream.enrichment.local.LabelledCall;
import io.callstream.enrichment.local.LocalAnalyzer;
import io.callstream.enrichment.local.LocalEmbedder;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The offline analyzer on the held-out part of the labelled corpus (never used in tuning):
 * sentiment macro-F1 and each class's recall and precision, success, callback accuracy, and how
 * often the summary carries the labelled reason for the call; beside it, the rules alone. Judged by
 * the targets: macro-F1 >= 0.80, NEGATIVE recall >= 0.80, success accuracy >= 0.75.
 */
public final class AnalysisBenchmark {
  private static final Path HELD_OUT =
      Path.of("enrichment/src/test/resources/io/callstream/enrichment/local/held-out-calls.txt");

  public static void main(String[] args) throws Exception {
    List<LabelledCall> calls;
    try (InputStream in =
        Files.newInputStream(Path.of(System.getProperty("corpus", HELD_OUT.toString())))) {
      calls = LabelledCall.read(in);
    }
    try (LocalEmbedder embedder = new LocalEmbedder(2)) {
      LocalAnalyzer analyzer = new LocalAnalyzer(Duration.ofHours(1), embedder);
      AnalysisScores.of(analyzer, calls.subList(0, 5)); // learns from the tuning part, warms up
      long started = System.nanoTime();
      AnalysisScores scores = AnalysisScores.of(analyzer, calls);
      double msPerCall = (System.nanoTime() - started) / 1e6 / calls.size();
      AnalysisScores rules = AnalysisScores.of(new LocalAnalyzer(Duration.ofHours(1)), calls);

      ObjectMapper json = new ObjectMapper();
      ObjectNode line = json.createObjectNode();
      line.put("benchmark", "analysis");
      line.put("part", "held-out");
      line.put("calls", scores.calls());
      line.put("analyzer", analyzer.model() + "/" + analyzer.promptVersion());
      line.put("sentiment_macro_f1", round(scores.sentimentMacroF1()));
      ObjectNode recall = line.putObject("sentiment_recall");
      ObjectNode precision = line.putObject("sentiment_precision");
      for (Sentiment label : scores.recall().keySet()) {
        recall.put(label.name(), round(scores.recall().get(label)));
        precision.put(label.name(), round(scores.precision().get(label)));
      }
      line.put("success_accuracy", round(scores.successAccuracy()));
      line.put("callback_accuracy", round(scores.callbackAccuracy()));
      line.put("reason_in_summary", round(scores.reasonInSummary()));
      line.put("ms_per_call", round(msPerCall));
      ObjectNode rulesAlone = line.putObject("rules_alone");
      rulesAlone.put("sentiment_macro_f1", round(rules.sentimentMacroF1()));
      rulesAlone.put("negative_recall", round(rules.recall().get(Sentiment.NEGATIVE)));
      rulesAlone.put("success_accuracy", round(rules.successAccuracy()));
      ObjectNode targets = line.putObject("targets");
      targets.put("sentiment_macro_f1", 0.80);
      targets.put("negative_recall", 0.80);
      targets.put("success_accuracy", 0.75);
      line.put(
          "pass",
          scores.sentimentMacroF1() >= 0.80
              && scores.recall().get(Sentiment.NEGATIVE) >= 0.80
              && scores.successAccuracy() >= 0.75);
      line.set("misses", json.valueToTree(scores.misses()));
      System.out.println(line);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
