package io.callstream.topology.enrich;

import static io.callstream.topology.enrich.StageResults.NO_PROMPT;

import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.events.CallChunk;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.Routed;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * EMBED: one vector per chunk, cached under the chunk set's hash; emits the chunks, each with its
 * vector. The last stage.
 */
record EmbedStage(Embedder embedder, Clock clock) implements EnrichmentStage {

  @Override
  public Stage stage() {
    return Stage.EMBED;
  }

  @Override
  public Stage next() {
    return Stage.DONE;
  }

  @Override
  public StageCall call(WorkItem item) {
    List<CallChunk> chunks = item.getChunks();
    String model = embedder.model();
    if (chunks.isEmpty()) {
      return StageResults.ready(
          StageResults.result(Stage.EMBED, model, NO_PROMPT, Usage.NONE, clock.instant()).build());
    }
    List<String> texts = chunks.stream().map(CallChunk::getText).toList();
    return new StageCall(
        StageResults.cacheKey(Stage.EMBED, model, NO_PROMPT, chunks.get(0).getSetHash()),
        () ->
            embedder
                .embed(texts)
                .thenApply(
                    outcome ->
                        StageResults.map(
                            outcome,
                            (vectors, usage) ->
                                StageResults.result(
                                        Stage.EMBED, model, NO_PROMPT, usage, clock.instant())
                                    .setEmbeddings(lists(vectors)))));
  }

  @Override
  public WorkItem write(WorkItem item, StageResult result, boolean cached) {
    List<CallChunk> chunks = new ArrayList<>(item.getChunks().size());
    for (int i = 0; i < item.getChunks().size(); i++) {
      List<Float> vector = result.getEmbeddings().get(i);
      chunks.add(
          CallChunk.newBuilder(item.getChunks().get(i))
              .setEmbedding(vector)
              .setDims(vector.size())
              .build());
    }
    return WorkItem.newBuilder(item).setChunks(chunks).build();
  }

  @Override
  public List<Routed> outputs(WorkItem item) {
    return item.getChunks().stream().map(chunk -> Routed.to(Topics.CALLS_CHUNKS, chunk)).toList();
  }

  private static List<List<Float>> lists(List<float[]> vectors) {
    List<List<Float>> lists = new ArrayList<>(vectors.size());
    for (float[] vector : vectors) {
      List<Float> list = new ArrayList<>(vector.length);
      for (float value : vector) {
        list.add(value);
      }
      lists.add(list);
    }
    return lists;
  }
}
