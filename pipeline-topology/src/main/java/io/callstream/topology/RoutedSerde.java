package io.callstream.topology;

import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.TopicCatalog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a {@link Routed} record's value with the value serde of its topic, as the topic catalog
 * types it, registering the schema under its topic's subject as any other producer of that topic
 * would. A value of another type than its topic carries is a bug and fails loudly. Routed records
 * are only written: each topic is read back with the serde of its own type.
 */
public final class RoutedSerde implements Serde<Routed>, Serializer<Routed> {
  private final SchemaRegistry registry;
  private final Map<String, Serializer<Object>> serializers = new ConcurrentHashMap<>();

  public RoutedSerde(SchemaRegistry registry) {
    this.registry = registry;
  }

  @Override
  public byte[] serialize(String topic, Routed routed) {
    if (routed == null) {
      return null;
    }
    return serializers.computeIfAbsent(topic, this::serializerFor).serialize(topic, routed.value());
  }

  private Serializer<Object> serializerFor(String topic) {
    return TopicCatalog.named(topic).routingSerializer(registry);
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
