package io.callstream.topology.tenant;

import io.callstream.events.AgentTenant;
import io.callstream.events.ErrorClass;
import io.callstream.events.Stage;
import io.callstream.events.StageError;
import io.callstream.events.WorkItem;
import io.callstream.topology.enrich.Stages;
import io.callstream.topology.intake.CallView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives each work item its tenant: the one the input event named, else the owner of its agent in
 * the agent map (a GlobalKTable on {@code tenants.agents.v1}); the map also supplies the tenant's
 * time zone. An item with neither is marked for the dead-letter topic as {@code unknown_agent}, to
 * be redriven once the agent is mapped.
 */
public final class TenantResolution {
  public static final String UNKNOWN_AGENT = "unknown_agent";
  private final Clock clock;

  public TenantResolution(Clock clock) {
    this.clock = clock;
  }

  /** The item with its tenant and time zone, or marked {@code unknown_agent}. */
  public WorkItem resolve(WorkItem item, AgentTenant agent) {
    WorkItem.Builder resolved = WorkItem.newBuilder(item);
    if (item.getStage() == Stage.ROUTE && (agent != null || item.getTenantId() != null)) {
      // redriven after its agent was mapped: start enrichment afresh
      resolved
          .setStage(Stages.first(item.getRecording() != null))
          .setAttempt(0)
          .setDeadLetterReason(null);
    }
    if (agent != null) {
      resolved.setTimeZone(agent.getTimeZone());
      if (item.getTenantId() == null) {
        resolved.setTenantId(agent.getTenantId());
      }
      return resolved.build();
    }
    if (item.getTenantId() != null) {
      return resolved.build();
    }
    String agentId = CallView.agentOf(item);
    String message =
        agentId == null
            ? "the event names neither a tenant nor an agent"
            : "agent " + agentId + " is not mapped to a tenant in tenants.agents.v1";
    List<StageError> errors = new ArrayList<>(item.getErrors());
    int attempt = item.getAttempt() + 1;
    errors.add(
        new StageError(
            Stage.ROUTE, attempt, clock.instant(), ErrorClass.PERMANENT, UNKNOWN_AGENT, message));
    return resolved
        .setStage(Stage.ROUTE)
        .setAttempt(attempt)
        .setErrors(errors)
        .setDeadLetterReason(UNKNOWN_AGENT)
        .build();
  }
}
