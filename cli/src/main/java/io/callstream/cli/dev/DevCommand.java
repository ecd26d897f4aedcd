package io.callstream.cli.dev;

import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.enrichment.AiConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code callstream dev}: the whole stack locally, until Ctrl-C. */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole stack locally, every part real: Kafka, a schema registry, Postgres with pgvector,"
          + " the gateway, the topology and the sinks in a Kafka Connect worker.",
      "Data lives in the data folder; the next start resumes with all of it. Ctrl-C stops everything."
    })
public final class DevCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = ".callstream",
      description = "where every part keeps its data (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--demo", description = "post demo webhooks for two tenants and show the results")
  boolean demo;

  @Option(
      names = "--database-url",
      paramLabel = "JDBC_URL",
      description = "use this Postgres (with pgvector) instead of starting one in the data folder")
  String databaseUrl;

  @Option(names = "--database-user", paramLabel = "USER", defaultValue = "postgres")
  String databaseUser;

  @Option(
      names = "--database-password",
      paramLabel = "PASSWORD",
      defaultValue = "${env:DATABASE_PASSWORD}",
      description = "default: $DATABASE_PASSWORD")
  String databasePassword;

  @Option(names = "--kafka-port", defaultValue = "9092", paramLabel = "PORT")
  int kafkaPort;

  @Option(names = "--registry-port", defaultValue = "8085", paramLabel = "PORT")
  int registryPort;

  @Option(names = "--postgres-port", defaultValue = "5433", paramLabel = "PORT")
  int postgresPort;

  @Option(names = "--gateway-port", defaultValue = "8080", paramLabel = "PORT")
  int gatewayPort;

  @Option(names = "--topology-port", defaultValue = "8081", paramLabel = "PORT")
  int topologyPort;

  @Option(names = "--connect-port", defaultValue = "8083", paramLabel = "PORT")
  int connectPort;

  @Option(names = "--query-port", defaultValue = "8082", paramLabel = "PORT")
  int queryPort;

  @Option(names = "--reset", description = "delete the data folder first and start afresh")
  boolean reset;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    AiConfig.fromEnv(System::getenv); // a bad AI variable fails here, before anything starts
    if (reset) {
      DevStack.reset(dataDir);
    }
    long started = System.nanoTime();
    out.println("callstream dev: starting in " + dataDir.toAbsolutePath() + " ...");
    DevStack stack =
        DevStack.start(
            new DevStack.Settings(
                dataDir,
                new DevStack.Ports(
                    kafkaPort,
                    registryPort,
                    postgresPort,
                    gatewayPort,
                    topologyPort,
                    connectPort,
                    queryPort),
                databaseUrl == null
                    ? null
                    : new DevStack.Database(databaseUrl, databaseUser, databasePassword),
                ApicurioRegistry.home()),
            notice -> out.println("callstream dev: " + notice));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  out.println("callstream dev: stopping ...");
                  stack.close();
                  out.println("callstream dev: stopped; data kept in " + stack.dataDir());
                  stopped.countDown();
                },
                "callstream-dev-shutdown"));
    DevBanner.print(out, stack, (System.nanoTime() - started) / 1_000_000);
    if (demo) {
      new Demo(stack, out).run();
    }
    stopped.await();
    return 0;
  }
}
