package io.callstream.gateway.provider.elevenlabs;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.ProviderAnalysis;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import io.callstream.gateway.provider.CallIds;
import io.callstream.gateway.provider.JsonPayload;
import io.callstream.gateway.provider.Mapping;
import io.callstream.gateway.provider.ProviderAdapter;
import io.callstream.gateway.provider.Signatures;
import io.callstream.gateway.provider.TimestampedSignature;
import io.callstream.gateway.provider.WebhookRejected;
import io.callstream.gateway.provider.WebhookRequest;
import io.callstream.gateway.source.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ElevenLabs Agents post-call webhooks. Signed in {@code ElevenLabs-Signature: t=<unix s>,v0=<hex>}
 * with HMAC-SHA256 of {@code <t>.<raw body>}; timestamps older than 30 minutes are refused.
 *
 * <ul>
 *   <li>{@code post_call_transcription} becomes a {@link CallEnded} with the transcript, metadata
 *       and ElevenLabs' own analysis;
 *   <li>{@code post_call_audio} carries the call's MP3 in base64: a {@link RecordingUploaded} with
 *       the audio inline, which the gateway stores before it writes the event with its URL;
 *   <li>{@code call_initiation_failure} becomes a {@link CallEnded} with a failed status.
 * </ul>
 */
public final class ElevenLabsAdapter implements ProviderAdapter {
  public static final String SIGNATURE_HEADER = "ElevenLabs-Signature";
  static final Duration TOLERANCE = Duration.ofMinutes(30);
  private static final TimestampedSignature SIGNATURE =
      new TimestampedSignature(
          SIGNATURE_HEADER,
          "t",
          "v0",
          false,
          TOLERANCE,
          (timestamp, body) -> new byte[][] {Signatures.utf8(timestamp + "."), body});

  @Override
  public Provider provider() {
    return Provider.ELEVENLABS;
  }

  @Override
  public String mediaType() {
    return "application/json";
  }

  @Override
  public void verify(WebhookRequest request, Source source, String secret, Instant now) {
    SIGNATURE.verify(request, secret, now);
  }

  @Override
  public Mapping map(WebhookRequest request, Source source) {
    JsonPayload body = JsonPayload.parse(request.body());
    String type = body.requiredText("type");
    JsonPayload data = body.object("data");
    Long eventSeconds = body.longValue("event_timestamp");
    Instant eventTime =
        eventSeconds == null ? request.receivedAt() : Instant.ofEpochSecond(eventSeconds);
    return switch (type) {
      case "post_call_transcription" -> transcription(data, eventTime);
      case "post_call_audio" -> audio(data);
      case "call_initiation_failure" -> initiationFailure(data, eventTime);
      default ->
          new Mapping.Ignored("ElevenLabs event type '" + type + "' is not one callstream ingests");
    };
  }

  private static Mapping transcription(JsonPayload data, Instant eventTime) {
    String conversationId = data.requiredText("conversation_id");
    JsonPayload metadata = data.optionalObject("metadata");
    Long startSeconds = metadata == null ? null : metadata.longValue("start_time_unix_secs");
    Long durationSeconds = metadata == null ? null : metadata.longValue("call_duration_secs");
    Instant startedAt = startSeconds == null ? null : Instant.ofEpochSecond(startSeconds);
    Instant endedAt =
        startedAt != null && durationSeconds != null
            ? startedAt.plusSeconds(durationSeconds)
            : eventTime;
    JsonPayload phone = metadata == null ? null : metadata.optionalObject("phone_call");
    CallEnded.Builder call =
        CallEnded.newBuilder()
            .setAgentId(data.text("agent_id"))
            .setDirection(phone == null ? Direction.UNKNOWN : direction(phone.text("direction")))
            .setStatus(
                "failed".equals(data.text("status")) ? CallStatus.FAILED : CallStatus.COMPLETED)
            .setStartedAt(startedAt)
            .setEndedAt(endedAt)
            .setDurationMs(durationSeconds == null ? null : durationSeconds * 1000)
            .setParties(phone == null ? List.of() : parties(phone))
            .setTurns(turns(data.objects("transcript"), durationSeconds))
            .setTerminationReason(
                blankToNull(metadata == null ? null : metadata.text("termination_reason")))
            .setProviderAnalysis(analysis(data.optionalObject("analysis")))
            .setMetadata(dynamicVariables(data));
    return callEnd(conversationId, "post_call_transcription", call);
  }

  private static Mapping audio(JsonPayload data) {
    String conversationId = data.requiredText("conversation_id");
    String encoded = data.requiredText("full_audio");
    byte[] audio;
    try {
      audio = Base64.getMimeDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw WebhookRejected.invalidField(
          "data.full_audio", "data.full_audio is not valid base64: " + e.getMessage());
    }
    if (audio.length == 0) {
      throw WebhookRejected.invalidField("data.full_audio", "data.full_audio is empty");
    }
    String eventId = "elevenlabs:" + conversationId + ":post_call_audio";
    RecordingUploaded.Builder recording =
        RecordingUploaded.newBuilder().setAgentId(data.text("agent_id")).setFormat(AudioFormat.MP3);
    return new Mapping.Recording(
        CallIds.of(Provider.ELEVENLABS, conversationId),
        conversationId,
        eventId,
        recording,
        new Mapping.InlineAudio(audio, "mp3"));
  }

  private static Mapping initiationFailure(JsonPayload data, Instant eventTime) {
    String conversationId = data.requiredText("conversation_id");
    String reason = data.text("failure_reason");
    CallEnded.Builder call =
        CallEnded.newBuilder()
            .setAgentId(data.text("agent_id"))
            .setDirection(Direction.OUTBOUND)
            .setStatus(failureStatus(reason))
            .setEndedAt(eventTime)
            .setTerminationReason(reason);
    return callEnd(conversationId, "call_initiation_failure", call);
  }

  /** A call's end, with the ids every ElevenLabs event of {@code type} carries. */
  private static Mapping callEnd(String conversationId, String type, CallEnded.Builder call) {
    return new Mapping.CallEnd(
        CallIds.of(Provider.ELEVENLABS, conversationId),
        conversationId,
        "elevenlabs:" + conversationId + ":" + type,
        call);
  }

  static CallStatus failureStatus(String reason) {
    if (reason == null) {
      return CallStatus.FAILED;
    }
    return switch (reason) {
      case "busy" -> CallStatus.BUSY;
      case "no-answer", "no_answer" -> CallStatus.NO_ANSWER;
      default -> CallStatus.FAILED;
    };
  }

  private static List<TranscriptTurn> turns(List<JsonPayload> transcript, Long durationSeconds) {
    List<TranscriptTurn> turns = new ArrayList<>();
    for (int i = 0; i < transcript.size(); i++) {
      JsonPayload turn = transcript.get(i);
      String text = turn.text("message");
      if (text == null || text.isBlank()) {
        continue; // tool calls and results carry no spoken text
      }
      Long start = seconds(turn.number("time_in_call_secs"));
      Long end = null;
      for (int j = i + 1; j < transcript.size() && end == null; j++) {
        end = seconds(transcript.get(j).number("time_in_call_secs"));
      }
      if (end == null && durationSeconds != null) {
        end = durationSeconds * 1000;
      }
      turns.add(new TranscriptTurn(role(turn.text("role")), text, start, end));
    }
    return turns;
  }

  private static Long seconds(Double value) {
    return value == null ? null : Math.round(value * 1000);
  }

  private static SpeakerRole role(String role) {
    if (role == null) {
      return SpeakerRole.UNKNOWN;
    }
    return switch (role) {
      case "agent" -> SpeakerRole.AGENT;
      case "user" -> SpeakerRole.USER;
      default -> SpeakerRole.UNKNOWN;
    };
  }

  private static Direction direction(String direction) {
    if (direction == null) {
      return Direction.UNKNOWN;
    }
    return switch (direction) {
      case "inbound" -> Direction.INBOUND;
      case "outbound" -> Direction.OUTBOUND;
      default -> Direction.UNKNOWN;
    };
  }

  private static List<Party> parties(JsonPayload phone) {
    String external = phone.text("external_number");
    String agent = phone.text("agent_number");
    boolean inbound = "inbound".equals(phone.text("direction"));
    List<Party> parties = new ArrayList<>();
    parties.add(new Party(PartyRole.CALLER, inbound ? external : agent, null));
    parties.add(new Party(PartyRole.CALLEE, inbound ? agent : external, null));
    return parties;
  }

  private static ProviderAnalysis analysis(JsonPayload analysis) {
    if (analysis == null) {
      return null;
    }
    String successful = analysis.text("call_successful");
    Map<String, String> data = new LinkedHashMap<>();
    JsonPayload results = analysis.optionalObject("data_collection_results");
    if (results != null) {
      data.putAll(analysis.stringMap("data_collection_results"));
    }
    return ProviderAnalysis.newBuilder()
        .setSummary(analysis.text("transcript_summary"))
        .setSuccessful(
            successful == null || successful.equals("unknown")
                ? null
                : successful.equals("success"))
        .setSentiment(null)
        .setData(data)
        .build();
  }

  private static Map<String, String> dynamicVariables(JsonPayload data) {
    JsonPayload client = data.optionalObject("conversation_initiation_client_data");
    return client == null ? Map.of() : client.stringMap("dynamic_variables");
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
