package io.callstream.sinks;

import io.callstream.events.AiUsage;
import io.callstream.events.CallChunk;
import io.callstream.events.CallStatus;
import io.callstream.events.ChunkSource;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Provider;
import io.callstream.events.Sentiment;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.TranscriptSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Records shaped like the topology's output, for the sink tests. */
final class Samples {
  private Samples() {}

  static EnrichedCall call(java.util.UUID callId, String tenant, long version, String summary) {
    return EnrichedCall.newBuilder()
        .setCallId(callId)
        .setTenantId(tenant)
        .setAgentId("agent-1")
        .setProvider(Provider.VAPI)
        .setProviderCallId("vapi-" + callId)
        .setVersion(version)
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setEndedAt(Instant.parse("2026-11-20T14:03:27Z"))
        .setDurationMs(84_000L)
        .setTitle("Water heater leak")
        .setSummary(summary)
        .setSentiment(Sentiment.POSITIVE)
        .setSentimentScore(0.4)
        .setSuccess(SuccessVerdict.SUCCESSFUL)
        .setTopics(List.of("water", "heater"))
        .setActionItems(List.of("Send a technician tomorrow."))
        .setTranscriptSource(TranscriptSource.PROVIDER)
        .setAnalyzer("local")
        .setModel("callstream-heuristics")
        .setPromptVersion("local-v1")
        .setUsage(
            AiUsage.newBuilder().setInputTokens(120).setOutputTokens(40).setCostUsd(0.0001).build())
        .setEnrichedAt(Instant.parse("2026-11-20T14:03:30Z"))
        .build();
  }

  /** A complete chunk set; each text's vector is given. */
  static List<CallChunk> chunks(
      java.util.UUID callId,
      String tenant,
      long version,
      List<String> texts,
      List<float[]> vectors) {
    String setHash = Integer.toHexString((texts.toString() + version / 1_000_000).hashCode());
    List<CallChunk> chunks = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      List<Float> embedding = new ArrayList<>();
      for (float v : vectors.get(i)) {
        embedding.add(v);
      }
      chunks.add(
          CallChunk.newBuilder()
              .setCallId(callId)
              .setTenantId(tenant)
              .setVersion(version)
              .setChunkIndex(i)
              .setChunkCount(texts.size())
              .setSetHash(setHash)
              .setText(texts.get(i))
              .setSource(ChunkSource.TRANSCRIPT)
              .setSpeaker("user")
              .setStartMs(i * 1000L)
              .setEndMs(i * 1000L + 900)
              .setEmbedding(embedding)
              .setEmbeddingModel("test-model")
              .setDims(embedding.size())
              .setCreatedAt(Instant.parse("2026-11-20T14:03:31Z"))
              .build());
    }
    return chunks;
  }

  static float[] vector(double... values) {
    float[] vector = new float[8];
    for (int i = 0; i < values.length; i++) {
      vector[i] = (float) values[i];
    }
    return vector;
  }
}
