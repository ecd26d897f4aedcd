package io.callstream.topology;

import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link Routed} record's value in the Confluent wire format with the serde of its type,
 * registering the schema under its topic's subject as any other producer of that topic would.
 * Routed records are only written: each topic is read back with the serde of its own type.
 */
public final class RoutedSerde implements Serde<Routed>, Serializer<Routed> {
  private final SchemaRegistry registry;
  private final Map<Class<?>, AvroSerde<SpecificRecord>> serdes = new ConcurrentHashMap<>();

  public RoutedSerde(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public byte[] serialize(String topic, Routed routed) {
    if (routed == null) {
      return null;
    }
    return serdes
        .computeIfAbsent(routed.value().getClass(), this::serdeFor)
        .serialize(topic, routed.value());
  }

  @SuppressWarnings("unchecked")
  private AvroSerde<SpecificRecord> serdeFor(Class<?> type) {
    return AvroSerde.forValues((Class<SpecificRecord>) type, registry);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  @Override
  public Serializer<Routed> serializer() {
    return this;
  }

  @Override
  public Deserializer<Routed> deserializer() {
    return (topic, data) -> {
      throw new UnsupportedOperationException(
          "routed records are read back with the serde of their topic's type, not as Routed");
    };
  }
}
