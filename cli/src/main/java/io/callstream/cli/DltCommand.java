package io.callstream.cli;

import io.callstream.events.StageError;
import io.callstream.events.WorkItem;
import io.callstream.query.redrive.DeadLetters;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callstream dlt list|show|redrive}: the dead-letter topic. */
@Command(
    name = "dlt",
    mixinStandardHelpOptions = true,
    description = "Lists, shows and redrives dead letters (calls.dlt.v1).",
    subcommands = {DltCommand.ListEntries.class, DltCommand.Show.class, DltCommand.Redrive.class})
final class DltCommand {

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the dead letters not redriven yet.")
  static final class ListEntries implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Option(
        names = "--reason",
        paramLabel = "REASON",
        description = "only this reason (unknown_agent, exhausted, http_400, ...)")
    String reason;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description =
            "only those that last failed since then (2026-11-23T10:00:00Z, 2026-11-23, 2h)")
    String since;

    @Override
    public Integer call() {
      Instant after = since == null ? null : Durations.instant(since, "--since", Instant.now());
      List<DeadLetters.Entry> entries =
          new DeadLetters(cluster.clientConfig(), cluster.registry()).list(reason, after, Set.of());
      Table table =
          new Table(
              "id",
              "call",
              "tenant",
              "stage",
              "reason",
              "attempts",
              "first failure",
              "last failure");
      for (DeadLetters.Entry entry : entries) {
        WorkItem item = entry.item();
        table.add(
            entry.id(),
            entry.callId(),
            item.getTenantId(),
            item.getStage(),
            entry.reason(),
            entry.attempts(),
            entry.firstFailure(),
            entry.lastFailure());
      }
      table.print(System.out);
      System.out.println(entries.size() + " dead letter(s)");
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one dead letter with its whole error history.")
  static final class Show implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Parameters(
        paramLabel = "ID",
        description = "the dead letter's id from dlt list (partition-offset)")
    String id;

    @Override
    public Integer call() {
      DeadLetters.Shown shown;
      try {
        shown =
            new DeadLetters(cluster.clientConfig(), cluster.registry())
                .show(id)
                .orElseThrow(() -> new UsageProblem("no dead letter " + id + " in calls.dlt.v1"));
      } catch (IllegalArgumentException e) {
        throw new UsageProblem(e.getMessage());
      }
      WorkItem item = shown.entry().item();
      System.out.println("dead letter " + id + (shown.redriven() ? " (redriven)" : ""));
      System.out.println("  call       " + item.getCallId());
      System.out.println("  event      " + item.getEventId());
      System.out.println("  tenant     " + (item.getTenantId() == null ? "-" : item.getTenantId()));
      System.out.println("  stage      " + item.getStage());
      System.out.println("  reason     " + item.getDeadLetterReason());
      System.out.println("  redrives   " + item.getRedrives());
      System.out.println(
          "  source     "
              + item.getSourceTopic()
              + " partition "
              + item.getSourcePartition()
              + " offset "
              + item.getSourceOffset());
      System.out.println("  errors");
      Table errors = new Table("    at", "stage", "attempt", "class", "reason", "message");
      for (StageError error : item.getErrors()) {
        errors.add(
            "    " + error.getAt(),
            error.getStage(),
            error.getAttempt(),
            error.getErrorClass(),
            error.getReason(),
            error.getMessage());
      }
      errors.print(System.out);
      return 0;
    }
  }

  @Command(
      name = "redrive",
      mixinStandardHelpOptions = true,
      description =
          "Sends dead letters back to the stage that failed (through the first retry tier, due now);"
              + " redriven entries are no longer listed.")
  static final class Redrive implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Option(names = "--reason", paramLabel = "REASON", description = "only this reason")
    String reason;

    @Option(
        names = "--call",
        paramLabel = "CALL_ID",
        arity = "1..*",
        description = "only these calls")
    List<UUID> calls = List.of();

    @Override
    public Integer call() {
      List<DeadLetters.Entry> redriven =
          new DeadLetters(cluster.clientConfig(), cluster.registry())
              .redrive(reason, new HashSet<>(calls));
      for (DeadLetters.Entry entry : redriven) {
        System.out.println(
            "redriven "
                + entry.id()
                + "  call "
                + entry.callId()
                + "  back to "
                + entry.item().getStage()
                + "  ("
                + entry.reason()
                + ")");
      }
      System.out.println(redriven.size() + " dead letter(s) redriven");
      return 0;
    }
  }
}
