package io.callstream.gateway.provider.elevenlabs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A {@code post_call_transcription} webhook as ElevenLabs sends it: the agent and the caller taking
 * turns, the agent first, a turn every {@code secondsPerTurn}. For callstream's own senders (the
 * demo, the chaos run, end-to-end tests), beside {@link ElevenLabsSignature}.
 */
public final class ElevenLabsTranscription {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ElevenLabsTranscription() {}

  /** The body of conversation {@code conversationId} of {@code agentId}, ended at {@code now}. */
  public static ObjectNode of(
      String agentId, String conversationId, List<String> lines, long now, int secondsPerTurn) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "post_call_transcription");
    body.put("event_timestamp", now);
    ObjectNode data = body.putObject("data");
    data.put("agent_id", agentId);
    data.put("conversation_id", conversationId);
    data.put("status", "done");
    ArrayNode transcript = data.putArray("transcript");
    for (int i = 0; i < lines.size(); i++) {
      ObjectNode turn = transcript.addObject();
      turn.put("role", i % 2 == 0 ? "agent" : "user");
      turn.put("message", lines.get(i));
      turn.put("time_in_call_secs", i * secondsPerTurn);
    }
    int duration = lines.size() * secondsPerTurn + 5;
    ObjectNode metadata = data.putObject("metadata");
    metadata.put("start_time_unix_secs", now - duration - 5);
    metadata.put("call_duration_secs", duration);
    return body;
  }
}
