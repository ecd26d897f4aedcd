package io.callstream.gateway.provider.telnyx;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.gateway.provider.CallIds;
import io.callstream.gateway.provider.JsonPayload;
import io.callstream.gateway.provider.Mapping;
import io.callstream.gateway.provider.ProviderAdapter;
import io.callstream.gateway.provider.Signatures;
import io.callstream.gateway.provider.Timestamps;
import io.callstream.gateway.provider.WebhookRejected;
import io.callstream.gateway.provider.WebhookRequest;
import io.callstream.gateway.source.Source;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Telnyx Call Control webhooks {@code call.hangup} and {@code call.recording.saved}. {@code
 * telnyx-signature-ed25519} is a base64 Ed25519 signature, by the account's key, of {@code
 * <telnyx-timestamp>|<raw body>}; the source's secret is the account's base64 public key, and
 * timestamps more than 300 s off are refused.
 */
public final class TelnyxAdapter implements ProviderAdapter {
  public static final String SIGNATURE_HEADER = "telnyx-signature-ed25519";
  public static final String TIMESTAMP_HEADER = "telnyx-timestamp";
  static final Duration TOLERANCE = Duration.ofSeconds(300);
  // DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key.
  private static final byte[] ED25519_SPKI_PREFIX =
      HexFormat.of().parseHex("302a300506032b6570032100");

  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();

  @Override
  public Provider provider() {
    return Provider.TELNYX;
  }

  @Override
  public String mediaType() {
    return "application/json";
  }

  @Override
  public void verify(WebhookRequest request, Source source, String secret, Instant now) {
    String signature = request.header(SIGNATURE_HEADER);
    String timestamp = request.header(TIMESTAMP_HEADER);
    if (signature == null || signature.isBlank()) {
      throw WebhookRejected.badSignature(SIGNATURE_HEADER + " header is missing");
    }
    if (timestamp == null || timestamp.isBlank()) {
      throw WebhookRejected.badSignature(TIMESTAMP_HEADER + " header is missing");
    }
    Instant signedAt = Timestamps.parseEpoch(timestamp, false, TIMESTAMP_HEADER);
    byte[] presented;
    try {
      presented = Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      throw WebhookRejected.badSignature(SIGNATURE_HEADER + " is not base64");
    }
    boolean valid;
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(keys.computeIfAbsent(secret, TelnyxAdapter::publicKey));
      verifier.update(Signatures.utf8(timestamp + "|"));
      verifier.update(request.body());
      valid = verifier.verify(presented);
    } catch (GeneralSecurityException e) {
      valid = false;
    }
    if (!valid) {
      throw WebhookRejected.badSignature(
          SIGNATURE_HEADER + " does not verify with the source's public key");
    }
    Timestamps.requireFresh(signedAt, now, TOLERANCE, TIMESTAMP_HEADER);
  }

  /** The Ed25519 public key from its base64 form: raw 32 bytes, or a DER SubjectPublicKeyInfo. */
  static PublicKey publicKey(String base64) {
    try {
      byte[] raw = Base64.getDecoder().decode(base64.trim());
      byte[] der = raw;
      if (raw.length == 32) {
        der = new byte[ED25519_SPKI_PREFIX.length + 32];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, 32);
      }
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("the Telnyx public key is not a base64 Ed25519 key", e);
    }
  }

  @Override
  public Mapping map(WebhookRequest request, Source source) {
    JsonPayload data = JsonPayload.parse(request.body()).object("data");
    String type = data.requiredText("event_type");
    String eventId = "telnyx:" + data.requiredText("id");
    JsonPayload payload = data.object("payload");
    String sessionId =
        payload.has("call_session_id")
            ? payload.text("call_session_id")
            : payload.requiredText("call_control_id");
    UUID callId = CallIds.of(Provider.TELNYX, sessionId);
    Instant occurredAt = data.instant("occurred_at");
    Instant eventTime = occurredAt == null ? request.receivedAt() : occurredAt;
    return switch (type) {
      case "call.hangup" -> hangup(payload, callId, sessionId, eventId, eventTime);
      case "call.recording.saved" -> recording(payload, callId, sessionId, eventId);
      default ->
          new Mapping.Ignored("Telnyx event type '" + type + "' is not one callstream ingests");
    };
  }

  private static Mapping hangup(
      JsonPayload payload, UUID callId, String sessionId, String eventId, Instant eventTime) {
    Instant startedAt = payload.instant("start_time");
    Instant endedAt = payload.has("end_time") ? payload.instant("end_time") : eventTime;
    String cause = payload.text("hangup_cause");
    String direction = payload.text("direction");
    CallEnded.Builder call =
        CallEnded.newBuilder()
            .setAgentId(payload.text("connection_id"))
            .setDirection(
                "incoming".equals(direction)
                    ? Direction.INBOUND
                    : "outgoing".equals(direction) ? Direction.OUTBOUND : Direction.UNKNOWN)
            .setStatus(status(cause))
            .setStartedAt(startedAt)
            .setEndedAt(endedAt)
            .setDurationMs(
                startedAt == null ? null : Duration.between(startedAt, endedAt).toMillis())
            .setParties(
                List.of(
                    new Party(PartyRole.CALLER, payload.text("from"), null),
                    new Party(PartyRole.CALLEE, payload.text("to"), null)))
            .setTerminationReason(cause);
    return new Mapping.CallEnd(callId, sessionId, eventId, call);
  }

  private static Mapping recording(
      JsonPayload payload, UUID callId, String sessionId, String eventId) {
    JsonPayload urls = payload.object("recording_urls");
    String mp3 = urls.text("mp3");
    String url = mp3 != null ? mp3 : urls.text("wav");
    if (url == null) {
      throw WebhookRejected.invalidField(
          "data.payload.recording_urls", "data.payload.recording_urls has neither mp3 nor wav");
    }
    Instant started = payload.instant("recording_started_at");
    Instant ended = payload.instant("recording_ended_at");
    RecordingUploaded.Builder recording =
        RecordingUploaded.newBuilder()
            .setRecordingId(payload.text("recording_id"))
            .setAgentId(payload.text("connection_id"))
            .setAudioUrl(url)
            .setFormat(mp3 != null ? AudioFormat.MP3 : AudioFormat.WAV)
            .setDurationMs(
                started != null && ended != null
                    ? Duration.between(started, ended).toMillis()
                    : null)
            .setChannels("dual".equals(payload.text("channels")) ? 2 : 1)
            .setRecordedAt(started);
    return new Mapping.Recording(callId, sessionId, eventId, recording, null);
  }

  static CallStatus status(String cause) {
    if (cause == null) {
      return CallStatus.COMPLETED;
    }
    return switch (cause) {
      case "user_busy" -> CallStatus.BUSY;
      case "timeout", "no_answer" -> CallStatus.NO_ANSWER;
      case "originator_cancel" -> CallStatus.CANCELED;
      case "call_rejected", "unspecified", "destination_out_of_order" -> CallStatus.FAILED;
      default -> CallStatus.COMPLETED;
    };
  }
}
