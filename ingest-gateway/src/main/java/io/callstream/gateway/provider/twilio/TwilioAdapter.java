package io.callstream.gateway.provider.twilio;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.gateway.provider.CallIds;
import io.callstream.gateway.provider.Mapping;
import io.callstream.gateway.provider.ProviderAdapter;
import io.callstream.gateway.provider.Signatures;
import io.callstream.gateway.provider.WebhookRejected;
import io.callstream.gateway.provider.WebhookRequest;
import io.callstream.gateway.source.Source;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Twilio call status callbacks and recording status callbacks, form-encoded. {@code
 * X-Twilio-Signature} is the base64 HMAC-SHA1, keyed with the account's auth token, of the full
 * public URL the webhook was sent to followed by every POST parameter, sorted by name, as name then
 * value. Completed (or failed, busy, unanswered, canceled) calls become {@link CallEnded};
 * completed recordings become {@link RecordingUploaded}. Progress callbacks are acknowledged, not
 * written.
 */
public final class TwilioAdapter implements ProviderAdapter {
  public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
  private static final Set<String> FINAL_STATUSES =
      Set.of("completed", "busy", "no-answer", "failed", "canceled");

  @Override
  public Provider provider() {
    return Provider.TWILIO;
  }

  @Override
  public String mediaType() {
    return "application/x-www-form-urlencoded";
  }

  @Override
  public void verify(WebhookRequest request, Source source, String secret, Instant now) {
    String signature = request.header(SIGNATURE_HEADER);
    if (signature == null || signature.isBlank()) {
      throw WebhookRejected.badSignature(SIGNATURE_HEADER + " header is missing");
    }
    FormBody form = FormBody.parse(request.bodyText());
    byte[] expected =
        Signatures.hmacSha1(secret, Signatures.utf8(request.publicUrl() + form.signedParameters()));
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      throw WebhookRejected.badSignature(SIGNATURE_HEADER + " is not base64");
    }
    if (!Signatures.constantTimeEquals(expected, presented)) {
      throw WebhookRejected.badSignature(
          SIGNATURE_HEADER
              + " does not match the URL and parameters (the gateway signs with public URL "
              + request.publicUrl()
              + ")");
    }
  }

  @Override
  public Mapping map(WebhookRequest request, Source source) {
    FormBody form = FormBody.parse(request.bodyText());
    String callSid = form.required("CallSid");
    UUID callId = CallIds.of(Provider.TWILIO, callSid);
    if (form.get("RecordingSid") != null) {
      return recording(form, callSid, callId);
    }
    String status = form.required("CallStatus");
    if (!FINAL_STATUSES.contains(status)) {
      return new Mapping.Ignored(
          "Twilio call status '" + status + "' is not final; callstream ingests ended calls");
    }
    Direction direction = direction(form.get("Direction"));
    String from = form.get("From");
    String to = form.get("To");
    Long durationSeconds = seconds(form, "CallDuration");
    Instant endedAt = rfc1123(form.get("Timestamp"), "Timestamp");
    if (endedAt == null) {
      endedAt = request.receivedAt();
    }
    String eventId = "twilio:" + callSid + ":" + status;
    CallEnded.Builder call =
        CallEnded.newBuilder()
            // The agent is the platform's number: the one called, or the one calling out.
            .setAgentId(direction == Direction.OUTBOUND ? from : to)
            .setDirection(direction)
            .setStatus(status(status))
            .setStartedAt(durationSeconds == null ? null : endedAt.minusSeconds(durationSeconds))
            .setEndedAt(endedAt)
            .setDurationMs(durationSeconds == null ? null : durationSeconds * 1000)
            .setParties(
                List.of(
                    new Party(PartyRole.CALLER, from, form.get("CallerName")),
                    new Party(PartyRole.CALLEE, to, null)))
            .setMetadata(form.asMap());
    return new Mapping.CallEnd(callId, callSid, eventId, call);
  }

  private static Mapping recording(FormBody form, String callSid, UUID callId) {
    String recordingSid = form.required("RecordingSid");
    String status = form.required("RecordingStatus");
    if (!status.equals("completed")) {
      return new Mapping.Ignored(
          "Twilio recording status '" + status + "' has no audio to transcribe");
    }
    String url = form.required("RecordingUrl");
    Long durationSeconds = seconds(form, "RecordingDuration");
    Long channels = seconds(form, "RecordingChannels");
    String eventId = "twilio:" + recordingSid + ":completed";
    RecordingUploaded.Builder recording =
        RecordingUploaded.newBuilder()
            .setRecordingId(recordingSid)
            // Twilio serves the recording as WAV at its URL, or MP3 with the .mp3 extension.
            .setAudioUrl(url)
            .setFormat(url.endsWith(".mp3") ? AudioFormat.MP3 : AudioFormat.WAV)
            .setDurationMs(durationSeconds == null ? null : durationSeconds * 1000)
            .setChannels(channels == null ? null : channels.intValue())
            .setRecordedAt(rfc1123(form.get("RecordingStartTime"), "RecordingStartTime"))
            .setMetadata(form.asMap());
    return new Mapping.Recording(callId, callSid, eventId, recording, null);
  }

  static CallStatus status(String status) {
    return switch (status) {
      case "busy" -> CallStatus.BUSY;
      case "no-answer" -> CallStatus.NO_ANSWER;
      case "failed" -> CallStatus.FAILED;
      case "canceled" -> CallStatus.CANCELED;
      default -> CallStatus.COMPLETED;
    };
  }

  private static Direction direction(String direction) {
    if (direction == null) {
      return Direction.UNKNOWN;
    }
    return direction.startsWith("outbound")
        ? Direction.OUTBOUND
        : direction.equals("inbound") ? Direction.INBOUND : Direction.UNKNOWN;
  }

  private static Long seconds(FormBody form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw WebhookRejected.invalidField(
          name, "form parameter " + name + " must be a whole number, got '" + value + "'");
    }
  }

  private static Instant rfc1123(String value, String name) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw WebhookRejected.invalidField(
          name, "form parameter " + name + " is not an RFC 1123 date: " + value);
    }
  }
}
