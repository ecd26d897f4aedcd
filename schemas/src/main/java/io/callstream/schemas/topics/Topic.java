package io.callstream.schemas.topics;

import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One topic as a type: its layout, what its keys hold, and the type of its values, so every module
 * takes its serdes from here and no module restates what a topic carries. Values are Avro records
 * (in the Confluent wire format, under the subject {@code <topic>-value}), UTF-8 text, or raw
 * bytes.
 */
public record Topic<V>(TopicSpec spec, KeyFormat keys, Class<V> valueType) {

  public Topic {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(valueType, "valueType");
    if (!SpecificRecord.class.isAssignableFrom(valueType)
        && valueType != String.class
        && valueType != byte[].class) {
      throw new IllegalArgumentException(
          spec.name() + ": values are Avro records, text or bytes, not " + valueType.getName());
    }
  }

  public String name() {
    return spec.name();
  }

  /**
   * Keys are UTF-8 text; on the undecodable-records queue they are whatever the bad record had, so
   * read those as bytes.
   */
  public Serde<String> keySerde() {
    return Serdes.String();
  }

  /** The serde of the values; for Avro values it registers their schema on first write. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Serde<V> valueSerde(SchemaRegistry registry) {
    if (valueType == String.class) {
      return (Serde<V>) Serdes.String();
    }
    if (valueType == byte[].class) {
      return (Serde<V>) Serdes.ByteArray();
    }
    return (Serde<V>) AvroSerde.forValues((Class) valueType, registry);
  }

  /**
   * A serializer of this topic's values for writers that route values of several types, each to its
   * topic: a value of another type than the topic carries is a bug, and is refused.
   */
  @SuppressWarnings("unchecked")
  public Serializer<Object> routingSerializer(SchemaRegistry registry) {
    Serializer<Object> serializer = (Serializer<Object>) valueSerde(registry).serializer();
    return (topic, value) -> {
      if (value != null && !valueType.isInstance(value)) {
        throw new IllegalArgumentException(
            topic
                + " carries "
                + valueType.getSimpleName()
                + ", not "
                + value.getClass().getSimpleName());
      }
      return serializer.serialize(topic, value);
    };
  }

  /** The Avro schema of the values, when they are Avro. */
  public Optional<Schema> valueSchema() {
    return SpecificRecord.class.isAssignableFrom(valueType)
        ? Optional.of(SpecificData.get().getSchema(valueType))
        : Optional.empty();
  }

  /** The registry subject of the values. */
  public String valueSubject() {
    return name() + "-value";
  }
}
