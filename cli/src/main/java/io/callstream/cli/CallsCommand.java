package io.callstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callstream calls list|show}: a tenant's calls, and one call whole, through the API. */
@Command(
    name = "calls",
    mixinStandardHelpOptions = true,
    description = "Lists a tenant's calls, or shows one, through the query API.",
    subcommands = {CallsCommand.ListCalls.class, CallsCommand.ShowCall.class})
final class CallsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Calls, newest first.")
  static final class ListCalls implements Callable<Integer> {
    @Mixin ReadApi api;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "the tenant (operator keys)")
    String tenant;

    @Option(names = "--from", paramLabel = "TIME", description = "ended at or after")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "ended before")
    String to;

    @Option(names = "--agent", paramLabel = "ID")
    String agent;

    @Option(names = "--provider", paramLabel = "PROVIDER")
    String provider;

    @Option(names = "--direction", paramLabel = "DIRECTION")
    String direction;

    @Option(names = "--status", paramLabel = "STATUS")
    String status;

    @Option(names = "--sentiment", paramLabel = "SENTIMENT")
    String sentiment;

    @Option(names = "--success", paramLabel = "VERDICT")
    String success;

    @Option(names = "--has-callback", paramLabel = "true|false")
    Boolean hasCallback;

    @Option(names = "--text", paramLabel = "WORDS", description = "in the title or summary")
    String text;

    @Option(
        names = "--criterion",
        paramLabel = "NAME:VERDICT",
        description =
            "a criterion of the tenant's analysis plan and its verdict (success, failure, unknown)")
    String criterion;

    @Option(
        names = "--extracted",
        paramLabel = "FIELD:VALUE",
        description = "a field of the data extracted by the tenant's plan, and its value")
    String extracted;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "up to 100")
    int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "the next page's cursor")
    String cursor;

    @Option(names = "--json", description = "the API's JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("tenant", tenant);
      parameters.put("from", from);
      parameters.put("to", to);
      parameters.put("agent", agent);
      parameters.put("provider", provider);
      parameters.put("direction", direction);
      parameters.put("status", status);
      parameters.put("sentiment", sentiment);
      parameters.put("success", success);
      parameters.put("has_callback", hasCallback);
      parameters.put("q", text);
      parameters.put("criterion", criterion);
      parameters.put("extracted", extracted);
      parameters.put("limit", limit);
      parameters.put("cursor", cursor);
      JsonNode page = api.get("/v1/calls", parameters);
      PrintStream out = System.out;
      if (json) {
        out.println(page.toPrettyString());
        return 0;
      }
      Table table =
          new Table("ended", "call", "tenant", "provider", "sentiment", "success", "title");
      for (JsonNode call : page.path("calls")) {
        table.add(
            Cells.text(call.path("ended_at")),
            Cells.text(call.path("call_id")),
            Cells.text(call.path("tenant_id")),
            Cells.text(call.path("provider")),
            Cells.text(call.path("sentiment")),
            Cells.text(call.path("success")),
            Cells.text(call.path("title")));
      }
      table.print(out);
      if (!page.path("next_cursor").isNull()) {
        out.println("more: --cursor " + page.path("next_cursor").asText());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One call, whole.")
  static final class ShowCall implements Callable<Integer> {
    @Mixin ReadApi api;

    @Parameters(paramLabel = "CALL_ID")
    String callId;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "the tenant (operator keys)")
    String tenant;

    @Option(names = "--json", description = "the API's JSON instead of text")
    boolean json;

    @Override
    public Integer call() {
      Map<String, Object> parameters = new LinkedHashMap<>();
      parameters.put("tenant", tenant);
      JsonNode call = api.get("/v1/calls/" + callId, parameters);
      PrintStream out = System.out;
      if (json) {
        out.println(call.toPrettyString());
        return 0;
      }
      out.println(Cells.text(call.path("title")) + "  (" + call.path("call_id").asText() + ")");
      for (String field :
          new String[] {
            "tenant_id",
            "provider",
            "direction",
            "status",
            "started_at",
            "ended_at",
            "sentiment",
            "success",
            "success_reason",
            "summary"
          }) {
        out.printf(java.util.Locale.ROOT, "  %-15s %s%n", field, Cells.text(call.path(field)));
      }
      if (call.hasNonNull("callback")) {
        out.printf(java.util.Locale.ROOT, "  %-15s %s%n", "callback", call.path("callback"));
      }
      out.println();
      for (JsonNode chunk : call.path("chunks")) {
        out.printf(
            java.util.Locale.ROOT,
            "  %6s %-6s %s%n",
            Cells.clock(chunk.path("start_ms")) == null ? "" : Cells.clock(chunk.path("start_ms")),
            Cells.text(chunk.path("speaker")) == null ? "" : Cells.text(chunk.path("speaker")),
            chunk.path("text").asText().replaceAll("\\s+", " "));
      }
      return 0;
    }
  }
}
