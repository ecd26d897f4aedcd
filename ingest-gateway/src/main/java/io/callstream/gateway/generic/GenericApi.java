package io.callstream.gateway.generic;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import io.callstream.gateway.provider.CallIds;
import io.callstream.gateway.provider.JsonPayload;
import io.callstream.gateway.provider.Mapping;
import io.callstream.gateway.provider.Signatures;
import io.callstream.gateway.provider.WebhookRejected;
import io.callstream.gateway.provider.WebhookRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * callstream's own JSON API for platforms without an adapter, authenticated by a tenant API key.
 *
 * <p>{@code POST /v1/calls}: {@code external_id} and {@code ended_at} (ISO-8601) are required;
 * optional are {@code agent_id}, {@code direction} (inbound, outbound), {@code status} (completed,
 * failed, no_answer, busy, canceled, voicemail), {@code started_at}, {@code duration_ms}, {@code
 * from}, {@code to}, {@code turns} ({@code role} agent or user, {@code text}, {@code start_ms},
 * {@code end_ms}), {@code recording_url}, {@code metadata} (string values) and {@code event_id}.
 *
 * <p>{@code POST /v1/recordings}: {@code external_id} and {@code audio_url} are required; optional
 * are {@code format} (mp3, wav, ogg, flac, webm, m4a), {@code duration_ms}, {@code recording_id},
 * {@code agent_id}, {@code recorded_at} and {@code event_id}.
 *
 * <p>The call id is derived from the tenant and {@code external_id}. Without {@code event_id}, the
 * {@code Idempotency-Key} header, else a hash of the body, identifies the event.
 */
public final class GenericApi {
  private GenericApi() {}

  public static Mapping.Accepted call(WebhookRequest request, String tenantId) {
    JsonPayload body = JsonPayload.parse(request.body());
    String externalId = body.requiredText("external_id");
    Instant endedAt = body.instant("ended_at");
    if (endedAt == null) {
      throw WebhookRejected.invalidField("ended_at", "ended_at is required");
    }
    UUID callId = callId(tenantId, externalId);
    String eventId = eventId(body, request);
    List<TranscriptTurn> turns = new ArrayList<>();
    for (JsonPayload turn : body.objects("turns")) {
      turns.add(
          new TranscriptTurn(
              role(turn),
              turn.requiredText("text"),
              turn.longValue("start_ms"),
              turn.longValue("end_ms")));
    }
    String from = body.text("from");
    String to = body.text("to");
    CallEnded.Builder call =
        CallEnded.newBuilder()
            .setAgentId(body.text("agent_id"))
            .setDirection(enumValue(body, "direction", Direction.class, Direction.UNKNOWN))
            .setStatus(enumValue(body, "status", CallStatus.class, CallStatus.COMPLETED))
            .setStartedAt(body.instant("started_at"))
            .setEndedAt(endedAt)
            .setDurationMs(body.longValue("duration_ms"))
            .setParties(
                from == null && to == null
                    ? List.of()
                    : List.of(
                        new Party(PartyRole.CALLER, from, null),
                        new Party(PartyRole.CALLEE, to, null)))
            .setTurns(turns)
            .setRecordingUrl(body.text("recording_url"))
            .setMetadata(body.stringMap("metadata"));
    return new Mapping.CallEnd(callId, externalId, eventId, call);
  }

  public static Mapping.Accepted recording(WebhookRequest request, String tenantId) {
    JsonPayload body = JsonPayload.parse(request.body());
    String externalId = body.requiredText("external_id");
    String audioUrl = body.requiredText("audio_url");
    if (!audioUrl.matches("(?i)(https?|file|s3|gs)://.+")) {
      throw WebhookRejected.invalidField(
          "audio_url", "audio_url must be an http(s), file, s3 or gs URL");
    }
    UUID callId = callId(tenantId, externalId);
    String eventId = eventId(body, request);
    RecordingUploaded.Builder recording =
        RecordingUploaded.newBuilder()
            .setRecordingId(body.text("recording_id"))
            .setAgentId(body.text("agent_id"))
            .setAudioUrl(audioUrl)
            .setFormat(enumValue(body, "format", AudioFormat.class, AudioFormat.UNKNOWN))
            .setDurationMs(body.longValue("duration_ms"))
            .setRecordedAt(body.instant("recorded_at"));
    return new Mapping.Recording(callId, externalId, eventId, recording, null);
  }

  private static UUID callId(String tenantId, String externalId) {
    return CallIds.of(Provider.GENERIC, tenantId + ":" + externalId);
  }

  private static String eventId(JsonPayload body, WebhookRequest request) {
    String explicit = body.text("event_id");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String key = request.header("Idempotency-Key");
    if (key != null && !key.isBlank()) {
      return key.trim();
    }
    return "sha256:" + Signatures.hex(Signatures.sha256(request.body()));
  }

  private static SpeakerRole role(JsonPayload turn) {
    return enumValue(turn, "role", SpeakerRole.class, SpeakerRole.UNKNOWN);
  }

  private static <E extends Enum<E>> E enumValue(
      JsonPayload body, String field, Class<E> type, E fallback) {
    String value = body.text(field);
    if (value == null) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      String path = body.path().isEmpty() ? field : body.path() + "." + field;
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        if (constant != fallback || constant.name().equals("COMPLETED")) {
          allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
      }
      throw WebhookRejected.invalidField(
          path, path + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
  }
}
