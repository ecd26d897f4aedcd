package io.callstream.gateway.provider.retell;

import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.ProviderAnalysis;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Retell AI {@code call_ended} and {@code call_analyzed} webhooks. Signed in {@code
 * x-retell-signature: v=<unix ms>,d=<hex>} with HMAC-SHA256 of {@code <raw body><timestamp>} keyed
 * with the Retell API key; timestamps more than 5 minutes off are refused.
 */
public final class RetellAdapter implements ProviderAdapter {
  public static final String SIGNATURE_HEADER = "x-retell-signature";
  static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final TimestampedSignature SIGNATURE =
      new TimestampedSignature(
          SIGNATURE_HEADER,
          "v",
          "d",
          true,
          TOLERANCE,
          (timestamp, body) -> new byte[][] {body, Signatures.utf8(timestamp)});

  @Override
  public Provider provider() {
    return Provider.RETELL;
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
    String event = body.requiredText("event");
    if (!event.equals("call_ended") && !event.equals("call_analyzed")) {
      return new Mapping.Ignored("Retell event '" + event + "' is not one callstream ingests");
    }
    JsonPayload call = body.object("call");
    String providerCallId = call.requiredText("call_id");
    UUID callId = CallIds.of(Provider.RETELL, providerCallId);
    Long start = call.longValue("start_timestamp");
    Long end = call.longValue("end_timestamp");
    if (end == null) {
      throw WebhookRejected.invalidField("call.end_timestamp", "call.end_timestamp is required");
    }
    Map<String, String> metadata = new LinkedHashMap<>(call.stringMap("metadata"));
    metadata.putAll(call.stringMap("retell_llm_dynamic_variables"));
    String eventId = "retell:" + providerCallId + ":" + event;
    String disconnection = call.text("disconnection_reason");
    CallEnded.Builder ended =
        CallEnded.newBuilder()
            .setAgentId(call.text("agent_id"))
            .setDirection(direction(call.text("direction")))
            .setStatus(status(call.text("call_status"), disconnection))
            .setStartedAt(start == null ? null : Instant.ofEpochMilli(start))
            .setEndedAt(Instant.ofEpochMilli(end))
            .setDurationMs(start == null ? null : end - start)
            .setParties(parties(call))
            .setTurns(turns(call.objects("transcript_object")))
            .setRecordingUrl(call.text("recording_url"))
            .setTerminationReason(disconnection)
            .setProviderAnalysis(analysis(call.optionalObject("call_analysis")))
            .setMetadata(metadata);
    return new Mapping.CallEnd(callId, providerCallId, eventId, ended);
  }

  static CallStatus status(String callStatus, String disconnection) {
    if ("error".equals(callStatus)) {
      return CallStatus.FAILED;
    }
    if (disconnection == null) {
      return CallStatus.COMPLETED;
    }
    return switch (disconnection) {
      case "dial_busy" -> CallStatus.BUSY;
      case "dial_no_answer" -> CallStatus.NO_ANSWER;
      case "voicemail_reached" -> CallStatus.VOICEMAIL;
      case "dial_failed", "error_unknown", "error_retell", "error_llm_websocket_open" ->
          CallStatus.FAILED;
      default -> CallStatus.COMPLETED;
    };
  }

  private static Direction direction(String direction) {
    if ("inbound".equals(direction)) {
      return Direction.INBOUND;
    }
    return "outbound".equals(direction) ? Direction.OUTBOUND : Direction.UNKNOWN;
  }

  private static List<Party> parties(JsonPayload call) {
    String from = call.text("from_number");
    String to = call.text("to_number");
    if (from == null && to == null) {
      return List.of();
    }
    return List.of(new Party(PartyRole.CALLER, from, null), new Party(PartyRole.CALLEE, to, null));
  }

  private static List<TranscriptTurn> turns(List<JsonPayload> transcript) {
    List<TranscriptTurn> turns = new ArrayList<>();
    for (JsonPayload turn : transcript) {
      String text = turn.text("content");
      if (text == null || text.isBlank()) {
        continue;
      }
      List<JsonPayload> words = turn.objects("words");
      Long start = words.isEmpty() ? null : millis(words.get(0).number("start"));
      Long end = words.isEmpty() ? null : millis(words.get(words.size() - 1).number("end"));
      String role = turn.text("role");
      SpeakerRole speaker =
          "agent".equals(role)
              ? SpeakerRole.AGENT
              : "user".equals(role) ? SpeakerRole.USER : SpeakerRole.UNKNOWN;
      turns.add(new TranscriptTurn(speaker, text, start, end));
    }
    return turns;
  }

  private static Long millis(Double seconds) {
    return seconds == null ? null : Math.round(seconds * 1000);
  }

  private static ProviderAnalysis analysis(JsonPayload analysis) {
    if (analysis == null) {
      return null;
    }
    return ProviderAnalysis.newBuilder()
        .setSummary(analysis.text("call_summary"))
        .setSuccessful(analysis.bool("call_successful"))
        .setSentiment(analysis.text("user_sentiment"))
        .setData(analysis.stringMap("custom_analysis_data"))
        .build();
  }
}
