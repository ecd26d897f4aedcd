package io.callstream.cli;

import io.callstream.events.AgentTenant;
import io.callstream.events.Provider;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callstream tenants map-agent|list|set|show}: the agent map and tenant settings. */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description =
        "Maps voice agents to tenants (the compacted tenants.agents.v1 topic) and sets each"
            + " tenant's settings (tenants.settings.v1).",
    subcommands = {
      TenantsCommand.MapAgent.class,
      TenantsCommand.List.class,
      TenantSettingsCommands.Set.class,
      TenantSettingsCommands.Show.class
    })
final class TenantsCommand {

  @Command(
      name = "map-agent",
      mixinStandardHelpOptions = true,
      description =
          "Maps an agent id (as the provider sends it) to a tenant; the topology routes the agent's"
              + " calls to it from then on. Dead-lettered calls of the agent need a dlt redrive.")
  static final class MapAgent implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Parameters(index = "0", paramLabel = "AGENT")
    String agent;

    @Parameters(index = "1", paramLabel = "TENANT")
    String tenant;

    @Option(
        names = "--time-zone",
        paramLabel = "ZONE",
        description = "the tenant's IANA time zone, for callback times (e.g. Europe/London)")
    String timeZone;

    @Option(
        names = "--provider",
        defaultValue = "GENERIC",
        description = "the agent's platform: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Provider provider;

    @Option(names = "--name", paramLabel = "NAME", description = "the agent's display name")
    String name;

    @Override
    public Integer call() {
      if (agent.isBlank() || tenant.isBlank()) {
        throw new UsageProblem("AGENT and TENANT must not be blank");
      }
      if (timeZone != null) {
        try {
          ZoneId.of(timeZone);
        } catch (DateTimeException e) {
          throw new UsageProblem(
              "--time-zone '" + timeZone + "' is not a time zone (e.g. Europe/London)");
        }
      }
      new AgentMap(cluster.clientConfig(), cluster.registry())
          .put(
              AgentTenant.newBuilder()
                  .setAgentId(agent)
                  .setTenantId(tenant)
                  .setProvider(provider)
                  .setAgentName(name)
                  .setTimeZone(timeZone)
                  .setUpdatedAt(Instant.now())
                  .build());
      System.out.println(
          "agent "
              + agent
              + " -> tenant "
              + tenant
              + (timeZone == null ? "" : " (" + timeZone + ")"));
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists every mapped agent.")
  static final class List implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Override
    public Integer call() {
      Map<String, AgentTenant> agents =
          new AgentMap(cluster.clientConfig(), cluster.registry()).all();
      Table table = new Table("agent", "tenant", "time zone", "provider", "name", "updated");
      agents
          .values()
          .forEach(
              a ->
                  table.add(
                      a.getAgentId(),
                      a.getTenantId(),
                      a.getTimeZone(),
                      a.getProvider().name().toLowerCase(Locale.ROOT),
                      a.getAgentName(),
                      a.getUpdatedAt()));
      table.print(System.out);
      System.out.println(agents.size() + " agent(s)");
      return 0;
    }
  }
}
