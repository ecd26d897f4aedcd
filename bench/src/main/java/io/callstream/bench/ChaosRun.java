package io.callstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.ChildProcess;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsAdapter;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsSignature;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsTranscription;
import io.callstream.schemas.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * The chaos run: signed webhooks posted round-robin to two gateways while three topology instances
 * and two Connect workers enrich and store them on a three-node cluster, the AI service failing 20%
 * of requests for a while (429 with Retry-After, 500, timeouts) and 1% for good; and, at random
 * moments, a topology instance killed and restarted, the broker leading the most partitions killed
 * and restarted, a fourth topology instance added and one stopped, a Connect worker killed and
 * restarted. Then every exit is counted ({@link ChaosOutcome}) and the run is reported on one JSON
 * line.
 */
public final class ChaosRun {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long and how hard: {@code calls} webhooks at {@code perSecond}. */
  public record Settings(int calls, double perSecond, long seed) {}

  /** A fault and when it was done (ms since the run started). */
  record Fault(String name, long atMs) {}

  private final Settings settings;
  private final ChaosStack stack;
  private final long start = System.nanoTime();
  private final Map<UUID, Long> postedMs = new ConcurrentHashMap<>();
  private final List<Long> unavailableMs = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final Map<String, Long> handOvers = new ConcurrentHashMap<>();
  private final AtomicLong posted = new AtomicLong();

  private ChaosRun(Settings settings, ChaosStack stack) {
    this.settings = settings;
    this.stack = stack;
  }

  public static void main(String[] args) throws Exception {
    Settings settings =
        new Settings(
            Integer.getInteger("calls", 1200),
            Double.parseDouble(System.getProperty("rate", "3")),
            Long.getLong("seed", 19));
    ObjectNode line = run(settings, java.nio.file.Files.createTempDirectory("chaos-"));
    System.out.println(line);
  }

  /** Runs the chaos on a fresh stack in {@code dir} and returns its report. */
  public static ObjectNode run(Settings settings, Path dir) throws Exception {
    AiSimulator.Faults faulty =
        new AiSimulator.Faults(0.07, Duration.ofSeconds(1), 0.07, 0.06, 0, 0, 0.01);
    try (ChaosStack stack = ChaosStack.start(dir, faulty, 2, 3, 2)) {
      return new ChaosRun(settings, stack).go();
    }
  }

  private ObjectNode go() throws Exception {
    ChaosOutcome.Reader reader = ChaosOutcome.Reader.start(stack, this::nowMs);
    Thread progress =
        Thread.ofPlatform().daemon().name("chaos-progress").start(() -> progress(reader));
    try {
      Thread faulting = Thread.ofPlatform().name("chaos-faults").start(this::injectFaults);
      post();
      faulting.join();
      stack.ai.faults(AiSimulator.Faults.NONE); // the service recovers; what is left drains
      ChaosOutcome outcome = reader.awaitOutcome(postedMs.keySet(), Duration.ofMinutes(3));
      Jdbi jdbi =
          Jdbi.create(stack.postgres.jdbcUrl(), stack.postgres.user(), stack.postgres.password());
      outcome.awaitRows(jdbi, Duration.ofMinutes(2));
      return report(outcome);
    } finally {
      progress.interrupt();
      reader.close();
    }
  }

  long nowMs() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Posts every webhook at the set rate, each until a gateway answers 202. */
  private void post() throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ExecutorService posters = Executors.newFixedThreadPool(8);
    long periodNanos = (long) (1_000_000_000L / settings.perSecond());
    long begin = System.nanoTime();
    for (int i = 0; i < settings.calls(); i++) {
      long due = begin + i * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      int call = i;
      posters.submit(() -> postUntilAccepted(http, call));
    }
    posters.shutdown();
    if (!posters.awaitTermination(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException("webhooks still unanswered after 5 minutes");
    }
  }

  private void postUntilAccepted(HttpClient http, int call) {
    byte[] body = webhookBody(call);
    for (int attempt = 0; attempt < 240; attempt++) {
      int port = stack.gatewayPorts.get((call + attempt) % stack.gatewayPorts.size());
      long now = Instant.now().getEpochSecond();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + port + "/v1/webhooks/" + ChaosStack.SOURCE))
                    .header("Content-Type", "application/json")
                    .header(
                        ElevenLabsAdapter.SIGNATURE_HEADER,
                        ElevenLabsSignature.of(ChaosStack.SECRET, now, body))
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 202) {
          UUID id = UUID.fromString(JSON.readTree(response.body()).path("call_id").asText());
          postedMs.putIfAbsent(id, nowMs());
          posted.incrementAndGet();
          return;
        }
        if (response.statusCode() == 503) {
          unavailableMs.add(nowMs()); // the provider retries later, as providers do
        } else {
          refused.add(call + ": " + response.statusCode() + " " + response.body());
          return;
        }
      } catch (Exception e) {
        unavailableMs.add(nowMs());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    refused.add(call + ": never accepted");
  }

  /** A short ElevenLabs post_call_transcription of its own: no two calls ask the AI the same. */
  private static byte[] webhookBody(int call) {
    List<String> lines =
        List.of(
            "Thanks for calling Northwind Supplies about order " + call + ", this is Ava.",
            "Hi, order " + call + " arrived with a cracked lid and I would like a replacement.",
            "I am sorry about that. I have sent a replacement for order " + call + " today.",
            "Great, thank you for sorting order " + call + " out so quickly.");
    return ElevenLabsTranscription.of(
            "agent_chaos", "conv_chaos_" + call, lines, Instant.now().getEpochSecond(), 8)
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** One line on stderr every 10 s: how far the run is. */
  private void progress(ChaosOutcome.Reader reader) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        return;
      }
      System.err.printf(
          "chaos %4d s: %d accepted, %s, faults %s%n",
          nowMs() / 1000, posted.get(), reader.progress(), faults);
    }
  }

  /** The faults, in random order at random moments of the posting period. */
  private void injectFaults() {
    Random random = new Random(settings.seed());
    long postingMs = (long) (settings.calls() / settings.perSecond() * 1000);
    List<Runnable> steps =
        new ArrayList<>(
            List.of(
                this::killAndRestartTopology,
                this::killAndRestartLeadingBroker,
                this::addTopology,
                this::stopTopology,
                this::killAndRestartConnectWorker));
    java.util.Collections.shuffle(steps, random);
    // after a warm-up quarter (the JVMs' first seconds are slow), one fault per slot of the rest,
    // at a random moment of its first half
    long warmUp = postingMs / 4;
    long slot = (postingMs - warmUp) / (steps.size() + 1);
    for (int i = 0; i < steps.size(); i++) {
      long at = warmUp + slot / 2 + i * slot + (long) (random.nextDouble() * slot / 2);
      try {
        long wait = at - nowMs();
        if (wait > 0) {
          Thread.sleep(wait);
        }
        steps.get(i).run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Kills an instance; once the others run all its tasks, starts it again. */
  private void killAndRestartTopology() {
    ChildProcess victim = running(stack.topologies);
    uninterrupted(
        () -> {
          int tasks = stack.settledTasks();
          faults.add(new Fault("kill_topology", nowMs()));
          long killed = System.nanoTime();
          victim.kill();
          handOvers.put("kill_topology", stack.handOverMs(victim, tasks, killed));
          victim.start();
        });
  }

  private void killAndRestartLeadingBroker() {
    int node = stack.kafka.leaderOfMostPartitions(List.of(Topics.CALLS_ENDED));
    faults.add(new Fault("kill_broker", nowMs()));
    uninterrupted(
        () -> {
          stack.kafka.kill(node);
          Thread.sleep(10_000);
          stack.kafka.start(node);
        });
  }

  private void addTopology() {
    faults.add(new Fault("add_topology", nowMs()));
    uninterrupted(stack::addTopology);
  }

  /** Stops an instance cleanly (SIGTERM) and times how soon the others run its tasks. */
  private void stopTopology() {
    ChildProcess stopping = running(stack.topologies);
    uninterrupted(
        () -> {
          int tasks = stack.settledTasks();
          faults.add(new Fault("stop_topology", nowMs()));
          long stopped = System.nanoTime();
          Thread stop =
              Thread.ofPlatform()
                  .start(
                      () ->
                          uninterrupted(
                              () -> {
                                stopping.stop(30);
                                System.err.printf(
                                    "stop_topology: the instance exited after %d ms%n",
                                    (System.nanoTime() - stopped) / 1_000_000);
                              }));
          handOvers.put("stop_topology", stack.handOverMs(stopping, tasks, stopped));
          stop.join();
        });
  }

  private void killAndRestartConnectWorker() {
    var worker = stack.workers.get(1);
    faults.add(new Fault("kill_connect_worker", nowMs()));
    uninterrupted(
        () -> {
          worker.kill();
          Thread.sleep(10_000);
          worker.start();
        });
  }

  private static ChildProcess running(List<ChildProcess> processes) {
    return processes.stream().filter(ChildProcess::isRunning).findFirst().orElseThrow();
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void uninterrupted(Step step) {
    try {
      step.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean handedOverWithin(String fault, long targetMs) {
    long ms = handOvers.getOrDefault(fault, -1L);
    return ms >= 0 && ms <= targetMs;
  }

  private ObjectNode report(ChaosOutcome outcome) {
    ObjectNode line = JSON.createObjectNode();
    line.put("benchmark", "chaos");
    line.put("calls_posted", settings.calls());
    line.put("accepted", posted.get());
    line.put("refused", refused.size());
    outcome.describe(line);
    line.put("gateway_unavailable_answers", unavailableMs.size());
    line.put("gateway_longest_unavailable_ms", ChaosOutcome.longestWindowMs(unavailableMs, 1000));
    ObjectNode drains = line.putObject("drain_ms_after_fault");
    for (Fault fault : faults) {
      drains.put(fault.name(), outcome.drainMs(postedMs, fault.atMs()));
    }
    ObjectNode handOver = line.putObject("hand_over_ms");
    handOvers.forEach(handOver::put);
    line.put("hand_over_target_ms_kill", 15_000);
    line.put("hand_over_target_ms_stop", 5_000);
    line.put(
        "store_restores", (long) stack.sumOverTopologies("callstream_topology_restores_total"));
    line.put(
        "restored_records",
        (long) stack.sumOverTopologies("callstream_topology_restored_records_total"));
    line.put(
        "restore_ms_total",
        Math.round(1000 * stack.sumOverTopologies("callstream_topology_restore_seconds_total")));
    line.put("restore_ms_longest", Math.round(1000 * stack.longestRestoreSeconds()));
    // fenced producers show as rebalances (a fenced thread rejoins); kills abort transactions
    line.put("topology_rebalances", stack.rebalances());
    line.put("aborted_records", TopologyBenchmark.abortedRecords(stack.kafka.bootstrapServers()));
    line.put("ai_requests", stack.ai.totalRequests());
    line.put("ai_faults_injected", stack.ai.faultsInjected());
    line.put("ai_requests_made_again", stack.ai.repeatedRequests());
    var latency = outcome.latencies(postedMs, faults.stream().map(Fault::atMs).toList());
    line.put("e2e_p99_ms_during_faults", latency.duringFaults());
    line.put("e2e_p99_ms_without_faults", latency.withoutFaults());
    line.put("p99_ratio", latency.ratio());
    boolean exactlyOnce = refused.isEmpty() && outcome.problems().isEmpty();
    boolean handedOver =
        handedOverWithin("kill_topology", 15_000) && handedOverWithin("stop_topology", 5_000);
    line.put("exactly_once", exactlyOnce);
    line.put("hand_over_within_targets", handedOver);
    line.put("pass", exactlyOnce && handedOver);
    return line;
  }
}
