package io.callstream.schemas.registry;

/** A subject's compatibility rule, as the Confluent Schema Registry API names it. */
public enum Compatibility {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /** True when a new schema must be able to read data written with older ones. */
  public boolean checksBackward() {
    return this == BACKWARD
        || this == BACKWARD_TRANSITIVE
        || this == FULL
        || this == FULL_TRANSITIVE;
  }

  /** True when older schemas must be able to read data written with a new one. */
  public boolean checksForward() {
    return this == FORWARD || this == FORWARD_TRANSITIVE || this == FULL || this == FULL_TRANSITIVE;
  }

  /** True when a new schema is checked against every version, not only the latest. */
  public boolean transitive() {
    return name().endsWith("_TRANSITIVE");
  }
}
