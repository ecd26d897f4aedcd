package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.cli.dev.DevEndpoints;
import io.callstream.devstack.FileTrees;
import io.callstream.devstack.FreePorts;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.testkit.LocalServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code callstream dev --demo} from the packaged distribution, as a child process on a fresh data
 * folder: it comes up, the demo's calls land in Postgres and its semantic search finds the blender
 * call; stopped with a signal and started again, it resumes with the data kept. With {@code
 * --database-url} it uses that database and starts no Postgres of its own.
 */
@ExtendWith(LocalServices.class)
class DevCommandIT {
  private static final Duration START = Duration.ofMinutes(3);
  private static final Duration DEMO = Duration.ofMinutes(5);
  private static final Pattern FIRST_HIT =
      Pattern.compile("  1\\. score [0-9.]+  call ([0-9a-f-]{36})");

  @Test
  void theDemoRunsOnAFreshFolderAndASecondStartKeepsItsData() throws Exception {
    Path dist = Path.of(System.getProperty("callstream.dist"));
    Path dataDir = freshDataDir();
    List<String> ports = ports();
    try {
      Jdbi jdbi;
      UUID blender;
      try (Child dev = Child.start(dist, dataDir, ports, true)) {
        dev.awaitLine(line -> line.startsWith("callstream dev is up"), START);
        String hit = dev.awaitLine(line -> FIRST_HIT.matcher(line).find(), DEMO);
        dev.awaitLine(line -> line.startsWith("demo: done"), Duration.ofSeconds(30));
        assertThat(dev.output()).contains("  + acme    elevenlabs  blender refund");
        assertThat(dev.output()).contains("  + globex  twilio      voicemail");
        assertThat(dev.output()).contains("callback:");
        // the Twilio recording names no agent: its callback is in the zone of its call's agent
        assertThat(dev.output()).doesNotContain(" UTC (");
        assertThat(dev.output()).doesNotContain("not enriched within");
        assertThat(dev.output()).contains("search acme's calls through the query API");
        Matcher matcher = FIRST_HIT.matcher(hit);
        assertThat(matcher.find()).isTrue();
        blender = UUID.fromString(matcher.group(1));

        DevEndpoints endpoints = DevEndpoints.read(dataDir).orElseThrow();
        jdbi =
            Jdbi.create(
                endpoints.get(DevEndpoints.DATABASE),
                endpoints.get(DevEndpoints.DATABASE_USER),
                endpoints.get(DevEndpoints.DATABASE_PASSWORD));
        assertThat(providerCallId(jdbi, blender)).startsWith("conv_demo_blender_refund_");
        assertThat(count(jdbi, "SELECT count(*) FROM calls WHERE analyzer <> 'none'")).isEqualTo(4);
        assertThat(count(jdbi, "SELECT count(DISTINCT call_id) FROM call_chunks")).isEqualTo(4);
        // the recording's transcript, and the platform's own turns of the other three
        assertThat(count(jdbi, "SELECT count(*) FROM transcripts WHERE model <> 'provider'"))
            .isEqualTo(1);
        assertThat(count(jdbi, "SELECT count(*) FROM transcripts")).isEqualTo(4);
        assertThat(dev.output())
            .contains("console")
            .contains(endpoints.get(DevEndpoints.QUERY) + "/ ")
            .contains("sign in with acme's read key");
        assertThat(count(jdbi, "SELECT count(*) FROM callbacks")).isGreaterThanOrEqualTo(2);
        assertThat(dev.stop()).as(dev.output()).isIn(0, 130, 143); // ended by the signal
        assertThat(dev.output()).contains("callstream dev: stopped; data kept in");
      }
      assertThat(DevEndpoints.read(dataDir)).isEmpty();

      try (Child again = Child.start(dist, dataDir, ports, false)) {
        again.awaitLine(line -> line.startsWith("callstream dev is up"), START);
        DevEndpoints endpoints = DevEndpoints.read(dataDir).orElseThrow();
        Jdbi restarted =
            Jdbi.create(
                endpoints.get(DevEndpoints.DATABASE),
                endpoints.get(DevEndpoints.DATABASE_USER),
                endpoints.get(DevEndpoints.DATABASE_PASSWORD));
        assertThat(count(restarted, "SELECT count(*) FROM calls WHERE analyzer <> 'none'"))
            .isEqualTo(4);
        assertThat(providerCallId(restarted, blender)).startsWith("conv_demo_blender_refund_");
        // The broker and the registry kept theirs too: the agent map reads back through both.
        Child.Result agents = Child.command(dist, dataDir, "tenants", "list");
        assertThat(agents.output()).contains("agent_acme_support").contains("agent_globex_sales");
        assertThat(again.stop()).as(again.output()).isIn(0, 130, 143);
      }
    } finally {
      FileTrees.deleteQuietly(dataDir.getParent());
    }
  }

  @Test
  void aStartAfterKill9StopsWhatTheKilledRunLeftAndComesUpWithItsData() throws Exception {
    Path dist = Path.of(System.getProperty("callstream.dist"));
    Path dataDir = freshDataDir();
    Path workDir = Files.createTempDirectory("callstream-dev-cwd-");
    List<String> ports = ports();
    try {
      long killedPid;
      long registryPid;
      long postgresPid;
      try (Child dev = Child.start(dist, dataDir, ports, false, workDir)) {
        dev.awaitLine(line -> line.startsWith("callstream dev is up"), START);
        Child.Result mapped =
            Child.command(dist, dataDir, "tenants", "map-agent", "agent_kept", "kept_tenant");
        assertThat(mapped.code()).as(mapped.output()).isZero();
        database(dataDir).useHandle(h -> h.execute("CREATE TABLE kept AS SELECT 42 AS answer"));
        killedPid = dev.pid();
        registryPid = pidIn(dataDir.resolve("registry/registry.pid"));
        postgresPid = pidIn(dataDir.resolve("postgres/data/postmaster.pid"));
        dev.kill(); // SIGKILL: no shutdown hook runs, the children are left behind
      }
      assertThat(ProcessHandle.of(registryPid).map(ProcessHandle::isAlive)).contains(true);
      assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive)).contains(true);

      try (Child again = Child.start(dist, dataDir, ports, false, workDir)) {
        again.awaitLine(line -> line.startsWith("callstream dev is up"), START);
        assertThat(again.output())
            .contains("the run before (pid " + killedPid + ") ended without stopping")
            .contains("stopped the registry (pid " + registryPid + ") left running")
            .contains("stopped the Postgres (pid " + postgresPid + ") left running");
        // nothing of the first run is left; what runs now is this run's own
        for (long pid : List.of(killedPid, registryPid, postgresPid)) {
          assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
              .isNotEqualTo(java.util.Optional.of(true));
        }
        assertThat(pidIn(dataDir.resolve("registry/registry.pid"))).isNotEqualTo(registryPid);
        assertThat(pidIn(dataDir.resolve("postgres/data/postmaster.pid")))
            .isNotEqualTo(postgresPid);
        int kept =
            database(dataDir)
                .withHandle(
                    h -> h.createQuery("SELECT answer FROM kept").mapTo(Integer.class).one());
        assertThat(kept).isEqualTo(42);
        Child.Result agents = Child.command(dist, dataDir, "tenants", "list");
        assertThat(agents.output()).contains("agent_kept").contains("kept_tenant");
        // the log is in the data folder the banner names, not under the working folder
        assertThat(dataDir.resolve("logs/callstream.log")).isNotEmptyFile();
        assertThat(workDir.resolve(".callstream")).doesNotExist();
        assertThat(again.stop()).as(again.output()).isIn(0, 130, 143);
      }
    } finally {
      FileTrees.deleteQuietly(dataDir.getParent());
      FileTrees.deleteQuietly(workDir);
    }
  }

  @Test
  void helpChangesNothing() throws Exception {
    Path dist = Path.of(System.getProperty("callstream.dist"));
    Path workDir = Files.createTempDirectory("callstream-dev-help-");
    try {
      Process help =
          new ProcessBuilder(dist.resolve("bin/callstream").toString(), "dev", "--help")
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .start();
      String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(help.exitValue()).as(text).isZero();
      assertThat(text).contains("--data-dir").contains("--demo");
      try (var left = Files.list(workDir)) {
        assertThat(left.toList()).as("files --help wrote").isEmpty();
      }
    } finally {
      FileTrees.deleteQuietly(workDir);
    }
  }

  private static long pidIn(Path file) throws IOException {
    return Long.parseLong(Files.readAllLines(file).get(0).strip());
  }

  private static Jdbi database(Path dataDir) {
    DevEndpoints endpoints = DevEndpoints.read(dataDir).orElseThrow();
    return Jdbi.create(
        endpoints.get(DevEndpoints.DATABASE),
        endpoints.get(DevEndpoints.DATABASE_USER),
        endpoints.get(DevEndpoints.DATABASE_PASSWORD));
  }

  @Test
  void anExistingDatabaseIsUsedInsteadOfTheFoldersOwn(PostgresService postgres) throws Exception {
    Path dist = Path.of(System.getProperty("callstream.dist"));
    Path dataDir = freshDataDir();
    String url = postgres.freshDatabase("dev_external");
    List<String> options = new ArrayList<>(ports());
    options.addAll(List.of("--database-url", url, "--database-user", postgres.user()));
    if (!postgres.password().isEmpty()) {
      options.addAll(List.of("--database-password", postgres.password()));
    }
    Jdbi external = Jdbi.create(url, postgres.user(), postgres.password());
    try (Child dev = Child.start(dist, dataDir, options, false)) {
      dev.awaitLine(line -> line.startsWith("callstream dev is up"), START);
      DevEndpoints endpoints = DevEndpoints.read(dataDir).orElseThrow();
      assertThat(endpoints.get(DevEndpoints.DATABASE)).isEqualTo(url);
      assertThat(dataDir.resolve("postgres")).as("no Postgres of the folder's own").doesNotExist();
      // the sinks migrate the given database when their tasks start
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> count(external, "SELECT count(*) FROM pg_tables WHERE tablename = 'calls'"),
              tables -> tables == 1);
      assertThat(count(external, "SELECT count(*) FROM calls")).isZero();
      assertThat(dev.stop()).as(dev.output()).isIn(0, 130, 143);
    } finally {
      FileTrees.deleteQuietly(dataDir.getParent());
    }
  }

  /**
   * A new data folder; Postgres runs as its own user (root runs the tests): it must pass through.
   */
  private static Path freshDataDir() throws IOException {
    return Files.createTempDirectory(
            "callstream-dev-it-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")))
        .resolve(".callstream");
  }

  private static List<String> ports() {
    return List.of(
        "--kafka-port",
        port(),
        "--registry-port",
        port(),
        "--postgres-port",
        port(),
        "--gateway-port",
        port(),
        "--topology-port",
        port(),
        "--connect-port",
        port(),
        "--query-port",
        port());
  }

  private static String port() {
    return Integer.toString(FreePorts.next());
  }

  private static String providerCallId(Jdbi jdbi, UUID callId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT provider_call_id FROM calls WHERE call_id = :id")
                .bind("id", callId)
                .mapTo(String.class)
                .one());
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  /** The distribution's {@code bin/callstream} as a child process, its output collected by line. */
  private static final class Child implements AutoCloseable {
    record Result(int code, String output) {}

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private Child(Process process) {
      this.process = process;
      reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                    lines.add(line);
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "dev-output");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(Path dist, Path dataDir, List<String> options, boolean demo)
        throws IOException {
      return start(dist, dataDir, options, demo, Path.of("."));
    }

    /** Started in {@code workDir}, as a user would from any folder. */
    static Child start(Path dist, Path dataDir, List<String> options, boolean demo, Path workDir)
        throws IOException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  dist.resolve("bin/callstream").toString(),
                  "dev",
                  "--data-dir",
                  dataDir.toString()));
      command.addAll(options);
      if (demo) {
        command.add("--demo");
      }
      return new Child(
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .start());
    }

    static Result command(Path dist, Path dataDir, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(dist.resolve("bin/callstream").toString()));
      command.addAll(List.of(args));
      command.addAll(List.of("--data-dir", dataDir.toString()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new Result(process.exitValue(), text);
    }

    String awaitLine(java.util.function.Predicate<String> wanted, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null && wanted.test(line)) {
          return line;
        }
        if (line == null && !process.isAlive()) {
          throw new AssertionError(
              "callstream dev exited with " + process.exitValue() + ":\n" + output);
        }
      }
      throw new AssertionError(
          "callstream dev did not print the line in " + timeout + ":\n" + output);
    }

    String output() {
      return output.toString();
    }

    long pid() {
      return process.pid();
    }

    /** SIGKILL, as a crash or {@code kill -9} would end it. */
    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }

    /** Stops it as Ctrl-C would (SIGTERM runs the same shutdown) and returns its exit code. */
    int stop() throws InterruptedException {
      // SIGTERM through the handle: Process.destroy() would also close the output still to come.
      process.toHandle().destroy();
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("callstream dev did not stop within 90 s:\n" + output);
      }
      reader.join(10_000); // the last lines
      return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
      if (process.isAlive()) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
