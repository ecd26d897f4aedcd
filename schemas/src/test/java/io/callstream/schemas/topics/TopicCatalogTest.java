package io.callstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.devstack.kafka.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

  @Test
  void namesEveryTopicOnce() {
    assertThat(TopicCatalog.all()).extracting(TopicSpec::name).doesNotHaveDuplicates().hasSize(16);
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
    assertThat(TopicCatalog.find(Topics.CALLS_ENRICHED).orElseThrow().configs())
        .containsEntry("cleanup.policy", "compact,delete");
    assertThat(TopicCatalog.find("no.such.topic")).isEmpty();
  }

  @Test
  void everyTopicButTheRawOnesHasAnAvroValueSchema() {
    assertThat(TopicCatalog.all())
        .extracting(TopicSpec::name)
        .filteredOn(name -> TopicValues.of(name).isEmpty())
        .containsExactlyInAnyOrder(Topics.TOPOLOGY_DLQ, Topics.CALLS_DLT_REDRIVEN);
    assertThat(TopicValues.of(Topics.CALLS_DLT).orElseThrow().getName()).isEqualTo("WorkItem");
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
}
