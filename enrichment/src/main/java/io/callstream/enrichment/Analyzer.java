package io.callstream.enrichment;

import io.callstream.enrichment.outcome.Outcome;
import java.util.concurrent.CompletionStage;

/** Reads a conversation and says what happened in it. The stage always completes normally. */
public interface Analyzer {

  /** The model behind the analysis, part of every result and of the cache key. */
  String model();

  /** The prompt or rule-set version, part of every result and of the cache key. */
  String promptVersion();

  /** Analyses {@code conversation} without a tenant's plan. */
  default CompletionStage<Outcome<Analysis>> analyze(Conversation conversation) {
    return analyze(conversation, null);
  }

  /**
   * Analyses {@code conversation} and, when the tenant has a {@code plan}, follows it: extracts the
   * data it asks for into {@link Analysis#extractedJson()} (valid against its schema) and judges
   * each of its criteria into {@link Analysis#evaluations()}.
   */
  CompletionStage<Outcome<Analysis>> analyze(Conversation conversation, AnalysisPlan plan);
}
