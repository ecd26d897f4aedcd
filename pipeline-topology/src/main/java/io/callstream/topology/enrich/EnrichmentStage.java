package io.callstream.topology.enrich;

import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.WorkItem;
import io.callstream.topology.Routed;
import java.util.List;

/**
 * One enrichment stage: the AI call it makes for a work item and the key its result is cached
 * under, how that result lands in the item, what the stage emits once done, and the stage after it.
 * The {@link EnrichmentProcessor} runs them all alike; adding a stage is one class and one {@link
 * Stage} value, registered in {@link Stages}.
 */
interface EnrichmentStage {
  Stage stage();

  /** The stage an item moves to when this one is done ({@link Stage#DONE} after the last). */
  Stage next();

  /**
   * The AI call for {@code item}; null when the stage calls no AI and runs at once on the stream
   * thread ({@link #write} is then given no result).
   */
  StageCall call(WorkItem item);

  /**
   * The item with the stage's result in place. A {@code cached} result was made for any call with
   * the same input, so everything that names the call is taken from the item.
   */
  WorkItem write(WorkItem item, StageResult result, boolean cached);

  /** What the finished stage emits, each record with its topic. */
  List<Routed> outputs(WorkItem item);

  /**
   * AI calls that a later stage of {@code item} will make, worth starting now so that their results
   * are cached or on their way when asked for; none by default.
   */
  default List<StageCall> prefetch(WorkItem item) {
    return List.of();
  }
}
