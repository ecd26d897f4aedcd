package io.callstream.cli.dev;

import io.callstream.devstack.FileTrees;
import io.callstream.devstack.FreePorts;
import io.callstream.devstack.Pids;
import io.callstream.devstack.connect.ConnectWorker;
import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.enrichment.AiConfig;
import io.callstream.enrichment.Enrichers;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.GatewayConfig;
import io.callstream.query.QueryApiConfig;
import io.callstream.query.QueryApp;
import io.callstream.query.auth.ReadKeys;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.topology.TopologyApp;
import io.callstream.topology.TopologyConfig;
import io.callstream.topology.TopologyEndpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine, every part real: a KRaft broker, Apicurio Registry and a
 * Postgres with pgvector, all keeping their data in one folder; the topics; a standalone Kafka
 * Connect worker with both sinks; the topology; the gateway. Started in that order and closed in
 * the reverse one; a second start on the same folder resumes with all data.
 */
public final class DevStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

  /** Where each part listens; 0 picks a free port. */
  public record Ports(
      int kafka, int registry, int postgres, int gateway, int topology, int connect, int query) {}

  /** An existing database to use instead of the folder's own Postgres. */
  public record Database(String url, String user, String password) {
    /** Without a password (trust or peer authentication) it is empty. */
    public Database {
      password = password == null ? "" : password;
    }
  }

  /**
   * What to start.
   *
   * @param database null to run the folder's own Postgres
   */
  public record Settings(Path dataDir, Ports ports, Database database, Path apicurioHome) {}

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Path dataDir;
  private FileChannel lockChannel;
  private KafkaBroker kafka;
  private ApicurioRegistry registry;
  private Database database;
  private ConnectWorker connect;
  private Enrichers ai;
  private TopologyApp topology;
  private TopologyEndpoints topologyEndpoints;
  private GatewayApp gateway;
  private QueryApp query;
  private DevSecrets secrets;

  private DevStack(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Starts every part, or none: a part that fails to start closes the ones before it. What a run
   * that died left behind is stopped first, and {@code say} is told.
   */
  public static DevStack start(Settings settings, Consumer<String> say) {
    DevStack stack = new DevStack(settings.dataDir().toAbsolutePath());
    try {
      stack.startAll(settings, say);
      return stack;
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Settings settings, Consumer<String> say) {
    Ports ports = settings.ports();
    lock(say);
    secrets = DevSecrets.loadOrCreate(dataDir);

    LOG.info("starting Kafka in {}", dataDir.resolve("kafka"));
    kafka = KafkaBroker.startPersistent(dataDir.resolve("kafka"), ports.kafka());
    started.push(kafka);
    registry =
        ApicurioRegistry.startPersistent(
            settings.apicurioHome(), dataDir.resolve("registry"), ports.registry());
    started.push(registry);
    if (settings.database() == null) {
      PostgresCluster postgres =
          PostgresCluster.startPersistent(dataDir.resolve("postgres"), ports.postgres());
      started.push(postgres);
      database = new Database(postgres.jdbcUrl(), postgres.user(), postgres.password());
    } else {
      database = settings.database();
    }
    createTopics();

    connect =
        ConnectWorker.start(
            kafka.bootstrapServers(), dataDir.resolve("connect.offsets"), ports.connect());
    started.push(connect);
    ai = AiConfig.fromEnv(System::getenv).enrichers();
    SinkConnectors.configs(database, registry.url(), ai.embedder().dimensions())
        .forEach(connect::create);

    Map<String, String> topologyEnv = environment();
    topologyEnv.put("CALLSTREAM_STATE_DIR", dataDir.resolve("streams").toString());
    topology =
        TopologyApp.start(
            TopologyConfig.fromEnv(topologyEnv::get), ai, new SchemaRegistryClient(registry.url()));
    started.push(topology);
    topologyEndpoints = TopologyEndpoints.serve(topology, "127.0.0.1", ports.topology());
    started.push(topologyEndpoints);

    gateway = startGateway(ports.gateway());
    started.push(gateway);
    query = startQueryApi(ports.query());
    started.push(query);
    endpoints().write(dataDir);
  }

  /** The addresses of every part. */
  public DevEndpoints endpoints() {
    Map<String, String> values = new HashMap<>();
    values.put(DevEndpoints.KAFKA, kafka.bootstrapServers());
    values.put(DevEndpoints.REGISTRY, registry.url());
    values.put(DevEndpoints.DATABASE, database.url());
    values.put(DevEndpoints.DATABASE_USER, database.user());
    values.put(DevEndpoints.DATABASE_PASSWORD, database.password());
    values.put(DevEndpoints.GATEWAY, gatewayUrl());
    values.put(DevEndpoints.TOPOLOGY, "http://127.0.0.1:" + topologyEndpoints.port());
    values.put(DevEndpoints.CONNECT, connect.url());
    values.put(DevEndpoints.QUERY, "http://127.0.0.1:" + query.port());
    return new DevEndpoints(values);
  }

  public String gatewayUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  public DevSecrets secrets() {
    return secrets;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The AI the topology uses; the demo embeds its search question with the same embedder. */
  public Enrichers ai() {
    return ai;
  }

  /** True when the stages run on the offline models. */
  public boolean localAi() {
    return ai.embedder() instanceof LocalEmbedder;
  }

  @Override
  public void close() {
    DevEndpoints.remove(dataDir);
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", part.getClass().getSimpleName(), e);
      }
    }
    unlock();
  }

  /**
   * Takes the data folder's lock, which holds the owner's process id while it runs. The operating
   * system frees the lock of a process that dies, but not the Postgres and the registry it ran,
   * which live on in processes of their own: an owner's id still in the file means it died without
   * stopping, and whatever it left running on this folder is stopped before anything starts.
   */
  private void lock(Consumer<String> say) {
    Path lockFile = dataDir.resolve("dev.lock");
    try {
      Files.createDirectories(dataDir.resolve("logs"));
      lockChannel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock = lockChannel.tryLock();
      if (lock == null) {
        lockChannel.close();
        lockChannel = null;
        throw new IllegalStateException(
            "another callstream dev (pid "
                + Pids.read(lockFile).orElse(-1L)
                + ") runs from "
                + dataDir
                + "; stop it first, or give --data-dir");
      }
      Pids.read(lockFile)
          .ifPresent(
              pid ->
                  say.accept(
                      "the run before (pid "
                          + pid
                          + ") ended without stopping; taking over its lock on "
                          + dataDir));
      DevEndpoints.remove(dataDir);
      ApicurioRegistry.stopLeftover(dataDir.resolve("registry"))
          .ifPresent(pid -> say.accept("stopped the registry (pid " + pid + ") left running"));
      PostgresCluster.stopLeftover(dataDir.resolve("postgres"))
          .ifPresent(pid -> say.accept("stopped the Postgres (pid " + pid + ") left running"));
      lockChannel.truncate(0);
      lockChannel.write(
          ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
          0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + dataDir, e);
    }
  }

  private void unlock() {
    if (lockChannel != null) {
      try {
        lockChannel.truncate(0); // no owner: this run stopped cleanly
        lockChannel.close(); // releases the lock
      } catch (IOException ignored) {
        // the process is going away anyway
      }
      lockChannel = null;
    }
  }

  private void createTopics() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(60));
      TopicCatalog.createAll(
          admin, SinkConnectors.DEAD_LETTER_TOPICS, (short) 1, Duration.ofSeconds(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the topics: " + e.getMessage(), e);
    }
  }

  private GatewayApp startGateway(int port) {
    Path sources = dataDir.resolve("sources.json");
    try {
      Files.writeString(sources, secrets.sourcesJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + sources, e);
    }
    int listen = port == 0 ? FreePorts.next() : port;
    Map<String, String> env = environment();
    env.putAll(secrets.environment());
    env.put("CALLSTREAM_SOURCES_FILE", sources.toString());
    env.put("CALLSTREAM_GATEWAY_HOST", "127.0.0.1");
    env.put("CALLSTREAM_GATEWAY_PORT", Integer.toString(listen));
    env.put("CALLSTREAM_PUBLIC_BASE_URL", "http://127.0.0.1:" + listen);
    env.put("CALLSTREAM_BLOB_DIR", dataDir.resolve("blobs").toString());
    return GatewayApp.start(GatewayConfig.fromEnv(env::get), env::get, Clock.systemUTC());
  }

  /** The read API over the stack's database, questions embedded as the topology embeds chunks. */
  private QueryApp startQueryApi(int port) {
    Path keys = dataDir.resolve("read-keys.json");
    try {
      Files.writeString(keys, secrets.readKeysJson());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + keys, e);
    }
    QueryApiConfig config =
        new QueryApiConfig(
            "127.0.0.1",
            port == 0 ? FreePorts.next() : port,
            database.url(),
            database.user(),
            database.password(),
            keys,
            dataDir.resolve("blobs"),
            kafka.bootstrapServers(),
            registry.url());
    return QueryApp.start(config, ReadKeys.load(keys), ai.embedder());
  }

  /** This process's environment, pointed at the local Kafka and registry. */
  private Map<String, String> environment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", registry.url());
    return env;
  }

  /** Deletes a data folder no stack runs from (for {@code dev --reset}). */
  public static void reset(Path dataDir) {
    if (Files.exists(dataDir.resolve(DevEndpoints.FILE))) {
      throw new IllegalStateException(
          "callstream dev seems to run from " + dataDir + "; stop it before resetting");
    }
    FileTrees.deleteQuietly(dataDir);
  }
}
