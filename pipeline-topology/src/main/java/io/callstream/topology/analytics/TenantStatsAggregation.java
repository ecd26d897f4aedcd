package io.callstream.topology.analytics;

import io.callstream.events.EnrichedCall;
import io.callstream.events.SuccessVerdict;
import io.callstream.events.TenantStats;
import io.callstream.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Per-tenant totals for each hour of call end times, on {@code analytics.tenant-stats.v1} keyed
 * {@code tenant|window start}. Built over the latest enrichment of each call (the compacted {@code
 * calls.enriched.v1} read back as a table keyed by call id), so a call enriched again, by a replay
 * or a new prompt, replaces its old contribution instead of counting twice.
 */
public final class TenantStatsAggregation {
  public static final String LATEST_STORE = "enriched-latest";
  public static final String STATS_STORE = "tenant-stats";
  private static final Duration HOUR = Duration.ofHours(1);

  private TenantStatsAggregation() {}

  public static void build(
      StreamsBuilder builder, Serde<EnrichedCall> calls, Serde<TenantStats> stats, Clock clock) {
    builder
        .table(
            Topics.CALLS_ENRICHED,
            Consumed.with(Serdes.String(), calls),
            stored(LATEST_STORE, calls))
        .groupBy(
            (callId, call) -> KeyValue.pair(windowKey(call), call),
            Grouped.with("tenant-hour", Serdes.String(), calls))
        .aggregate(
            () -> null,
            (key, call, total) -> add(total, call, 1, clock),
            (key, call, total) -> add(total, call, -1, clock),
            stored(STATS_STORE, stats))
        .toStream()
        .filter((key, total) -> total != null)
        .to(Topics.TENANT_STATS, Produced.with(Serdes.String(), stats));
  }

  private static <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> stored(
      String store, Serde<V> values) {
    return Materialized.<String, V>as(Stores.persistentKeyValueStore(store))
        .withKeySerde(Serdes.String())
        .withValueSerde(values);
  }

  /** The tenant and the start of the hour the call ended in. */
  static String windowKey(EnrichedCall call) {
    return call.getTenantId() + "|" + windowStart(call).toEpochMilli();
  }

  private static Instant windowStart(EnrichedCall call) {
    return call.getEndedAt().truncatedTo(ChronoUnit.HOURS);
  }

  /** {@code total} with {@code call} added ({@code sign} 1) or taken away (-1). */
  static TenantStats add(TenantStats total, EnrichedCall call, int sign, Clock clock) {
    Instant start = windowStart(call);
    TenantStats.Builder next =
        total != null
            ? TenantStats.newBuilder(total)
            : TenantStats.newBuilder()
                .setTenantId(call.getTenantId())
                .setWindowStart(start)
                .setWindowEnd(start.plus(HOUR));
    next.setCalls(next.getCalls() + sign)
        .setTotalDurationMs(
            next.getTotalDurationMs()
                + sign * (call.getDurationMs() == null ? 0 : call.getDurationMs()))
        .setSuccessful(
            next.getSuccessful() + (call.getSuccess() == SuccessVerdict.SUCCESSFUL ? sign : 0))
        .setCallbacks(next.getCallbacks() + (call.getCallback() != null ? sign : 0))
        .setInputTokens(next.getInputTokens() + sign * call.getUsage().getInputTokens())
        .setOutputTokens(next.getOutputTokens() + sign * call.getUsage().getOutputTokens())
        .setCostUsd(next.getCostUsd() + sign * call.getUsage().getCostUsd())
        .setUpdatedAt(clock.instant());
    switch (call.getSentiment()) {
      case POSITIVE -> next.setPositive(next.getPositive() + sign);
      case NEUTRAL -> next.setNeutral(next.getNeutral() + sign);
      case NEGATIVE -> next.setNegative(next.getNegative() + sign);
      case MIXED -> next.setMixed(next.getMixed() + sign);
      default -> {}
    }
    return next.build();
  }
}
