package io.callstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.events.WorkItem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

  @Test
  void namesEveryTopicOnce() {
    assertThat(TopicCatalog.all()).extracting(TopicSpec::name).doesNotHaveDuplicates().hasSize(17);
  }

  @Test
  void topicsKeyedByCallShareOnePartitionCountSoRetriesReturnToTheSameTask() {
    assertThat(TopicCatalog.all())
        .filteredOn(
            spec -> spec.name().startsWith("calls.") || spec.name().startsWith("recordings."))
        .allSatisfy(spec -> assertThat(spec.partitions()).isEqualTo(TopicCatalog.CALL_PARTITIONS));
  }

  @Test
  void sourceTopicsAreKeptForReplayAndLookupsAreCompacted() {
    assertThat(TopicCatalog.find(Topics.CALLS_ENDED).orElseThrow().configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(365).toMillis()));
    assertThat(TopicCatalog.find(Topics.TENANTS_AGENTS).orElseThrow().configs())
        .isEqualTo(
            Map.of("cleanup.policy", "compact", "max.message.bytes", Integer.toString(32 << 20)));
    assertThat(TopicCatalog.find(Topics.TENANTS_SETTINGS).orElseThrow().configs())
        .containsEntry("cleanup.policy", "compact");
    assertThat(TopicCatalog.find(Topics.CALLS_ENRICHED).orElseThrow().configs())
        .containsEntry("cleanup.policy", "compact,delete");
    assertThat(TopicCatalog.find("no.such.topic")).isEmpty();
  }

  @Test
  void everyTopicButTheRawOnesHasAnAvroValueSchema() {
    assertThat(TopicCatalog.all())
        .extracting(TopicSpec::name)
        .filteredOn(name -> TopicCatalog.topic(name).orElseThrow().valueSchema().isEmpty())
        .containsExactlyInAnyOrder(Topics.TOPOLOGY_DLQ, Topics.CALLS_DLT_REDRIVEN);
    assertThat(
            TopicCatalog.topic(Topics.CALLS_DLT)
                .orElseThrow()
                .valueSchema()
                .orElseThrow()
                .getName())
        .isEqualTo("WorkItem");
  }

  @Test
  void keysAreTextAndEveryTopicOfACallIsKeyedByItsId() {
    assertThat(TopicCatalog.topics())
        .filteredOn(topic -> topic.keys() == KeyFormat.CALL_ID)
        .allSatisfy(
            topic -> assertThat(topic.spec().partitions()).isEqualTo(TopicCatalog.CALL_PARTITIONS))
        .hasSize(12);
    assertThat(TopicCatalog.CALLS_DLT.valueType()).isEqualTo(WorkItem.class);
    assertThat(
            TopicCatalog.CALLS_DLT_REDRIVEN
                .valueSerde(null)
                .deserializer()
                .deserialize("t", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo("x");
    assertThatThrownBy(
            () ->
                new Topic<>(
                    new TopicSpec("x", 1, TopicSpec.Cleanup.DELETE, null),
                    KeyFormat.CALL_ID,
                    Integer.class))
        .hasMessageContaining("x: values are Avro records, text or bytes");
  }

  @Test
  void everyTopicTakesRecordsUpToTheRecordLimit() {
    assertThat(TopicCatalog.all())
        .allSatisfy(
            spec ->
                assertThat(spec.configs())
                    .containsEntry("max.message.bytes", Integer.toString(32 * 1024 * 1024)));
    assertThat(SizeLimits.MAX_RECORD_BYTES).isGreaterThan(4 * SizeLimits.MAX_CALL_BODY_BYTES);
    assertThat(KafkaBroker.MAX_MESSAGE_BYTES).isEqualTo(SizeLimits.MAX_RECORD_BYTES);
  }

  @Test
  void aSpecWithoutRetentionKeepsRecordsForever() {
    TopicSpec forever = new TopicSpec("x", 1, TopicSpec.Cleanup.DELETE, null);
    assertThat(forever.configs()).containsEntry("retention.ms", "-1");
  }

  @Test
  void rejectsAZeroPartitionTopic() {
    assertThatThrownBy(() -> new TopicSpec("x", 0, TopicSpec.Cleanup.DELETE, null))
        .hasMessageContaining("partitions must be at least 1");
  }

  @Test
  void theReadmesTopicTableSaysEachTopicsKeyValueTypeAndLayout() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (Topic<?> topic : TopicCatalog.topics()) {
      String row =
          readme
              .lines()
              .filter(line -> line.startsWith("| `" + topic.name() + "` |"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("README has no row for " + topic.name()));
      String[] cells = row.split("(?<!\\\\)\\|");
      assertThat(cells[2].trim().replace("\\|", "|"))
          .as(topic.name() + " key")
          .isEqualTo(topic.keys().description());
      topic
          .valueSchema()
          .ifPresent(
              schema ->
                  assertThat(cells[3])
                      .as(topic.name() + " value")
                      .contains("`" + schema.getName() + "`"));
      assertThat(cells[5].trim())
          .as(topic.name() + " partitions")
          .isEqualTo(Integer.toString(topic.spec().partitions()));
    }
  }
}
