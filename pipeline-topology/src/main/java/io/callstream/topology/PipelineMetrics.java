package io.callstream.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every way a record leaves the topology, so nothing leaves unseen: input events accepted
 * and folded as duplicates, items completed, sent to a retry tier or dead-lettered (by reason),
 * stages served from the AI result cache and AI calls made. Shared by every task of one application
 * instance; the application exports it.
 */
public final class PipelineMetrics {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder completed = new LongAdder();
  private final LongAdder aiCalls = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder rebalances = new LongAdder();
  private final Map<String, LongAdder> retried = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();

  public void accepted() {
    accepted.increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void completed() {
    completed.increment();
  }

  public void aiCall() {
    aiCalls.increment();
  }

  public void cacheHit() {
    cacheHits.increment();
  }

  /**
   * The instance stopped running to rebalance: another instance joined or left, or a stream thread
   * was fenced (its transaction aborted) and rejoined the group. On a healthy instance alone,
   * never.
   */
  public void rebalanced() {
    rebalances.increment();
  }

  public long rebalanceCount() {
    return rebalances.sum();
  }

  public void retried(String tierTopic) {
    retried.computeIfAbsent(tierTopic, t -> new LongAdder()).increment();
  }

  public void deadLettered(String reason) {
    deadLettered.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public long acceptedCount() {
    return accepted.sum();
  }

  public long duplicateCount() {
    return duplicates.sum();
  }

  public long completedCount() {
    return completed.sum();
  }

  public long aiCallCount() {
    return aiCalls.sum();
  }

  public long cacheHitCount() {
    return cacheHits.sum();
  }

  /** Items sent to each retry tier's topic. */
  public Map<String, Long> retriedByTier() {
    return snapshot(retried);
  }

  /** Items dead-lettered, by reason. */
  public Map<String, Long> deadLetteredByReason() {
    return snapshot(deadLettered);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
    Map<String, Long> copy = new java.util.TreeMap<>();
    counts.forEach((key, count) -> copy.put(key, count.sum()));
    return copy;
  }
}
