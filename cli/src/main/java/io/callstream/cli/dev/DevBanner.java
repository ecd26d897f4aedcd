package io.callstream.cli.dev;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code callstream dev} prints once everything is up: where each part is, and the secrets.
 */
final class DevBanner {
  /** The line a script (or a test) waits for. */
  static final String READY = "callstream dev is up";

  private DevBanner() {}

  static void print(PrintStream out, DevStack stack, long startMillis) {
    DevEndpoints at = stack.endpoints();
    DevSecrets secrets = stack.secrets();
    out.printf(
        Locale.ROOT, "%s in %.1f s (data in %s)%n%n", READY, startMillis / 1000.0, stack.dataDir());
    row(
        out,
        "gateway",
        at.get(DevEndpoints.GATEWAY),
        "POST /v1/webhooks/{elevenlabs,vapi,retell,twilio}, /v1/calls, /v1/recordings; /metrics");
    row(out, "topology", at.get(DevEndpoints.TOPOLOGY), "/health/ready, /metrics");
    row(
        out,
        "query API",
        at.get(DevEndpoints.QUERY),
        "GET /v1/search?q=, /v1/calls, /v1/calls/{id} with a read key (Bearer)");
    row(
        out,
        "console",
        at.get(DevEndpoints.QUERY) + "/",
        "sign in with acme's read key "
            + secrets.get(DevSecrets.ACME_READ_KEY)
            + " (or any below)");
    row(out, "kafka", at.get(DevEndpoints.KAFKA), "");
    row(out, "schema registry", at.get(DevEndpoints.REGISTRY), "Confluent-compatible API");
    row(
        out,
        "postgres",
        at.get(DevEndpoints.DATABASE),
        "user " + at.get(DevEndpoints.DATABASE_USER));
    row(
        out,
        "kafka connect",
        at.get(DevEndpoints.CONNECT),
        "sinks " + SinkConnectors.POSTGRES + ", " + SinkConnectors.PGVECTOR);
    row(
        out,
        "AI",
        stack.localAi() ? "local models" : System.getenv("OPENAI_BASE_URL"),
        stack.localAi()
            ? "set OPENAI_BASE_URL and OPENAI_API_KEY for an OpenAI-compatible AI service"
            : "");
    out.println();
    out.println(
        "  webhook secrets and API keys (kept in "
            + stack.dataDir().resolve("secrets.properties")
            + "):");
    for (String name :
        new String[] {
          DevSecrets.ELEVENLABS, DevSecrets.VAPI, DevSecrets.RETELL, DevSecrets.TWILIO
        }) {
      out.printf(Locale.ROOT, "    %-28s %s%n", name, secrets.get(name));
    }
    out.printf(
        Locale.ROOT,
        "    %-28s %s%n",
        "acme API key (Bearer)",
        secrets.get(DevSecrets.ACME_API_KEY));
    out.printf(
        Locale.ROOT,
        "    %-28s %s%n",
        "globex API key (Bearer)",
        secrets.get(DevSecrets.GLOBEX_API_KEY));
    for (String[] key :
        new String[][] {
          {"acme read key (Bearer)", DevSecrets.ACME_READ_KEY},
          {"globex read key (Bearer)", DevSecrets.GLOBEX_READ_KEY},
          {"operator read key (Bearer)", DevSecrets.OPERATOR_KEY}
        }) {
      out.printf(Locale.ROOT, "    %-28s %s%n", key[0], secrets.get(key[1]));
    }
    out.println();
    out.println("  logs: " + stack.dataDir().resolve("logs/callstream.log"));
    out.println("  Ctrl-C stops everything; the next start resumes with all data.");
    out.println();
  }

  private static void row(PrintStream out, String part, String where, String note) {
    out.printf(Locale.ROOT, "  %-16s %-44s %s%n", part, where, note);
  }
}
