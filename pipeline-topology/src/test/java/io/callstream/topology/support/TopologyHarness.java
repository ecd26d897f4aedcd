package io.callstream.topology.support;

import io.callstream.events.AgentTenant;
import io.callstream.events.CallChunk;
import io.callstream.events.CallDocument;
import io.callstream.events.CallEnded;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.TenantSettings;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.WorkItem;
import io.callstream.schemas.registry.InMemorySchemaRegistry;
import io.callstream.schemas.serde.AvroSerde;
import io.callstream.schemas.topics.SizeLimits;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.CallstreamTopology;
import io.callstream.topology.PipelineMetrics;
import io.callstream.topology.TopologyConfig;
import io.callstream.topology.TopologyServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The whole callstream topology on a {@link TopologyTestDriver} with an in-memory registry and
 * scripted AI; wall-clock time moves only when the test advances it.
 */
public final class TopologyHarness implements AutoCloseable {
  public final ScriptedAi ai = new ScriptedAi();
  public final PipelineMetrics metrics = new PipelineMetrics();
  public final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  public final TopologyTestDriver driver;
  public final TestInputTopic<String, CallEnded> calls;
  public final TestInputTopic<String, RecordingUploaded> recordings;
  public final TestInputTopic<String, AgentTenant> agents;
  public final TestInputTopic<String, TenantSettings> settings;
  public final TestInputTopic<String, byte[]> rawCalls;

  public TopologyHarness(TopologyConfig config, Instant wallClock) {
    this(config, wallClock, SizeLimits.MAX_RECORD_BYTES);
  }

  /** With Kafka taking records of at most {@code maxRecordBytes}, so a test can exceed it. */
  public TopologyHarness(TopologyConfig config, Instant wallClock, int maxRecordBytes) {
    StreamsBuilder builder = new StreamsBuilder();
    CallstreamTopology.build(
        builder,
        config,
        new TopologyServices(
            ai.enrichers(),
            registry,
            metrics,
            Clock.fixed(wallClock, ZoneOffset.UTC),
            maxRecordBytes));
    Properties props = config.streamsProperties();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver = new TopologyTestDriver(builder.build(), props, wallClock);
    calls = input(Topics.CALLS_ENDED, CallEnded.class);
    recordings = input(Topics.RECORDINGS_UPLOADED, RecordingUploaded.class);
    agents = input(Topics.TENANTS_AGENTS, AgentTenant.class);
    settings = input(Topics.TENANTS_SETTINGS, TenantSettings.class);
    rawCalls =
        driver.createInputTopic(
            Topics.CALLS_ENDED, Serdes.String().serializer(), Serdes.ByteArray().serializer());
  }

  public static TopologyConfig config() {
    return config(java.util.Map.of());
  }

  /** The defaults, with {@code env} set on top, as the environment would. */
  public static TopologyConfig config(java.util.Map<String, String> env) {
    java.util.Map<String, String> all = new java.util.HashMap<>(env);
    all.put("KAFKA_BOOTSTRAP_SERVERS", "unused:9092");
    all.put("SCHEMA_REGISTRY_URL", "http://unused:8081");
    return TopologyConfig.fromEnv(all::get);
  }

  public TestOutputTopic<String, EnrichedCall> enriched() {
    return output(Topics.CALLS_ENRICHED, EnrichedCall.class);
  }

  public TestOutputTopic<String, CallChunk> chunks() {
    return output(Topics.CALLS_CHUNKS, CallChunk.class);
  }

  public TestOutputTopic<String, Transcript> transcribed() {
    return output(Topics.CALLS_TRANSCRIBED, Transcript.class);
  }

  public TestOutputTopic<String, CallDocument> documents() {
    return output(Topics.DOCUMENTS_GENERATED, CallDocument.class);
  }

  public TestOutputTopic<String, WorkItem> workItems(String topic) {
    return output(topic, WorkItem.class);
  }

  public TestOutputTopic<String, Callback> callbacks(String topic) {
    return output(topic, Callback.class);
  }

  public TestOutputTopic<String, TenantStats> tenantStats() {
    return output(Topics.TENANT_STATS, TenantStats.class);
  }

  public TestOutputTopic<String, byte[]> raw(String topic) {
    return driver.createOutputTopic(
        topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
  }

  public void advance(Duration wallClock) {
    driver.advanceWallClockTime(wallClock);
  }

  private <T extends SpecificRecord> TestInputTopic<String, T> input(String topic, Class<T> type) {
    return driver.createInputTopic(
        topic, Serdes.String().serializer(), AvroSerde.forValues(type, registry).serializer());
  }

  private <T extends SpecificRecord> TestOutputTopic<String, T> output(
      String topic, Class<T> type) {
    return driver.createOutputTopic(
        topic, Serdes.String().deserializer(), AvroSerde.forValues(type, registry).deserializer());
  }

  @Override
  public void close() {
    driver.close();
  }
}
