package io.callstream.topology.callback;

import io.callstream.events.Callback;
import io.callstream.events.CallbackRequest;
import io.callstream.events.CallbackStatus;
import io.callstream.events.EnrichedCall;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.Routed;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Schedules the callbacks callers asked for and fires them on time. An enriched call with a
 * callback request puts a SCHEDULED callback on {@code callbacks.scheduled.v1}; a newer analysis of
 * the call replaces it (or CANCELs it when the request is gone), an older one changes nothing. An
 * analysis of the same version (a replay) changes nothing either, unless the callback still waits
 * and the analysis asks for another one or none (a replay after a prompt change): then the
 * callback, under its id, is rescheduled or CANCELed. So replays never schedule twice, and a
 * callback already sent stays sent. Pending callbacks wait in a changelogged store indexed by due
 * time, which a wall-clock punctuator walks from the front: at its due time each goes to {@code
 * callbacks.due.v1} as DUE. Survives restarts with the stores.
 */
public final class CallbackScheduler implements Processor<String, EnrichedCall, String, Routed> {
  private final String byCallStore;
  private final String byDueStore;
  private final Duration checkEvery;
  private ProcessorContext<String, Routed> context;
  private KeyValueStore<String, Callback> byCall;
  private KeyValueStore<Bytes, Callback> byDue;

  public CallbackScheduler(String byCallStore, String byDueStore, Duration checkEvery) {
    this.byCallStore = byCallStore;
    this.byDueStore = byDueStore;
    this.checkEvery = checkEvery;
  }

  /** Each call's latest callback, in any state. */
  public static StoreBuilder<KeyValueStore<String, Callback>> byCallStore(
      String name, Serde<Callback> callbacks) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.String(), callbacks);
  }

  /** Scheduled callbacks by due time, then call id. */
  public static StoreBuilder<KeyValueStore<Bytes, Callback>> byDueStore(
      String name, Serde<Callback> callbacks) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), Serdes.Bytes(), callbacks);
  }

  @Override
  public void init(ProcessorContext<String, Routed> context) {
    this.context = context;
    this.byCall = context.getStateStore(byCallStore);
    this.byDue = context.getStateStore(byDueStore);
    context.schedule(checkEvery, PunctuationType.WALL_CLOCK_TIME, this::fireDue);
  }

  @Override
  public void process(Record<String, EnrichedCall> record) {
    EnrichedCall call = record.value();
    String callId = call.getCallId().toString();
    Callback current = byCall.get(callId);
    CallbackRequest request = call.getCallback();
    if (current != null && !replacedBy(current, call.getVersion(), request)) {
      return; // an older analysis, a replay of the one already scheduled, or one already sent
    }
    if (current != null && current.getStatus() == CallbackStatus.SCHEDULED) {
      byDue.delete(dueKey(current));
    }
    long now = context.currentSystemTimeMs();
    if (request != null) {
      Callback scheduled = scheduled(call, request, now);
      byCall.put(callId, scheduled);
      byDue.put(dueKey(scheduled), scheduled);
      context.forward(new Record<>(callId, Routed.to(Topics.CALLBACKS_SCHEDULED, scheduled), now));
    } else if (current != null && current.getStatus() == CallbackStatus.SCHEDULED) {
      Callback canceled =
          Callback.newBuilder(current)
              .setStatus(CallbackStatus.CANCELED)
              .setVersion(call.getVersion())
              .build();
      byCall.put(callId, canceled);
      context.forward(new Record<>(callId, Routed.to(Topics.CALLBACKS_SCHEDULED, canceled), now));
    }
  }

  /**
   * Whether an analysis replaces the call's current callback: a newer version always does; the same
   * version (a replay after a prompt change) only while the callback waits and only when it asks
   * for another callback or none.
   */
  private static boolean replacedBy(Callback current, long version, CallbackRequest request) {
    if (current.getVersion() != version) {
      return current.getVersion() < version;
    }
    return current.getStatus() == CallbackStatus.SCHEDULED
        && (request == null
            || !request.getDueAt().equals(current.getDueAt())
            || !request.getTimeZone().equals(current.getTimeZone())
            || !Objects.equals(request.getReason(), current.getReason())
            || !Objects.equals(request.getPhrase(), current.getPhrase())
            || !Objects.equals(request.getPhoneNumber(), current.getPhoneNumber()));
  }

  /** Sends every callback due by {@code now}, earliest first. */
  void fireDue(long now) {
    try (KeyValueIterator<Bytes, Callback> pending = byDue.all()) {
      while (pending.hasNext()) {
        KeyValue<Bytes, Callback> next = pending.next();
        if (next.value.getDueAt().toEpochMilli() > now) {
          return;
        }
        Callback due = Callback.newBuilder(next.value).setStatus(CallbackStatus.DUE).build();
        String callId = due.getCallId().toString();
        byDue.delete(next.key);
        byCall.put(callId, due);
        context.forward(new Record<>(callId, Routed.to(Topics.CALLBACKS_DUE, due), now));
      }
    }
  }

  private static Callback scheduled(EnrichedCall call, CallbackRequest request, long now) {
    return Callback.newBuilder()
        .setCallbackId(callbackId(call))
        .setCallId(call.getCallId())
        .setTenantId(call.getTenantId())
        .setAgentId(call.getAgentId())
        .setPhoneNumber(request.getPhoneNumber())
        .setDueAt(request.getDueAt())
        .setTimeZone(request.getTimeZone())
        .setReason(request.getReason())
        .setPhrase(request.getPhrase())
        .setStatus(CallbackStatus.SCHEDULED)
        .setVersion(call.getVersion())
        .setCreatedAt(Instant.ofEpochMilli(now))
        .build();
  }

  /** Stable for one call and version, so a replayed schedule carries the same id. */
  static UUID callbackId(EnrichedCall call) {
    return UUID.nameUUIDFromBytes(
        ("callback/" + call.getCallId() + "/" + call.getVersion())
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Due time, then call id, big-endian: the store's byte order is due order. */
  static Bytes dueKey(Callback callback) {
    UUID call = callback.getCallId();
    return Bytes.wrap(
        ByteBuffer.allocate(24)
            .putLong(callback.getDueAt().toEpochMilli())
            .putLong(call.getMostSignificantBits())
            .putLong(call.getLeastSignificantBits())
            .array());
  }
}
