package io.callstream.topology.enrich;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A value whose serialized form is larger than a Kafka record may be: thrown by a {@link
 * #limiting(Serde, int)} serde before anything is written, so the caller can dead-letter the call
 * instead of poisoning its transaction with a write the broker would refuse.
 */
public final class OversizedRecord extends SerializationException {
  private static final long serialVersionUID = 1L;

  OversizedRecord(String what, int bytes, int limit) {
    super(what + " is " + bytes + " bytes, more than the " + limit + " bytes of a Kafka record");
  }

  /**
   * {@code serde}, whose serializer refuses values over {@code limit} bytes with this exception.
   */
  static <T> Serde<T> limiting(Serde<T> serde, int limit) {
    Serializer<T> inner = serde.serializer();
    Serializer<T> checked =
        (topic, value) -> {
          byte[] bytes = inner.serialize(topic, value);
          if (bytes != null && bytes.length > limit) {
            throw new OversizedRecord(value.getClass().getSimpleName(), bytes.length, limit);
          }
          return bytes;
        };
    return Serdes.serdeFrom(checked, serde.deserializer());
  }
}
