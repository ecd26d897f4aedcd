package io.callstream.cli;

import static org.awaitility.Awaitility.await;

import io.callstream.cli.dev.SinkConnectors;
import io.callstream.devstack.kafka.TopicRecords;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Provider;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.EventHeaders;
import io.callstream.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the command tests share: running a command in this JVM, source calls, the sinks' progress.
 */
final class CommandTesting {
  private CommandTesting() {}

  /** A command's exit code and what it printed. */
  record Run(int code, String output, String errors) {}

  static Run run(String bootstrap, String registryUrl, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--bootstrap-servers", bootstrap, "--schema-registry-url", registryUrl));
    return run(all);
  }

  /** Runs the command line {@code all} in this JVM, with what it prints. */
  static Run run(List<String> all) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    int code;
    synchronized (System.class) {
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        var line = CallstreamCli.commandLine();
        line.setOut(new java.io.PrintWriter(System.out, true));
        line.setErr(new java.io.PrintWriter(System.err, true));
        code = line.execute(all.toArray(String[]::new));
      } finally {
        System.setOut(stdout);
        System.setErr(stderr);
      }
    }
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static CallEnded call(UUID callId, String providerCallId, String tenant, String agent) {
    Instant ended = Instant.now().minusSeconds(30);
    String order = Integer.toString(100_000 + Math.abs(providerCallId.hashCode() % 800_000));
    return CallEnded.newBuilder()
        .setCallId(callId)
        .setEventId(providerCallId + "-ended")
        .setProvider(Provider.VAPI)
        .setProviderCallId(providerCallId)
        .setTenantId(tenant)
        .setAgentId(agent)
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setStartedAt(ended.minusSeconds(90))
        .setEndedAt(ended)
        .setDurationMs(90_000L)
        .setTurns(
            List.of(
                new TranscriptTurn(
                    SpeakerRole.AGENT, "Northwind support, this is Ava.", null, null),
                new TranscriptTurn(
                    SpeakerRole.USER, "My order " + order + " arrived broken.", null, null),
                new TranscriptTurn(
                    SpeakerRole.AGENT,
                    "I am sorry, a replacement for " + order + " is on its way.",
                    null,
                    null),
                new TranscriptTurn(SpeakerRole.USER, "Thank you, that helps.", null, null)))
        .setReceivedAt(ended.plusSeconds(1))
        .setRawPayload("{}")
        .build();
  }

  static void produce(String bootstrap, SchemaRegistryClient registry, CallEnded... calls)
      throws Exception {
    AvroSerde<CallEnded> serde = AvroSerde.forValues(CallEnded.class, registry);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (CallEnded call : calls) {
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(
                Topics.CALLS_ENDED,
                call.getCallId().toString(),
                serde.serialize(Topics.CALLS_ENDED, call));
        record
            .headers()
            .add(EventHeaders.EVENT_ID, call.getEventId().getBytes(StandardCharsets.UTF_8));
        producer.send(record);
      }
      producer.flush();
    }
  }

  /**
   * Waits until both connectors have consumed everything written to their topics so far: from each
   * group's committed offsets, a read_committed reader finds nothing left (a committed offset stops
   * short of a transaction's commit marker, and of aborted records no sink is ever given).
   */
  static void awaitSinksCaughtUp(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      for (String connector : List.of(SinkConnectors.POSTGRES, SinkConnectors.PGVECTOR)) {
        await()
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> nothingLeftToRead(admin, bootstrap, "connect-" + connector));
      }
    }
  }

  private static boolean nothingLeftToRead(Admin admin, String bootstrap, String group)
      throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return !committed.isEmpty()
        && TopicRecords.nothingLeftToRead(bootstrap, committed.keySet(), committed);
  }
}
