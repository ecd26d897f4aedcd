package io.callstream.gateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus metrics: requests by source and outcome, request and produce latency
 * histograms, and requests in flight.
 */
public final class GatewayMetrics {
  public static final String REQUESTS = "callstream.gateway.requests";
  public static final String REQUEST_LATENCY = "callstream.gateway.request.latency";
  public static final String PRODUCE_LATENCY = "callstream.gateway.produce.latency";
  public static final String IN_FLIGHT = "callstream.gateway.inflight";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer requestLatency;
  private final Timer produceLatency;

  public GatewayMetrics() {
    requestLatency =
        Timer.builder(REQUEST_LATENCY)
            .description("Time from request to response")
            .publishPercentileHistogram()
            .serviceLevelObjectives(
                Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100))
            .register(registry);
    produceLatency =
        Timer.builder(PRODUCE_LATENCY)
            .description("Time until Kafka acknowledged a write")
            .publishPercentileHistogram()
            .register(registry);
    Gauge.builder(IN_FLIGHT, inFlight, AtomicInteger::get)
        .description("Requests being handled")
        .register(registry);
  }

  /** Counts one finished request. Outcomes: accepted, ignored, rejected_<status>, unavailable. */
  void count(String source, String outcome, long startNanos) {
    counters
        .computeIfAbsent(
            source + '\u0000' + outcome,
            k ->
                Counter.builder(REQUESTS)
                    .tag("source", source)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
    requestLatency.record(
        System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void produced(long nanos) {
    produceLatency.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** Requests being handled now. */
  public int inFlightCount() {
    return inFlight.get();
  }

  AtomicInteger inFlight() {
    return inFlight;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
