package io.callstream.cli;

import io.callstream.enrichment.AiConfig;
import io.callstream.enrichment.Enrichers;
import io.callstream.query.QueryApiConfig;
import io.callstream.query.QueryApp;
import io.callstream.query.auth.ReadKeys;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code callstream query-api}: the read API alone, configured from the environment. */
@Command(
    name = "query-api",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the query API over the database the sinks write, configured from the environment"
          + " (DATABASE_URL, CALLSTREAM_READ_KEYS_FILE, and the topology's OPENAI_* variables for"
          + " the embedder; see the README).",
      "Health: GET /health/live, /health/ready."
    })
final class QueryApiCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    QueryApiConfig config = QueryApiConfig.fromEnv(System::getenv);
    Enrichers ai = AiConfig.fromEnv(System::getenv).enrichers();
    QueryApp app = QueryApp.start(config, ReadKeys.load(config.keysFile()), ai.embedder());
    System.out.println("callstream query-api listening on port " + app.port());
    return Foreground.runUntilStopped("query-api", List.of(app, ai));
  }
}
