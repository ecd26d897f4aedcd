package io.callstream.cli;

import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.Topic;
import io.callstream.schemas.topics.TopicReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One of callstream's compacted lookup topics (the agent map, tenant settings) as a table: the
 * latest value of each key, written durably (acks=all) before {@link #put} returns.
 */
public final class KeyedTable<V> {
  private final Topic<V> topic;
  private final Map<String, Object> clientConfig;
  private final Serde<V> serde;

  public KeyedTable(Topic<V> topic, Map<String, Object> clientConfig, SchemaRegistry registry) {
    this.topic = topic;
    this.clientConfig = clientConfig;
    this.serde = topic.valueSerde(registry);
  }

  public void put(String key, V value) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  topic.name(), key, serde.serializer().serialize(topic.name(), value)))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + topic.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Every key's latest value (a tombstone removes the key), by key. */
  public Map<String, V> all() {
    Map<String, V> values = new TreeMap<>();
    try (TopicReader reader = new TopicReader(clientConfig)) {
      reader.readAll(
          topic.name(),
          record -> {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
              values.remove(key);
            } else {
              values.put(key, serde.deserializer().deserialize(topic.name(), record.value()));
            }
          });
    }
    return values;
  }
}
