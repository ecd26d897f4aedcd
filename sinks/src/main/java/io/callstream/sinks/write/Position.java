package io.callstream.sinks.write;

/** Where a record was read: its topic, partition and offset. */
public record Position(String topic, int partition, long offset) {

  /** The partition, as {@code topic-partition}. */
  public String partitionName() {
    return topic + "-" + partition;
  }

  @Override
  public String toString() {
    return partitionName() + "@" + offset;
  }
}
