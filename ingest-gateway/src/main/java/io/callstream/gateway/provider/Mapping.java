package io.callstream.gateway.provider;

import io.callstream.events.CallEnded;
import io.callstream.events.RecordingUploaded;
import java.util.UUID;

/**
 * What a verified webhook says, in callstream's terms and no platform's: a call that ended, a
 * recording of one, or a kind of event callstream does not ingest. An accepted mapping carries the
 * event's facts only; {@link EventEnvelope} adds what every event carries (its ids, platform,
 * tenant, received time, raw body) in one place.
 */
public sealed interface Mapping {

  /** A webhook that becomes an event. */
  sealed interface Accepted extends Mapping {
    /** callstream's id for the call (see {@link CallIds}). */
    UUID callId();

    /** The platform's own id for the call. */
    String providerCallId();

    /** The id duplicates of this webhook share. */
    String eventId();
  }

  /** The call ended: what the platform says of it. */
  record CallEnd(UUID callId, String providerCallId, String eventId, CallEnded.Builder facts)
      implements Accepted {}

  /**
   * A recording of the call, at a URL the platform serves, or (a platform that sends the audio
   * itself) with its audio inline, which is stored before the event is written.
   */
  record Recording(
      UUID callId,
      String providerCallId,
      String eventId,
      RecordingUploaded.Builder facts,
      InlineAudio audio)
      implements Accepted {}

  /** Audio sent in the webhook's body, and the file extension its format takes. */
  record InlineAudio(byte[] bytes, String extension) {}

  /**
   * A valid webhook of a kind callstream does not ingest (e.g. a call-started notice);
   * acknowledged, not written.
   */
  record Ignored(String reason) implements Mapping {}
}
