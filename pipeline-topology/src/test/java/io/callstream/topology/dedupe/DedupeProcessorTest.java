package io.callstream.topology.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.schemas.topics.EventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retried webhooks fold into one event within the TTL. Values here are the event ids themselves.
 */
class DedupeProcessorTest {
  private static final Instant T0 = Instant.parse("2026-11-20T14:00:00Z");
  private TopologyTestDriver driver;
  private TestInputTopic<String, String> in;
  private TestOutputTopic<String, String> out;
  private final AtomicInteger duplicates = new AtomicInteger();

  @BeforeEach
  void start() {
    Topology topology = new Topology();
    topology.addSource(
        "calls", Serdes.String().deserializer(), Serdes.String().deserializer(), "calls");
    topology.addProcessor(
        "dedupe",
        () ->
            new DedupeProcessor<String>(
                "seen-events", Duration.ofDays(7), value -> value, duplicates::incrementAndGet),
        "calls");
    topology.addStateStore(DedupeProcessor.store("seen-events", Duration.ofDays(7)), "dedupe");
    topology.addSink(
        "out", "out", Serdes.String().serializer(), Serdes.String().serializer(), "dedupe");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology, props);
    in =
        driver.createInputTopic(
            "calls", Serdes.String().serializer(), Serdes.String().serializer());
    out =
        driver.createOutputTopic(
            "out", Serdes.String().deserializer(), Serdes.String().deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aRetriedWebhookProducesOneEvent() {
    in.pipeInput("call-1", "elevenlabs:conv-1:post_call_transcription", T0);
    in.pipeInput("call-1", "elevenlabs:conv-1:post_call_transcription", T0.plusSeconds(30));
    in.pipeInput(
        "call-1", "elevenlabs:conv-1:post_call_transcription", T0.plus(Duration.ofDays(6)));
    in.pipeInput("call-1", "elevenlabs:conv-1:post_call_audio", T0.plusSeconds(31));

    assertThat(out.readValuesToList())
        .containsExactly(
            "elevenlabs:conv-1:post_call_transcription", "elevenlabs:conv-1:post_call_audio");
    assertThat(duplicates).hasValue(2);
  }

  @Test
  void aReplayedEventPassesAlthoughItWasSeen() {
    in.pipeInput("call-3", "retell:call-3:call_analyzed", T0);
    in.pipeInput(
        new TestRecord<>(
            "call-3",
            "retell:call-3:call_analyzed",
            new RecordHeaders().add(EventHeaders.REPLAY, "1".getBytes(StandardCharsets.UTF_8)),
            T0.plusSeconds(60)));

    assertThat(out.readValuesToList()).hasSize(2);
    assertThat(duplicates).hasValue(0);
  }

  @Test
  void theSameEventPassesAgainAfterTheTtl() {
    in.pipeInput("call-2", "vapi:call-2:end-of-call-report", T0);
    in.pipeInput("call-2", "vapi:call-2:end-of-call-report", T0.plus(Duration.ofDays(8)));

    assertThat(out.readValuesToList()).hasSize(2);
  }
}
