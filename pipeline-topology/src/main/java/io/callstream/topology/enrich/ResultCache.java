package io.callstream.topology.enrich;

import io.callstream.events.StageResult;
import io.callstream.topology.ReopenableWindowStore;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The AI result cache: each stage's result under (stage, model, prompt version, input hash), so a
 * replay of the same input pays the AI service nothing, while a new model or prompt version misses.
 * Entries live in a window store whose retention is the cache's maximum age, so old results age out
 * by segment without a scan; the store is changelogged like every other.
 */
final class ResultCache {
  private final WindowStore<String, StageResult> store;
  private final Duration maxAge;

  ResultCache(WindowStore<String, StageResult> store, Duration maxAge) {
    this.store = store;
    this.maxAge = maxAge;
  }

  static StoreBuilder<WindowStore<String, StageResult>> builder(
      String name, Duration maxAge, Serde<StageResult> results) {
    return ReopenableWindowStore.builder(name, maxAge, Serdes.String(), results);
  }

  /** The newest result stored under {@code key} no older than the maximum age, or null. */
  StageResult get(String key, long now) {
    StageResult newest = null;
    try (WindowStoreIterator<StageResult> results =
        store.fetch(key, Instant.ofEpochMilli(now).minus(maxAge), Instant.ofEpochMilli(now))) {
      while (results.hasNext()) {
        newest = results.next().value;
      }
    }
    return newest;
  }

  void put(String key, StageResult result, long now) {
    store.put(key, result, now);
  }
}
