package io.callstream.topology.enrich;

import io.callstream.events.Stage;

/** The order of enrichment: TRANSCRIBE (recordings only), ANALYZE, CHUNK, EMBED, then DONE. */
public final class Stages {
  private Stages() {}

  /** Where an item starts: recordings are transcribed first, calls come with their transcript. */
  public static Stage first(boolean recording) {
    return recording ? Stage.TRANSCRIBE : Stage.ANALYZE;
  }

  /** The stage after {@code stage}. */
  public static Stage next(Stage stage) {
    return switch (stage) {
      case ROUTE -> Stage.ANALYZE;
      case TRANSCRIBE -> Stage.ANALYZE;
      case ANALYZE -> Stage.CHUNK;
      case CHUNK -> Stage.EMBED;
      case EMBED -> Stage.DONE;
      case DONE, UNKNOWN -> throw new IllegalArgumentException("no stage follows " + stage);
    };
  }
}
