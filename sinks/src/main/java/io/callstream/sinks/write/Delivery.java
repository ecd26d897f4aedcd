package io.callstream.sinks.write;

import java.time.Instant;

/**
 * One record as the sinks write it, with no Connect type in sight: where it was read, its key as
 * text, its value decoded as its topic's type (null for a tombstone), and when it was written.
 */
public record Delivery<V>(Position position, String key, V value, Instant timestamp) {}
