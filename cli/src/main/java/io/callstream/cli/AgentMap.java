package io.callstream.cli;

import io.callstream.events.AgentTenant;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicReader;
import io.callstream.schemas.topics.Topics;
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
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The agent to tenant map: the compacted {@code tenants.agents.v1}, keyed by agent id, which the
 * topology reads as a global table.
 */
public final class AgentMap {
  private final Map<String, Object> clientConfig;
  private final Serde<AgentTenant> serde;

  public AgentMap(Map<String, Object> clientConfig, SchemaRegistry registry) {
    this.clientConfig = clientConfig;
    this.serde = TopicCatalog.TENANTS_AGENTS.valueSerde(registry);
  }

  /** Maps {@code agent.agent_id} to its tenant, durably (acks=all) before returning. */
  public void put(AgentTenant agent) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            config,
            new StringSerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.TENANTS_AGENTS,
                  agent.getAgentId(),
                  serde.serializer().serialize(Topics.TENANTS_AGENTS, agent)))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write to " + Topics.TENANTS_AGENTS, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Every mapped agent, the latest mapping of each, by agent id. */
  public Map<String, AgentTenant> all() {
    Map<String, AgentTenant> agents = new TreeMap<>();
    try (TopicReader reader = new TopicReader(clientConfig)) {
      reader.readAll(
          Topics.TENANTS_AGENTS,
          record -> {
            String agent = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
              agents.remove(agent);
            } else {
              agents.put(
                  agent, serde.deserializer().deserialize(Topics.TENANTS_AGENTS, record.value()));
            }
          });
    }
    return agents;
  }
}
