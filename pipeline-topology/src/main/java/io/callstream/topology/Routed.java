package io.callstream.topology;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * A record on its way out of the topology with the topic it belongs on: processors that write to
 * several topics (enrichment outputs, retry tiers, dead letters, callbacks) emit these, and one
 * sink writes each to its topic with the serde of its type.
 */
public record Routed(String topic, SpecificRecord value) {
  public Routed {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
  }

  public static Routed to(String topic, SpecificRecord value) {
    return new Routed(topic, value);
  }
}
