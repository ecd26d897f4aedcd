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

/** {@code callstream search}: a tenant's calls by meaning and by exact words, through the API. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description =
        "Searches a tenant's calls through the query API (hybrid: meaning and exact words).")
final class SearchCommand implements Callable<Integer> {
  @Mixin ReadApi api;

  @Parameters(paramLabel = "TEXT", description = "what to look for")
  String text;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "the tenant (operator keys)")
  String tenant;

  @Option(names = "--k", paramLabel = "N", defaultValue = "10", description = "hits, up to 100")
  int k;

  @Option(names = "--json", description = "the API's JSON instead of a table")
  boolean json;

  @Override
  public Integer call() {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("q", text);
    parameters.put("k", k);
    parameters.put("tenant", tenant);
    JsonNode answer = api.get("/v1/search", parameters);
    PrintStream out = System.out;
    if (json) {
      out.println(answer.toPrettyString());
      return 0;
    }
    Table table = new Table("#", "score", "call", "at", "speaker", "title", "passage");
    int rank = 1;
    for (JsonNode hit : answer.path("hits")) {
      table.add(
          rank++,
          String.format(java.util.Locale.ROOT, "%.4f", hit.path("score").asDouble()),
          hit.path("call_id").asText(),
          Cells.clock(hit.path("start_ms")),
          Cells.text(hit.path("speaker")),
          Cells.text(hit.path("title")),
          Cells.marked(hit.path("text").asText(), 80));
    }
    table.print(out);
    return 0;
  }
}
