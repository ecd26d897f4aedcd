package io.callstream.cli;

import io.callstream.cli.dev.DevCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code callstream} command: each subcommand is one thing a user does with callstream. */
@Command(
    name = "callstream",
    mixinStandardHelpOptions = true,
    version = "callstream 0.1.0",
    description = "Voice-AI call data on Apache Kafka.",
    subcommands = {
      DevCommand.class,
      GatewayCommand.class,
      QueryApiCommand.class,
      SearchCommand.class,
      CallsCommand.class,
      TopologyCommand.class,
      SimulateAiCommand.class,
      ConfigCommand.class,
      TopicsCommand.class,
      SchemasCommand.class,
      TenantsCommand.class,
      ReplayCommand.class,
      DltCommand.class
    })
public final class CallstreamCli {

  public static void main(String[] args) {
    // Long-running commands (dev, gateway, topology) return once a signal stopped them.
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with callstream's error handling: a failure prints its message, not a trace.
   */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new CallstreamCli());
    line.setExecutionExceptionHandler(
        (error, command, parsed) -> {
          command
              .getErr()
              .println(command.getColorScheme().errorText("callstream: " + message(error)));
          return error instanceof UsageProblem ? 2 : 1;
        });
    return line;
  }

  private static String message(Throwable error) {
    String message = error.getMessage();
    Throwable cause = error.getCause();
    if (cause != null && cause.getMessage() != null && !cause.getMessage().equals(message)) {
      message = message + ": " + cause.getMessage();
    }
    return message == null ? error.getClass().getSimpleName() : message;
  }
}
