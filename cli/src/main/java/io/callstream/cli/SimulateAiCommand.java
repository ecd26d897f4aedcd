package io.callstream.cli;

import io.callstream.enrichment.simulator.AiSimulator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code callstream simulate-ai}: a local OpenAI-compatible AI service with latency and faults. */
@Command(
    name = "simulate-ai",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local stand-in for an OpenAI-compatible AI service (chat with JSON schemas,"
          + " embeddings, transcriptions) with log-normal latency and injected faults.",
      "Point the topology at it with OPENAI_BASE_URL=http://127.0.0.1:PORT/v1;"
          + " GET /simulator/requests counts requests per endpoint."
    })
final class SimulateAiCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8089", description = "default: ${DEFAULT-VALUE}")
  int port;

  @Option(
      names = "--median",
      defaultValue = "500ms",
      description = "median latency (${DEFAULT-VALUE})")
  String median;

  @Option(
      names = "--p99",
      defaultValue = "2s",
      description = "99th percentile latency (${DEFAULT-VALUE})")
  String p99;

  @Option(names = "--rate-limited", defaultValue = "0", description = "share answered 429 (0 to 1)")
  double rateLimited;

  @Option(
      names = "--retry-after",
      defaultValue = "1s",
      description = "Retry-After of a 429 (${DEFAULT-VALUE})")
  String retryAfter;

  @Option(names = "--server-errors", defaultValue = "0", description = "share answered 500")
  double serverErrors;

  @Option(names = "--hangs", defaultValue = "0", description = "share that never answers")
  double hangs;

  @Option(
      names = "--malformed",
      defaultValue = "0",
      description = "share answered with a broken body")
  double malformed;

  @Option(
      names = "--prose",
      defaultValue = "0",
      description = "share of chats answered in prose, not JSON")
  double prose;

  @Override
  public Integer call() throws Exception {
    AiSimulator simulator =
        AiSimulator.start(
            port,
            new AiSimulator.Latency(
                Durations.parse(median, "--median"), Durations.parse(p99, "--p99")),
            new AiSimulator.Faults(
                share(rateLimited, "--rate-limited"),
                Durations.parse(retryAfter, "--retry-after"),
                share(serverErrors, "--server-errors"),
                share(hangs, "--hangs"),
                share(malformed, "--malformed"),
                share(prose, "--prose")));
    System.out.println("AI simulator at " + simulator.baseUrl());
    System.out.println(
        "  OPENAI_BASE_URL=" + simulator.baseUrl() + " OPENAI_API_KEY=anything ./callstream dev");
    return Foreground.runUntilStopped("simulate-ai", List.of(simulator));
  }

  private static double share(double value, String option) {
    if (value < 0 || value > 1) {
      throw new UsageProblem(option + " is a share between 0 and 1, got " + value);
    }
    return value;
  }
}
