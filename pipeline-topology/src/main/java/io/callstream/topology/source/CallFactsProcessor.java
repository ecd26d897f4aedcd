package io.callstream.topology.source;

import io.callstream.events.CallEnded;
import io.callstream.events.CallFacts;
import io.callstream.events.WorkItem;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Remembers what each call's {@code CallEnded} said about the call and hands it to the call's
 * recordings. A recording event knows little of its call: none names the parties or the direction,
 * and Twilio's names no agent. Without the facts a recording's enriched call, the newer version,
 * would replace the call's row with an unknown direction and no parties, resolve its callback times
 * in UTC and leave its callback without a number.
 *
 * <p>Facts are kept per call in a window store stamped with the wall-clock time they were stored,
 * so they age out {@code retention} later, and a replay of a call whose facts aged out stores them
 * afresh however old the call is. The facts of the latest-received {@code CallEnded} win. A
 * recording that comes before its call carries no facts.
 */
public final class CallFactsProcessor implements FixedKeyProcessor<String, WorkItem, WorkItem> {
  private final String storeName;
  private final Duration retention;
  private FixedKeyProcessorContext<String, WorkItem> context;
  private WindowStore<String, CallFacts> facts;

  public CallFactsProcessor(String storeName, Duration retention) {
    this.storeName = storeName;
    this.retention = retention;
  }

  /** The store of call facts, kept for {@code retention} after they were last stored. */
  public static StoreBuilder<WindowStore<String, CallFacts>> store(
      String name, Duration retention, Serde<CallFacts> serde) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(name, retention, retention, false), Serdes.String(), serde);
  }

  /** The facts a {@code CallEnded} states about its call. */
  public static CallFacts of(CallEnded call) {
    return CallFacts.newBuilder()
        .setAgentId(call.getAgentId())
        .setDirection(call.getDirection())
        .setStatus(call.getStatus())
        .setStartedAt(call.getStartedAt())
        .setEndedAt(call.getEndedAt())
        .setDurationMs(call.getDurationMs())
        .setParties(call.getParties())
        .setReceivedAt(call.getReceivedAt())
        .build();
  }

  @Override
  public void init(FixedKeyProcessorContext<String, WorkItem> context) {
    this.context = context;
    this.facts = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, WorkItem> record) {
    WorkItem item = record.value();
    String callId = item.getCallId().toString();
    long now = context.currentSystemTimeMs();
    CallFacts latest = latest(callId, now);
    if (item.getCall() != null) {
      CallFacts stated = of(item.getCall());
      // a retried item or a replay of the latest event changes nothing
      if (latest == null || latest.getReceivedAt().isBefore(stated.getReceivedAt())) {
        facts.put(callId, stated, now);
      }
      context.forward(record);
      return;
    }
    if (latest == null || latest.equals(item.getCallFacts())) {
      context.forward(record);
    } else {
      context.forward(record.withValue(WorkItem.newBuilder(item).setCallFacts(latest).build()));
    }
  }

  private CallFacts latest(String callId, long now) {
    CallFacts latest = null;
    try (WindowStoreIterator<CallFacts> stored =
        facts.fetch(
            callId, Instant.ofEpochMilli(now).minus(retention), Instant.ofEpochMilli(now))) {
      while (stored.hasNext()) {
        KeyValue<Long, CallFacts> next = stored.next();
        if (latest == null || !next.value.getReceivedAt().isBefore(latest.getReceivedAt())) {
          latest = next.value;
        }
      }
    }
    return latest;
  }
}
