package io.callstream.schemas.topics;

/** Names of the Kafka record headers callstream writes on its input events. */
public final class EventHeaders {
  /** The event's id (provider event id or a body hash); the pipeline dedupes by it. */
  public static final String EVENT_ID = "callstream.event_id";

  /** The webhook source (or generic endpoint) the event came in through. */
  public static final String SOURCE = "callstream.source";

  /** When the gateway received the event, as epoch milliseconds in decimal text. */
  public static final String RECEIVED_AT = "callstream.received_at";

  /** W3C trace context of the request that produced the event. */
  public static final String TRACEPARENT = "traceparent";

  /** On an item a retry tier passes on when due: the tier's topic. */
  public static final String RETRY_TIER = "callstream.retry.tier";

  /** Present on events re-published by a replay. */
  public static final String REPLAY = "callstream.replay";

  /** On calls.dlt.v1: why the item was dead-lettered (unknown_agent, exhausted, http_400, ...). */
  public static final String DLT_REASON = "callstream.dlt.reason";

  /** On calls.dlt.v1: the topic the item's input event was read from. */
  public static final String DLT_SOURCE_TOPIC = "callstream.dlt.source.topic";

  /** On calls.dlt.v1: the partition the item's input event was read from. */
  public static final String DLT_SOURCE_PARTITION = "callstream.dlt.source.partition";

  /** On calls.dlt.v1: the offset of the item's input event. */
  public static final String DLT_SOURCE_OFFSET = "callstream.dlt.source.offset";

  private EventHeaders() {}
}
