package io.callstream.gateway.provider;

import io.callstream.events.CallEnded;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.gateway.blob.BlobStore;
import io.callstream.schemas.topics.Topics;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/**
 * The one place an accepted request becomes the event written to Kafka: the facts an adapter (or
 * the generic API) mapped, with the envelope every event carries (callstream's call id, the event
 * id, the platform and its call id, the tenant, when the request arrived) and its topic. A call
 * keeps the body exactly as received, for replay; a recording's inline audio is stored in the blob
 * store first, and the event carries its URL.
 */
public final class EventEnvelope {
  private final BlobStore blobs;

  public EventEnvelope(BlobStore blobs) {
    this.blobs = blobs;
  }

  /**
   * The event of {@code accepted}, from {@code provider}, for {@code tenantId} (null: the agent map
   * decides), as received in {@code request} with its body's {@code contentType}.
   *
   * @throws IOException when inline audio cannot be stored
   */
  public IngestEvent of(
      Mapping.Accepted accepted,
      Provider provider,
      String tenantId,
      WebhookRequest request,
      String contentType)
      throws IOException {
    return switch (accepted) {
      case Mapping.CallEnd end -> {
        CallEnded call =
            end.facts()
                .setCallId(end.callId())
                .setEventId(end.eventId())
                .setProvider(provider)
                .setProviderCallId(end.providerCallId())
                .setTenantId(tenantId)
                .setReceivedAt(request.receivedAt())
                .setRawContentType(contentType)
                .setRawPayload(request.bodyText())
                .build();
        yield new IngestEvent(Topics.CALLS_ENDED, end.callId(), end.eventId(), call);
      }
      case Mapping.Recording recording -> {
        RecordingUploaded.Builder facts =
            recording
                .facts()
                .setCallId(recording.callId())
                .setEventId(recording.eventId())
                .setProvider(provider)
                .setProviderCallId(recording.providerCallId())
                .setTenantId(tenantId)
                .setReceivedAt(request.receivedAt());
        Mapping.InlineAudio audio = recording.audio();
        if (audio != null) {
          String name =
              provider.name().toLowerCase(Locale.ROOT)
                  + "/"
                  + recording.callId()
                  + "."
                  + audio.extension();
          URI stored = blobs.put(name, audio.bytes());
          facts.setAudioUrl(stored.toString()).setSizeBytes((long) audio.bytes().length);
        }
        yield new IngestEvent(
            Topics.RECORDINGS_UPLOADED, recording.callId(), recording.eventId(), facts.build());
      }
    };
  }
}
