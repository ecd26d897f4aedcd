package io.callstream.devstack.postgres;

import io.callstream.devstack.FileTrees;
import io.callstream.devstack.FreePorts;
import io.callstream.devstack.Pids;
import io.callstream.devstack.Restartable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Postgres server from the machine's own binaries, with a data folder of its own and a free
 * loopback port: {@code initdb} the first time, {@code pg_ctl start}, then a {@value #DATABASE}
 * database with the pgvector extension created. Postgres refuses to run as root, so as root the
 * server runs as the {@code postgres} system user.
 *
 * <p>The binaries are found in {@code $CALLSTREAM_PG_BIN}, else the newest {@code
 * /usr/lib/postgresql/<major>/bin}. Temporary clusters run without fsync and are deleted on close.
 */
public final class PostgresCluster implements PostgresService, Restartable {

  public static final String DATABASE = "callstream";
  public static final String USER = "callstream";
  private static final String SERVICE_ACCOUNT = "postgres";

  private final Path baseDir;
  private final Path dataDir;
  private final Path bin;
  private final int port;
  private final boolean temporary;
  private boolean running;

  private PostgresCluster(Path baseDir, Path bin, int port, boolean temporary) {
    this.baseDir = baseDir;
    this.dataDir = baseDir.resolve("data");
    this.bin = bin;
    this.port = port;
    this.temporary = temporary;
  }

  /** Starts a fresh cluster in a temporary folder that {@link #close()} deletes. */
  public static PostgresCluster startTemporary() {
    try {
      Path base = Files.createTempDirectory("callstream-pg-");
      return Restartable.startOrClose(new PostgresCluster(base, findBin(), FreePorts.next(), true));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for Postgres", e);
    }
  }

  /**
   * Starts the cluster kept in {@code baseDir} (created the first time) on {@code port}, 0 for any.
   */
  public static PostgresCluster startPersistent(Path baseDir, int port) {
    return Restartable.startOrClose(
        new PostgresCluster(
            baseDir.toAbsolutePath(), findBin(), port == 0 ? FreePorts.next() : port, false));
  }

  /**
   * Stops a server still running on the cluster kept in {@code baseDir}, one that a process which
   * died without stopping it left behind (a kill -9 of {@code callstream dev}). Only for a folder
   * the caller owns: nothing else may be serving it.
   *
   * @return the stopped server's process id, or empty when none was running
   */
  public static Optional<Long> stopLeftover(Path baseDir) {
    Path pidFile = baseDir.toAbsolutePath().resolve("data").resolve("postmaster.pid");
    Optional<Long> pid = Pids.read(pidFile).filter(Pids::isAlive);
    if (pid.isPresent()) {
      PostgresCluster leftover = new PostgresCluster(baseDir.toAbsolutePath(), findBin(), 0, false);
      leftover.running = true;
      leftover.stop();
    }
    return pid;
  }

  @Override
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  @Override
  public String user() {
    return USER;
  }

  @Override
  public String password() {
    return "";
  }

  /** The server's port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /**
   * Starts the server (initialising the cluster the first time) and waits until it accepts
   * connections.
   */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    try {
      Files.createDirectories(baseDir);
      handToServiceAccount(baseDir);
      if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
        List<String> initdb =
            new ArrayList<>(
                List.of(
                    bin.resolve("initdb").toString(),
                    "-D",
                    dataDir.toString(),
                    "-U",
                    USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C"));
        if (temporary) {
          initdb.add("--no-sync");
        }
        run(initdb);
      }
      String options =
          "-p "
              + port
              + " -k "
              + baseDir
              + " -c listen_addresses=127.0.0.1 -c max_connections=200"
              + (temporary
                  ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                  : "");
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dataDir.toString(),
              "-l",
              baseDir.resolve("postgres.log").toString(),
              "-o",
              options,
              "-w",
              "-t",
              "60",
              "start"));
      running = true;
      createDatabaseWithVector();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Postgres in " + baseDir, e);
    }
  }

  /**
   * Stops the server at once (open sessions are cut); {@link #start()} brings it back with its
   * data.
   */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dataDir.toString(),
              "-m",
              "fast",
              "-w",
              "stop"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop Postgres in " + baseDir, e);
    } finally {
      running = false;
    }
  }

  @Override
  public synchronized void close() {
    try {
      stop();
    } finally {
      if (temporary) {
        FileTrees.deleteQuietly(baseDir);
      }
    }
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private void createDatabaseWithVector() {
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), USER, "");
        Statement statement = admin.createStatement()) {
      boolean exists;
      try (var rows =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        exists = rows.next();
      }
      if (!exists) {
        statement.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
    try (Connection db = DriverManager.getConnection(jdbcUrl(), USER, "");
        Statement statement = db.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the pgvector extension (is pgvector installed for "
              + bin
              + "? ./callstream test installs it): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * As root, gives the folder to the postgres system user, which the server runs as; that user must
   * be able to pass through every folder above it, which a private home folder (mode 700) forbids.
   */
  private static void handToServiceAccount(Path dir) throws IOException {
    if (!isRoot()) {
      return;
    }
    for (Path above = dir.toAbsolutePath().getParent(); above != null; above = above.getParent()) {
      if (!Files.getPosixFilePermissions(above).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException(
            "Postgres runs as the '"
                + SERVICE_ACCOUNT
                + "' user, which cannot pass through "
                + above
                + " to reach "
                + dir
                + "; allow it (chmod o+x "
                + above
                + "), keep the data elsewhere, or use an existing database");
      }
    }
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName(SERVICE_ACCOUNT));
    GroupPrincipal group = users.lookupPrincipalByGroupName(SERVICE_ACCOUNT);
    view.setGroup(group);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (isRoot()) {
      full.addAll(List.of("runuser", "-u", SERVICE_ACCOUNT, "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    try {
      int exit = process.waitFor();
      if (exit != 0) {
        String log = "";
        Path serverLog = baseDir.resolve("postgres.log");
        if (Files.exists(serverLog)) {
          log = "\nserver log:\n" + Files.readString(serverLog);
        }
        throw new IllegalStateException(
            String.join(" ", full) + " exited with " + exit + ":\n" + output + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command.get(0), e);
    }
  }

  private static Path findBin() {
    String configured = System.getenv("CALLSTREAM_PG_BIN");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        var newest =
            versions
                .filter(p -> Files.isExecutable(p.resolve("bin/initdb")))
                .max(Comparator.comparingInt(p -> parseMajor(p.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException(
        "no Postgres server binaries (initdb) under /usr/lib/postgresql; run ./callstream test to install them, or set CALLSTREAM_PG_BIN");
  }

  private static int parseMajor(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
