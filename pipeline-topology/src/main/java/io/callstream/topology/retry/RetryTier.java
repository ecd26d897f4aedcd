package io.callstream.topology.retry;

import java.time.Duration;

/** A retry topic and the fixed delay its items wait before they run again. */
public record RetryTier(String topic, Duration delay) {}
