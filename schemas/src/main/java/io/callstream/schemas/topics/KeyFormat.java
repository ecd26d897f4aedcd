package io.callstream.schemas.topics;

/**
 * What a topic's record keys hold. Every key callstream writes is plain UTF-8 text, never Avro: a
 * consumer reads keys with a string deserializer (one that decodes keys as Avro fails on them).
 */
public enum KeyFormat {
  CALL_ID("the call's id, a UUID as UTF-8 text"),
  AGENT_ID("the platform's agent id, as UTF-8 text"),
  TENANT_ID("the tenant's id, as UTF-8 text"),
  TENANT_HOUR("tenant|hour start in epoch milliseconds, as UTF-8 text"),
  DEAD_LETTER_ID("a dead letter's place in calls.dlt.v1, partition-offset, as UTF-8 text"),
  AS_RECEIVED("the undecodable record's own key, byte for byte");

  private final String description;

  KeyFormat(String description) {
    this.description = description;
  }

  /** What the key holds, in words, as the README's topic table says it. */
  public String description() {
    return description;
  }
}
