package io.callstream.topology.intake;

import io.callstream.events.CallEnded;
import io.callstream.events.CallFacts;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.WorkItem;
import io.callstream.topology.ReopenableWindowStore;
import io.callstream.topology.enrich.Stages;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
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
 * afresh however old the call is. The facts of the latest-received {@code CallEnded} win.
 *
 * <p>A recording that comes before its call carries no facts; it is kept, for as long as facts are,
 * in a second store. When its call then ends without a transcript of its own (Twilio and Telnyx
 * send none; the recording holds the words), the call goes on with that recording to transcribe:
 * the call's version, with its facts and the recording's words, replaces what the recording alone
 * gave, where the call alone would have replaced it with a silent call.
 */
public final class CallFactsProcessor implements FixedKeyProcessor<String, WorkItem, WorkItem> {
  private final String factsStore;
  private final String recordingsStore;
  private final Duration retention;
  private FixedKeyProcessorContext<String, WorkItem> context;
  private WindowStore<String, CallFacts> facts;
  private WindowStore<String, RecordingUploaded> earlyRecordings;

  public CallFactsProcessor(String factsStore, String recordingsStore, Duration retention) {
    this.factsStore = factsStore;
    this.recordingsStore = recordingsStore;
    this.retention = retention;
  }

  /**
   * A store of call facts, or of recordings that came before their call: kept for {@code retention}
   * after they were last stored.
   */
  public static <V> StoreBuilder<WindowStore<String, V>> store(
      String name, Duration retention, Serde<V> serde) {
    return ReopenableWindowStore.builder(name, retention, Serdes.String(), serde);
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
    this.facts = context.getStateStore(factsStore);
    this.earlyRecordings = context.getStateStore(recordingsStore);
  }

  @Override
  public void process(FixedKeyRecord<String, WorkItem> record) {
    WorkItem item = record.value();
    String callId = item.getCallId().toString();
    long now = context.currentSystemTimeMs();
    CallFacts latest = latest(facts, callId, now, CallFacts::getReceivedAt);
    if (item.getCall() != null) {
      CallFacts stated = of(item.getCall());
      // a retried item or a replay of the latest event changes nothing
      if (latest == null || latest.getReceivedAt().isBefore(stated.getReceivedAt())) {
        facts.put(callId, stated, now);
      }
      RecordingUploaded early =
          item.getRecording() == null && item.getCall().getTurns().isEmpty()
              ? latest(earlyRecordings, callId, now, RecordingUploaded::getReceivedAt)
              : null;
      context.forward(
          early == null
              ? record
              : record.withValue(
                  WorkItem.newBuilder(item)
                      .setRecording(early)
                      .setStage(Stages.first(true))
                      .build()));
      return;
    }
    if (latest == null) {
      earlyRecordings.put(callId, item.getRecording(), now);
    }
    if (latest == null || latest.equals(item.getCallFacts())) {
      context.forward(record);
    } else {
      context.forward(record.withValue(WorkItem.newBuilder(item).setCallFacts(latest).build()));
    }
  }

  /** The latest-received of what {@code store} keeps for the call, within the retention. */
  private <V> V latest(
      WindowStore<String, V> store, String callId, long now, Function<V, Instant> receivedAt) {
    V latest = null;
    try (WindowStoreIterator<V> stored =
        store.fetch(
            callId, Instant.ofEpochMilli(now).minus(retention), Instant.ofEpochMilli(now))) {
      while (stored.hasNext()) {
        KeyValue<Long, V> next = stored.next();
        if (latest == null || !receivedAt.apply(next.value).isBefore(receivedAt.apply(latest))) {
          latest = next.value;
        }
      }
    }
    return latest;
  }
}
