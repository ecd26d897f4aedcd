package io.callstream.cli;

import io.callstream.events.AgentTenant;
import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.topics.TopicCatalog;
import java.util.Map;

/**
 * The agent to tenant map: the compacted {@code tenants.agents.v1}, keyed by agent id, which the
 * topology reads as a global table.
 */
public final class AgentMap {
  private final KeyedTable<AgentTenant> table;

  public AgentMap(Map<String, Object> clientConfig, SchemaRegistry registry) {
    this.table = new KeyedTable<>(TopicCatalog.TENANTS_AGENTS, clientConfig, registry);
  }

  /** Maps {@code agent.agent_id} to its tenant, durably (acks=all) before returning. */
  public void put(AgentTenant agent) {
    table.put(agent.getAgentId(), agent);
  }

  /** Every mapped agent, the latest mapping of each, by agent id. */
  public Map<String, AgentTenant> all() {
    return table.all();
  }
}
