package io.callstream.topology.enrich;

import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.text.Chunker;
import io.callstream.events.Stage;
import io.callstream.topology.tenant.TenantPolicies;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * The enrichment stages, in order: TRANSCRIBE (recordings only), ANALYZE, CHUNK, EMBED, then DONE.
 * Each is an {@link EnrichmentStage} and names the stage after it. Holds no state of any call, so
 * one set serves every task.
 */
public final class Stages {
  private final Map<Stage, EnrichmentStage> byName = new EnumMap<>(Stage.class);

  public Stages(Enrichers ai, Chunker chunker, TenantPolicies tenants, Clock clock) {
    ChunkStage chunk = new ChunkStage(chunker, ai.embedder().model(), tenants, clock);
    EmbedStage embed = new EmbedStage(ai.embedder(), clock);
    add(new TranscribeStage(ai.transcriber(), clock));
    add(new AnalyzeStage(ai.analyzer(), ai.documents(), chunk, embed, tenants, clock));
    add(chunk);
    add(embed);
  }

  private void add(EnrichmentStage stage) {
    byName.put(stage.stage(), stage);
  }

  /** Where an item starts: recordings are transcribed first, calls come with their transcript. */
  public static Stage first(boolean recording) {
    return recording ? Stage.TRANSCRIBE : Stage.ANALYZE;
  }

  /** The stage after {@code stage}. */
  public Stage next(Stage stage) {
    return of(stage).next();
  }

  EnrichmentStage of(Stage stage) {
    EnrichmentStage found = byName.get(stage);
    if (found == null) {
      throw new IllegalArgumentException(
          "no stage follows " + stage + ": it is not an enrichment stage");
    }
    return found;
  }
}
