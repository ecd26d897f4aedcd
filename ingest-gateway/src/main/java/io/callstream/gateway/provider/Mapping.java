package io.callstream.gateway.provider;

/**
 * What a verified webhook maps to: an event to write, or a kind of event callstream does not
 * ingest.
 */
public sealed interface Mapping {

  /** The webhook becomes this event. */
  record Accepted(IngestEvent event) implements Mapping {}

  /**
   * A valid webhook of a kind callstream does not ingest (e.g. a call-started notice);
   * acknowledged, not written.
   */
  record Ignored(String reason) implements Mapping {}
}
