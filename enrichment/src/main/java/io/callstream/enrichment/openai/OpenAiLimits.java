package io.callstream.enrichment.openai;

import java.time.Duration;

/**
 * How hard callstream may use one OpenAI-compatible endpoint.
 *
 * @param maxConcurrency requests in flight at once
 * @param requestsPerMinute steady request rate
 * @param tokensPerMinute steady token rate (estimated from the input before each request)
 * @param timeout how long one request may take end to end
 * @param circuitOpenFor how long the circuit stays open after too many failures
 */
public record OpenAiLimits(
    int maxConcurrency,
    double requestsPerMinute,
    double tokensPerMinute,
    Duration timeout,
    Duration circuitOpenFor) {

  public static OpenAiLimits defaults() {
    return new OpenAiLimits(64, 3_000, 1_000_000, Duration.ofSeconds(60), Duration.ofSeconds(30));
  }
}
