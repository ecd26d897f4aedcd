package io.callstream.enrichment;

import io.callstream.enrichment.outcome.Outcome;
import java.util.concurrent.CompletionStage;

/** Reads a conversation and says what happened in it. The stage always completes normally. */
public interface Analyzer {

  /** The model behind the analysis, part of every result and of the cache key. */
  String model();

  /** The prompt or rule-set version, part of every result and of the cache key. */
  String promptVersion();

  CompletionStage<Outcome<Analysis>> analyze(Conversation conversation);
}
