package io.callstream.topology.enrich;

import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.text.Chunk;
import io.callstream.enrichment.text.Chunker;
import io.callstream.enrichment.text.TextSpan;
import io.callstream.events.CallChunk;
import io.callstream.events.ChunkSource;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.WorkItem;
import io.callstream.topology.Routed;
import io.callstream.topology.intake.CallView;
import io.callstream.topology.tenant.TenantPolicies;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CHUNK: cuts the item's searchable chunks, with no AI: transcript turns (or recording segments)
 * and, for recordings, the document's sections; all cut from the redacted text when the tenant
 * redacts. Emits nothing itself: EMBED emits the chunks with their vectors.
 */
record ChunkStage(Chunker chunker, String embeddingModel, TenantPolicies tenants, Clock clock)
    implements EnrichmentStage {

  @Override
  public Stage stage() {
    return Stage.CHUNK;
  }

  @Override
  public Stage next() {
    return Stage.EMBED;
  }

  @Override
  public StageCall call(WorkItem item) {
    return null;
  }

  @Override
  public WorkItem write(WorkItem item, StageResult none, boolean cached) {
    CallView call = CallView.of(item);
    Conversation conversation = Conversations.of(item, call, tenants.redaction(item));
    List<TextSpan> spans = new ArrayList<>();
    for (Conversation.Utterance utterance : conversation.utterances()) {
      spans.add(
          TextSpan.turn(
              utterance.speaker() == Conversation.Speaker.UNKNOWN
                  ? null
                  : utterance.speaker().name().toLowerCase(Locale.ROOT),
              utterance.text(),
              utterance.startMs(),
              utterance.endMs()));
    }
    boolean recording = item.getRecording() != null;
    List<Chunk> pieces = new ArrayList<>(spans.isEmpty() ? List.of() : chunker.chunk(spans));
    int transcriptChunks = pieces.size();
    if (item.getDocument() != null) {
      pieces.addAll(chunker.chunkMarkdown(item.getDocument().getMarkdown()));
    }
    String setHash = setHash(embeddingModel, pieces);
    Instant now = clock.instant();
    List<CallChunk> chunks = new ArrayList<>(pieces.size());
    for (int i = 0; i < pieces.size(); i++) {
      Chunk piece = pieces.get(i);
      chunks.add(
          CallChunk.newBuilder()
              .setCallId(call.callId())
              .setTenantId(call.tenantId())
              .setVersion(call.version())
              .setChunkIndex(i)
              .setChunkCount(pieces.size())
              .setSetHash(setHash)
              .setText(piece.text())
              .setSource(
                  i >= transcriptChunks
                      ? ChunkSource.DOCUMENT
                      : recording ? ChunkSource.RECORDING : ChunkSource.TRANSCRIPT)
              .setSpeaker(piece.speaker())
              .setStartMs(piece.startMs())
              .setEndMs(piece.endMs())
              .setEmbeddingModel(embeddingModel)
              .setCreatedAt(now)
              .build());
    }
    return WorkItem.newBuilder(item).setChunks(chunks).build();
  }

  @Override
  public List<Routed> outputs(WorkItem item) {
    return List.of();
  }

  /** Equal for equal chunk texts cut for equal models: the sinks skip unchanged sets by it. */
  static String setHash(String model, List<Chunk> chunks) {
    StringBuilder all = new StringBuilder(model).append('\n');
    for (Chunk chunk : chunks) {
      all.append(chunk.text()).append('\u0000');
    }
    return StageResults.sha256(all.toString());
  }
}
