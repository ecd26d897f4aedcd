package io.callstream.gateway.provider.vapi;

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
import io.callstream.gateway.provider.WebhookRejected;
import io.callstream.gateway.provider.WebhookRequest;
import io.callstream.gateway.source.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Vapi server messages of type {@code end-of-call-report}, authenticated per source either by the
 * shared secret in {@code X-Vapi-Secret} or by a hex HMAC-SHA256 of the raw body in {@code
 * X-Vapi-Signature}. Other message types are acknowledged and not written.
 */
public final class VapiAdapter implements ProviderAdapter {
  public static final String SECRET_HEADER = "X-Vapi-Secret";
  public static final String SIGNATURE_HEADER = "X-Vapi-Signature";

  @Override
  public Provider provider() {
    return Provider.VAPI;
  }

  @Override
  public String mediaType() {
    return "application/json";
  }

  @Override
  public void verify(WebhookRequest request, Source source, String secret, Instant now) {
    if ("hmac".equals(source.auth())) {
      String signature = request.header(SIGNATURE_HEADER);
      if (signature == null || signature.isBlank()) {
        throw WebhookRejected.badSignature(SIGNATURE_HEADER + " header is missing");
      }
      if (!Signatures.matchesHex(Signatures.hmacSha256(secret, request.body()), signature.trim())) {
        throw WebhookRejected.badSignature(SIGNATURE_HEADER + " does not match the body");
      }
      return;
    }
    String presented = request.header(SECRET_HEADER);
    if (presented == null || presented.isEmpty()) {
      throw WebhookRejected.badSignature(SECRET_HEADER + " header is missing");
    }
    // Compare digests so the comparison takes the same time whatever the presented length.
    if (!Signatures.constantTimeEquals(
        Signatures.sha256(Signatures.utf8(secret)),
        Signatures.sha256(Signatures.utf8(presented)))) {
      throw WebhookRejected.badSignature(SECRET_HEADER + " does not match the source's secret");
    }
  }

  @Override
  public Mapping map(WebhookRequest request, Source source) {
    JsonPayload message = JsonPayload.parse(request.body()).object("message");
    String type = message.requiredText("type");
    if (!type.equals("end-of-call-report")) {
      return new Mapping.Ignored("Vapi message type '" + type + "' is not one callstream ingests");
    }
    JsonPayload call = message.object("call");
    String providerCallId = call.requiredText("id");
    UUID callId = CallIds.of(Provider.VAPI, providerCallId);
    JsonPayload assistant = message.optionalObject("assistant");
    String agentId = call.text("assistantId");
    if (agentId == null && assistant != null) {
      agentId = assistant.text("id");
    }
    Instant startedAt =
        message.has("startedAt") ? message.instant("startedAt") : call.instant("startedAt");
    Instant endedAt = message.has("endedAt") ? message.instant("endedAt") : call.instant("endedAt");
    if (endedAt == null) {
      Long timestamp = message.longValue("timestamp");
      if (timestamp == null) {
        throw WebhookRejected.invalidField(
            "message.endedAt", "message.endedAt (or message.timestamp) is required");
      }
      endedAt = Instant.ofEpochMilli(timestamp);
    }
    Long durationMs = message.longValue("durationMs");
    if (durationMs == null && message.has("durationSeconds")) {
      durationMs = Math.round(message.number("durationSeconds") * 1000);
    }
    JsonPayload artifact = message.optionalObject("artifact");
    List<JsonPayload> messages =
        artifact != null ? artifact.objects("messages") : message.objects("messages");
    String recordingUrl = message.text("recordingUrl");
    if (recordingUrl == null && artifact != null) {
      recordingUrl = artifact.text("recordingUrl");
    }
    String endedReason = message.text("endedReason");
    String eventId = "vapi:" + providerCallId + ":end-of-call-report";
    CallEnded.Builder ended =
        CallEnded.newBuilder()
            .setAgentId(agentId)
            .setDirection(direction(call.text("type")))
            .setStatus(status(endedReason))
            .setStartedAt(startedAt)
            .setEndedAt(endedAt)
            .setDurationMs(durationMs)
            .setParties(parties(message, call))
            .setTurns(turns(messages))
            .setRecordingUrl(recordingUrl)
            .setTerminationReason(endedReason)
            .setProviderAnalysis(analysis(message.optionalObject("analysis")));
    return new Mapping.CallEnd(callId, providerCallId, eventId, ended);
  }

  static CallStatus status(String endedReason) {
    if (endedReason == null) {
      return CallStatus.COMPLETED;
    }
    if (endedReason.contains("busy")) {
      return CallStatus.BUSY;
    }
    if (endedReason.contains("no-answer") || endedReason.contains("did-not-answer")) {
      return CallStatus.NO_ANSWER;
    }
    if (endedReason.contains("voicemail")) {
      return CallStatus.VOICEMAIL;
    }
    if (endedReason.contains("error") || endedReason.contains("failed")) {
      return CallStatus.FAILED;
    }
    return CallStatus.COMPLETED;
  }

  private static Direction direction(String callType) {
    if (callType == null) {
      return Direction.UNKNOWN;
    }
    return switch (callType) {
      case "inboundPhoneCall" -> Direction.INBOUND;
      case "outboundPhoneCall" -> Direction.OUTBOUND;
      default -> Direction.UNKNOWN;
    };
  }

  private static List<Party> parties(JsonPayload message, JsonPayload call) {
    JsonPayload customer =
        message.has("customer") ? message.object("customer") : call.optionalObject("customer");
    JsonPayload phoneNumber = message.optionalObject("phoneNumber");
    String customerNumber = customer == null ? null : customer.text("number");
    String agentNumber = phoneNumber == null ? null : phoneNumber.text("number");
    if (customerNumber == null && agentNumber == null) {
      return List.of();
    }
    boolean inbound = !"outboundPhoneCall".equals(call.text("type"));
    String customerName = customer == null ? null : customer.text("name");
    return List.of(
        new Party(
            PartyRole.CALLER,
            inbound ? customerNumber : agentNumber,
            inbound ? customerName : null),
        new Party(
            PartyRole.CALLEE,
            inbound ? agentNumber : customerNumber,
            inbound ? null : customerName));
  }

  private static List<TranscriptTurn> turns(List<JsonPayload> messages) {
    List<TranscriptTurn> turns = new ArrayList<>();
    for (JsonPayload message : messages) {
      SpeakerRole role = role(message.text("role"));
      String text = message.text("message");
      if (role == SpeakerRole.SYSTEM
          || role == SpeakerRole.UNKNOWN
          || text == null
          || text.isBlank()) {
        continue; // the system prompt and tool calls are not part of the conversation
      }
      Double fromStart = message.number("secondsFromStart");
      Long start = fromStart == null ? null : Math.round(fromStart * 1000);
      Long duration = message.longValue("duration");
      Long end = start != null && duration != null ? start + duration : null;
      turns.add(new TranscriptTurn(role, text, start, end));
    }
    return turns;
  }

  private static SpeakerRole role(String role) {
    if (role == null) {
      return SpeakerRole.UNKNOWN;
    }
    return switch (role) {
      case "bot", "assistant" -> SpeakerRole.AGENT;
      case "user" -> SpeakerRole.USER;
      case "system" -> SpeakerRole.SYSTEM;
      default -> SpeakerRole.UNKNOWN;
    };
  }

  private static ProviderAnalysis analysis(JsonPayload analysis) {
    if (analysis == null) {
      return null;
    }
    String success = analysis.text("successEvaluation");
    Boolean successful =
        "true".equalsIgnoreCase(success)
            ? Boolean.TRUE
            : "false".equalsIgnoreCase(success) ? Boolean.FALSE : null;
    return ProviderAnalysis.newBuilder()
        .setSummary(analysis.text("summary"))
        .setSuccessful(successful)
        .setSentiment(null)
        .setData(analysis.stringMap("structuredData"))
        .build();
  }
}
