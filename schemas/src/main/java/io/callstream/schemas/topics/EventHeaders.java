package io.callstream.schemas.topics;

/** Names of the Kafka record headers callstream writes on its source events. */
public final class EventHeaders {
  /** The event's id (provider event id or a body hash); the pipeline dedupes by it. */
  public static final String EVENT_ID = "callstream.event_id";

  /** The webhook source (or generic endpoint) the event came in through. */
  public static final String SOURCE = "callstream.source";

  /** When the gateway received the event, as epoch milliseconds in decimal text. */
  public static final String RECEIVED_AT = "callstream.received_at";

  /** W3C trace context of the request that produced the event. */
  public static final String TRACEPARENT = "traceparent";

  /** Present on events re-published by a replay. */
  public static final String REPLAY = "callstream.replay";

  private EventHeaders() {}
}
