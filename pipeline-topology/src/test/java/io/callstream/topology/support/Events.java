package io.callstream.topology.support;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Input events as the gateway writes them, for topology tests. */
public final class Events {
  public static final List<TranscriptTurn> CALLBACK_CONVERSATION =
      List.of(
          turn(SpeakerRole.AGENT, "Thanks for calling Acme, this is Ava. How can I help?"),
          turn(
              SpeakerRole.USER,
              "Hi, my order has not arrived and I am quite unhappy about the delay."),
          turn(SpeakerRole.AGENT, "I am sorry about that. I will check with the warehouse."),
          turn(SpeakerRole.USER, "Please call me back tomorrow at 3 pm with an update."),
          turn(SpeakerRole.AGENT, "Of course, we will call you back tomorrow at 3 pm. Goodbye."));

  private Events() {}

  public static UUID callId(String providerCallId) {
    return UUID.nameUUIDFromBytes(
        ("elevenlabs:" + providerCallId).getBytes(StandardCharsets.UTF_8));
  }

  public static CallEnded.Builder call(String providerCallId, Instant endedAt) {
    return CallEnded.newBuilder()
        .setCallId(callId(providerCallId))
        .setEventId("evt-" + providerCallId)
        .setProvider(Provider.ELEVENLABS)
        .setProviderCallId(providerCallId)
        .setTenantId("acme")
        .setAgentId("agent-ava")
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setStartedAt(endedAt.minusSeconds(95))
        .setEndedAt(endedAt)
        .setDurationMs(95_000L)
        .setParties(
            List.of(
                new Party(PartyRole.CALLER, "+14155550123", "Dana"),
                new Party(PartyRole.CALLEE, "+14155550999", "Acme")))
        .setTurns(CALLBACK_CONVERSATION)
        .setReceivedAt(endedAt.plusSeconds(2))
        .setRawPayload("{}");
  }

  public static RecordingUploaded.Builder recording(String providerCallId, Instant recordedAt) {
    return RecordingUploaded.newBuilder()
        .setCallId(callId(providerCallId))
        .setEventId("rec-" + providerCallId)
        .setProvider(Provider.ELEVENLABS)
        .setProviderCallId(providerCallId)
        .setRecordingId("rec-" + providerCallId)
        .setTenantId("acme")
        .setAgentId("agent-ava")
        .setAudioUrl("file:///tmp/" + providerCallId + ".mp3")
        .setFormat(AudioFormat.MP3)
        .setDurationMs(60_000L)
        .setRecordedAt(recordedAt)
        .setReceivedAt(recordedAt.plusSeconds(65));
  }

  /**
   * A call whose conversation is its own (it names its order number), so no AI result is shared.
   */
  public static CallEnded.Builder uniqueCall(String providerCallId, Instant endedAt, int order) {
    List<TranscriptTurn> turns = new java.util.ArrayList<>(CALLBACK_CONVERSATION);
    turns.add(2, turn(SpeakerRole.USER, "The order number is " + (100_000 + order) + "."));
    return call(providerCallId, endedAt).setTurns(turns);
  }

  /** {@code count} calls, each with a conversation of its own, ids {@code prefix-0} onwards. */
  public static List<CallEnded> uniqueCalls(String prefix, int count, Instant endedAt) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> uniqueCall(prefix + "-" + i, endedAt, i).build())
        .toList();
  }

  public static TranscriptTurn turn(SpeakerRole role, String text) {
    return new TranscriptTurn(role, text, null, null);
  }
}
