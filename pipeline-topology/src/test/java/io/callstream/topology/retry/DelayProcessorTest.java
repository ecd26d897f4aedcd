package io.callstream.topology.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.Stage;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.InMemorySchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A retry tier's delay, with wall-clock time advanced by hand. */
class DelayProcessorTest {
  private static final Instant START = Instant.parse("2026-11-20T14:00:00Z");
  private final AvroSerde<WorkItem> items =
      AvroSerde.forValues(WorkItem.class, new InMemorySchemaRegistry());
  private TopologyTestDriver driver;
  private TestInputTopic<String, WorkItem> retry;
  private TestOutputTopic<String, WorkItem> released;

  @BeforeEach
  void start() {
    Topology topology = new Topology();
    topology.addSource(
        "retry-30s", Serdes.String().deserializer(), items.deserializer(), "calls.retry.30s.v1");
    topology.addProcessor(
        "delay-30s",
        () ->
            new DelayProcessor(
                "delay-30s-store",
                "calls.retry.30s.v1",
                Duration.ofSeconds(30),
                Duration.ofSeconds(1)),
        "retry-30s");
    topology.addStateStore(DelayProcessor.store("delay-30s-store", items), "delay-30s");
    topology.addSink(
        "released", "released", Serdes.String().serializer(), items.serializer(), "delay-30s");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "delay-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(topology, props, START);
    retry =
        driver.createInputTopic(
            "calls.retry.30s.v1", Serdes.String().serializer(), items.serializer());
    released =
        driver.createOutputTopic("released", Serdes.String().deserializer(), items.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void anItemIsReleasedWithinOnePunctuationIntervalOfItsDelay() {
    WorkItem item = item("first");
    retry.pipeInput(item.getCallId().toString(), item);

    driver.advanceWallClockTime(Duration.ofSeconds(29));
    assertThat(released.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    var out = released.readKeyValue();
    assertThat(out.key).isEqualTo(item.getCallId().toString());
    assertThat(out.value).isEqualTo(item);
    assertThat(released.isEmpty()).isTrue();
  }

  @Test
  void itemsLeaveInTheOrderTheyBecomeDueWithoutBlockingEachOther() {
    WorkItem early = item("early");
    retry.pipeInput(early.getCallId().toString(), early);
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    WorkItem late = item("late");
    retry.pipeInput(late.getCallId().toString(), late);
    WorkItem pushed =
        WorkItem.newBuilder(item("pushed"))
            .setDueAt(START.plusSeconds(15))
            .build(); // a shorter Retry-After

    retry.pipeInput(pushed.getCallId().toString(), pushed);
    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(released.readValue().getEventId()).isEqualTo("pushed");
    driver.advanceWallClockTime(Duration.ofSeconds(15));
    assertThat(released.readValue().getEventId()).isEqualTo("early");
    assertThat(released.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(10));
    assertThat(released.readValue().getEventId()).isEqualTo("late");
  }

  @Test
  void waitingItemsAreKeptInTheStoreUntilReleased() {
    WorkItem item = item("kept");
    retry.pipeInput(item.getCallId().toString(), item);
    assertThat(driver.getKeyValueStore("delay-30s-store").approximateNumEntries()).isEqualTo(1);
    driver.advanceWallClockTime(Duration.ofSeconds(31));
    assertThat(released.readValue()).isEqualTo(item);
    assertThat(driver.getKeyValueStore("delay-30s-store").approximateNumEntries()).isZero();
  }

  private static WorkItem item(String eventId) {
    return WorkItem.newBuilder()
        .setCallId(UUID.randomUUID())
        .setEventId(eventId)
        .setTenantId("acme")
        .setStage(Stage.ANALYZE)
        .setAttempt(1)
        .setAcceptedAt(START)
        .build();
  }
}
