package io.callstream.devstack.registry;

import io.callstream.devstack.FileTrees;
import io.callstream.devstack.FreePorts;
import io.callstream.devstack.Pids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Apicurio Registry, unpacked from its Maven Central distribution, run as a child process on
 * loopback ports and set to BACKWARD compatibility (its own default is NONE). Tests run it with
 * in-memory storage; {@code callstream dev} keeps its schemas in an H2 database file in the data
 * folder, so schema ids written into Kafka records still resolve after a restart. Clients use its
 * Confluent-compatible API at {@link #url()}.
 *
 * <p>The distribution folder is found from the system property {@value #HOME_PROPERTY}, then the
 * environment variable {@value #HOME_ENV}; the build unpacks it to {@code devstack/target}.
 */
public final class ApicurioRegistry implements SchemaRegistryService {

  public static final String HOME_PROPERTY = "callstream.apicurio.home";
  public static final String HOME_ENV = "CALLSTREAM_APICURIO_HOME";
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  // the running registry's process id, in its folder, for a later start to find if it is left over
  private static final String PID_FILE = "registry.pid";

  private final Process process;
  private final Path workDir;
  private final boolean temporary;
  private final int port;
  private final Thread shutdownHook;

  private ApicurioRegistry(Process process, Path workDir, boolean temporary, int port) {
    this.process = process;
    this.workDir = workDir;
    this.temporary = temporary;
    this.port = port;
    this.shutdownHook = new Thread(process::destroyForcibly, "apicurio-registry-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts the registry from the distribution folder named by the property or variable. */
  public static ApicurioRegistry start() {
    return start(home());
  }

  /** The distribution folder named by {@value #HOME_PROPERTY} or {@value #HOME_ENV}. */
  public static Path home() {
    String home = System.getProperty(HOME_PROPERTY, System.getenv(HOME_ENV));
    if (home == null || home.isBlank()) {
      throw new IllegalStateException(
          "where is Apicurio Registry? set -D"
              + HOME_PROPERTY
              + " or "
              + HOME_ENV
              + " to the unpacked apicurio-registry-app distribution (the build unpacks it to devstack/target/apicurio-registry)");
    }
    return Path.of(home);
  }

  /** Starts the registry from the unpacked distribution in {@code home}, in memory. */
  public static ApicurioRegistry start(Path home) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("callstream-apicurio-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for Apicurio Registry", e);
    }
    return launch(home, workDir, true, FreePorts.next(), List.of());
  }

  /**
   * Starts the registry with its schemas in an H2 database in {@code dataDir} (created the first
   * time), listening on {@code port} (0 picks a free one).
   */
  public static ApicurioRegistry startPersistent(Path home, Path dataDir, int port) {
    Path dir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    List<String> storage =
        List.of(
            "-Dapicurio.storage.kind=sql",
            "-Dapicurio.storage.sql.kind=h2",
            "-Dapicurio.datasource.url=jdbc:h2:file:"
                + dir.resolve("registry")
                + ";DB_CLOSE_ON_EXIT=FALSE",
            "-Dapicurio.datasource.username=sa",
            "-Dapicurio.datasource.password=sa");
    return launch(home, dir, false, port == 0 ? FreePorts.next() : port, storage);
  }

  /**
   * Stops a registry still running on the schemas kept in {@code dataDir}, one that a process which
   * died without stopping it left behind (a kill -9 of {@code callstream dev}); it would hold their
   * database's lock and answer on their port.
   *
   * @return the stopped registry's process id, or empty when none was running
   */
  public static Optional<Long> stopLeftover(Path dataDir) {
    Optional<Long> pid =
        Pids.read(dataDir.toAbsolutePath().resolve(PID_FILE))
            .filter(Pids::isAlive)
            .filter(alive -> Pids.commandLine(alive).contains("quarkus-run.jar"));
    pid.ifPresent(Pids::stop);
    return pid;
  }

  private static ApicurioRegistry launch(
      Path home, Path workDir, boolean temporary, int port, List<String> storage) {
    if (!FreePorts.isFree(port)) {
      throw new IllegalStateException(
          "cannot start Apicurio Registry: port "
              + port
              + " is in use by another process; stop it or choose another port");
    }
    home = home.toAbsolutePath();
    Path runner = home.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(runner)) {
      throw new IllegalStateException(
          "no quarkus-run.jar in "
              + home
              + "; run the build (mvn -pl devstack generate-resources) to unpack Apicurio Registry");
    }
    Path log = workDir.resolve("registry.log");
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + port,
            "-Dquarkus.management.port=" + FreePorts.next(),
            "-Dquarkus.management.host=127.0.0.1",
            "-Djava.io.tmpdir=" + workDir));
    command.addAll(storage);
    command.addAll(List.of("-jar", runner.toString()));
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      if (temporary) {
        FileTrees.deleteQuietly(workDir);
      }
      throw new UncheckedIOException("cannot start Apicurio Registry from " + home, e);
    }
    ApicurioRegistry registry = new ApicurioRegistry(process, workDir, temporary, port);
    try {
      Files.writeString(workDir.resolve(PID_FILE), Long.toString(process.pid()));
      registry.awaitReady(log);
      registry.put("/config", "{\"compatibility\":\"BACKWARD\"}");
      return registry;
    } catch (IOException e) {
      registry.close();
      throw new UncheckedIOException("cannot write " + workDir.resolve(PID_FILE), e);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  @Override
  public String url() {
    return "http://127.0.0.1:" + port + CCOMPAT_PATH;
  }

  /** The registry's HTTP port. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run; nothing left to undo
    }
    if (temporary) {
      FileTrees.deleteQuietly(workDir);
    }
  }

  private void awaitReady(Path log) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(url() + "/subjects"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Apicurio Registry exited with "
                + process.exitValue()
                + " while starting:\n"
                + tail(log));
      }
      try {
        // our own process must be the one answering, never another on the same port
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
            && process.isAlive()) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while Apicurio Registry was starting", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "Apicurio Registry did not answer on "
            + url()
            + " within "
            + START_TIMEOUT
            + ":\n"
            + tail(log));
  }

  private void put(String path, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Apicurio Registry answered "
                + response.statusCode()
                + " to PUT "
                + path
                + ": "
                + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PUT " + path + " to Apicurio Registry failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
