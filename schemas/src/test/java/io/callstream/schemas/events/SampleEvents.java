package io.callstream.schemas.events;

import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.ProviderAnalysis;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Realistic events for tests. */
public final class SampleEvents {
  private SampleEvents() {}

  public static CallEnded callEnded(String providerCallId) {
    Instant ended = Instant.parse("2026-11-20T14:03:27.512Z");
    return CallEnded.newBuilder()
        .setCallId(UUID.nameUUIDFromBytes(("elevenlabs:" + providerCallId).getBytes()))
        .setEventId("evt-" + providerCallId)
        .setProvider(Provider.ELEVENLABS)
        .setProviderCallId(providerCallId)
        .setTenantId("acme")
        .setAgentId("agent_7f3k")
        .setDirection(Direction.INBOUND)
        .setStatus(CallStatus.COMPLETED)
        .setStartedAt(ended.minusSeconds(94))
        .setEndedAt(ended)
        .setDurationMs(94_000L)
        .setParties(
            List.of(
                new Party(PartyRole.CALLER, "+14155550123", "Dana Whitfield"),
                new Party(PartyRole.CALLEE, "+14155550199", null)))
        .setTurns(
            List.of(
                new TranscriptTurn(
                    SpeakerRole.AGENT,
                    "Thanks for calling Acme Plumbing, how can I help?",
                    0L,
                    3_100L),
                new TranscriptTurn(
                    SpeakerRole.USER,
                    "My water heater is leaking. Can someone call me back tomorrow at 3pm?",
                    3_400L,
                    8_900L)))
        .setRecordingUrl(null)
        .setTerminationReason("customer ended call")
        .setProviderAnalysis(
            new ProviderAnalysis(
                "Caller reports a leaking water heater.",
                true,
                "neutral",
                Map.of("urgency", "\"high\"")))
        .setMetadata(Map.of("campaign", "winter"))
        .setReceivedAt(ended.plusMillis(850))
        .setRawContentType("application/json")
        .setRawPayload("{\"type\":\"post_call_transcription\"}")
        .build();
  }
}
