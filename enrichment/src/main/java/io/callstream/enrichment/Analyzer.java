package io.callstream.enrichment;

import io.callstream.enrichment.outcome.Outcome;
import java.util.concurrent.CompletionStage;

/** Reads a conversation and says what happened in it. The stage always completes normally. */
public interface Analyzer {

  /** The model behind the analysis, part of every result and of the cache key. */
  String model();

  /** The prompt or rule-set version, part of every result and of the cache key. */
  String promptVersion();

  /** Analyses {@code conversation} without tenant-defined extraction. */
  default CompletionStage<Outcome<Analysis>> analyze(Conversation conversation) {
    return analyze(conversation, null);
  }

  /**
   * Analyses {@code conversation} and, when {@code extractionSchema} (a JSON schema the tenant
   * defined) is given, extracts data fitting it into {@link Analysis#extractedJson()}.
   */
  CompletionStage<Outcome<Analysis>> analyze(Conversation conversation, String extractionSchema);
}
