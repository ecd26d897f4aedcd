package io.callstream.enrichment;

import io.callstream.enrichment.outcome.Outcome;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Turns texts into vectors for semantic search. The stage always completes normally. */
public interface Embedder {

  /** The model's id, stored next to every vector it makes. */
  String model();

  /** The length of every vector. */
  int dimensions();

  /** One vector per text, in the same order. */
  CompletionStage<Outcome<List<float[]>>> embed(List<String> texts);
}
