package io.callstream.schemas.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How one topic is laid out: its partition count, cleanup policy and retention; every topic takes
 * records up to {@link SizeLimits#MAX_RECORD_BYTES}, whatever the broker's default.
 *
 * @param name the topic's name
 * @param partitions how many partitions it has; topics keyed by call id share one count so a call's
 *     events meet on the same stream task
 * @param cleanup delete, compact, or both
 * @param retention how long records are kept before deletion; {@code null} keeps them forever (only
 *     meaningful with a delete policy)
 */
public record TopicSpec(String name, int partitions, Cleanup cleanup, Duration retention) {

  /** A topic's cleanup policy, as Kafka's {@code cleanup.policy} names it. */
  public enum Cleanup {
    DELETE("delete"),
    COMPACT("compact"),
    COMPACT_DELETE("compact,delete");

    private final String policy;

    Cleanup(String policy) {
      this.policy = policy;
    }

    public String policy() {
      return policy;
    }
  }

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cleanup, "cleanup");
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be at least 1");
    }
  }

  /** The topic-level configs to create the topic with. */
  public Map<String, String> configs() {
    Map<String, String> configs = new LinkedHashMap<>();
    configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanup.policy());
    configs.put(
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(SizeLimits.MAX_RECORD_BYTES));
    if (cleanup != Cleanup.COMPACT) {
      configs.put(
          TopicConfig.RETENTION_MS_CONFIG,
          retention == null ? "-1" : Long.toString(retention.toMillis()));
    }
    return configs;
  }
}
