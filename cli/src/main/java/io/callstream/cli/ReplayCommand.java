package io.callstream.cli;

import io.callstream.cli.replay.Replay;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code callstream replay}: reprocess the calls of a time window. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Re-publishes the input events (calls.ended.v1, recordings.uploaded.v1) of a time window,"
          + " found through the broker's timestamp index, so the topology processes them again.",
      "The AI result cache answers every stage whose model and prompt version did not change: a"
          + " replay pays for no AI call unless they did. Sinks keep rows unchanged unless the result"
          + " changed."
    })
final class ReplayCommand implements Callable<Integer> {
  @Mixin Cluster cluster;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "TIME",
      description =
          "the window's start: 2026-11-23T10:00:00Z, 2026-11-23, or a time ago such as 2h")
  String from;

  @Option(names = "--to", paramLabel = "TIME", description = "the window's end (default: now)")
  String to;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "only this tenant's calls")
  String tenant;

  @Option(
      names = "--call",
      paramLabel = "CALL_ID",
      arity = "1..*",
      description = "only these calls")
  List<UUID> calls = List.of();

  @Option(names = "--dry-run", description = "count what would be replayed, send nothing")
  boolean dryRun;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "how long to wait for the topology's results, to report the cache hits (default: ${DEFAULT-VALUE}; 0s to not wait)")
  String wait;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant start = Durations.instant(from, "--from", now);
    Instant end = to == null ? null : Durations.instant(to, "--to", now);
    if (end != null && !end.isAfter(start)) {
      throw new UsageProblem("--to " + end + " is not after --from " + start);
    }
    Duration waitFor = Durations.parse(wait, "--wait");
    Set<String> callIds = new HashSet<>();
    calls.forEach(id -> callIds.add(id.toString()));
    Replay.Filter filter = new Replay.Filter(start, end, tenant, callIds);
    Replay replay = new Replay(cluster.clientConfig(), cluster.registry());

    PrintStream out = System.out;
    Replay.Window window = replay.window(filter);
    Progress progress = new Progress(System.err, window.records(), System.console() != null);
    Map<TopicPartition, Long> enrichedFrom = dryRun ? Map.of() : replay.enrichedEnd();
    Replay.Sent sent = replay.run(filter, window, dryRun, progress::update);
    progress.done();
    out.printf(
        Locale.ROOT,
        "%s %d events of %d calls (%d records in the window %s .. %s)%n",
        dryRun ? "would replay" : "replayed",
        sent.events(),
        sent.eventsByCall().size(),
        sent.scanned(),
        start,
        end == null ? "now" : end);
    if (dryRun || sent.events() == 0 || waitFor.isZero()) {
      return 0;
    }
    Replay.Enrichment result = replay.awaitEnrichment(sent.eventsByCall(), enrichedFrom, waitFor);
    out.printf(
        Locale.ROOT,
        "enriched %d: %d served from the AI result cache (no AI call), %d by an AI call, %d with nothing to analyze%n",
        result.enriched(),
        result.fromCache(),
        result.byAi(),
        result.nothingToAnalyze());
    if (result.pending() > 0) {
      out.printf(
          Locale.ROOT,
          "%d call(s) not enriched within %s: still retrying, or dead-lettered (./callstream dlt list)%n",
          result.pending(),
          wait);
      return 3;
    }
    return 0;
  }
}
