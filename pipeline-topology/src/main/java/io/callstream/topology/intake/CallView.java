package io.callstream.topology.intake;

import io.callstream.events.CallDocument;
import io.callstream.events.CallEnded;
import io.callstream.events.CallFacts;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.EnrichedCall;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSource;
import io.callstream.events.WorkItem;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a work item knows of its call, in one place: its identity and version, the platform and the
 * agent, the facts its {@code CallEnded} stated (or those its recording was given by {@link
 * CallFactsProcessor}; for a recording whose call the pipeline has not seen, what the recording
 * itself says), when it ended, where its words come from and the tenant's time zone. Every record
 * the enrichment stages write describes its call through {@code stamp}.
 */
public record CallView(
    UUID callId,
    String tenantId,
    long version,
    Provider provider,
    String providerCallId,
    String agentId,
    String recordingId,
    Direction direction,
    CallStatus status,
    Instant startedAt,
    Instant endedAt,
    Long durationMs,
    List<Party> parties,
    TranscriptSource transcriptSource,
    ZoneId timeZone) {

  public static CallView of(WorkItem item) {
    CallEnded call = item.getCall();
    RecordingUploaded recording = item.getRecording();
    CallFacts facts = call != null ? CallFactsProcessor.of(call) : item.getCallFacts();
    if (facts == null) {
      facts = factsOf(recording); // a recording whose call the pipeline has not seen
    }
    return new CallView(
        item.getCallId(),
        item.getTenantId(),
        (call != null ? call.getReceivedAt() : recording.getReceivedAt()).toEpochMilli(),
        call != null ? call.getProvider() : recording.getProvider(),
        call != null ? call.getProviderCallId() : recording.getProviderCallId(),
        agentOf(item),
        recording == null ? null : recording.getRecordingId(),
        facts.getDirection(),
        facts.getStatus(),
        facts.getStartedAt(),
        facts.getEndedAt(),
        facts.getDurationMs(),
        facts.getParties(),
        item.getTranscript() != null
            ? TranscriptSource.RECORDING
            : call != null && !call.getTurns().isEmpty()
                ? TranscriptSource.PROVIDER
                : TranscriptSource.NONE,
        timeZone(item.getTimeZone()));
  }

  /** What a recording alone says of its call: it completed, ending when the recording did. */
  private static CallFacts factsOf(RecordingUploaded recording) {
    Instant recorded = recording.getRecordedAt();
    Long duration = recording.getDurationMs();
    return CallFacts.newBuilder()
        .setDirection(Direction.UNKNOWN)
        .setStatus(CallStatus.COMPLETED)
        .setStartedAt(recorded)
        .setEndedAt(
            recorded != null && duration != null
                ? recorded.plusMillis(duration)
                : recording.getReceivedAt())
        .setDurationMs(duration)
        .setParties(List.of())
        .setReceivedAt(recording.getReceivedAt())
        .build();
  }

  /**
   * The agent to map to a tenant, or null when the item names none: a recording without one
   * (Twilio's) takes its call's. Cheap, for the agent map's join, which asks it of every item.
   */
  public static String agentOf(WorkItem item) {
    if (item.getCall() != null) {
      return item.getCall().getAgentId();
    }
    String agent = item.getRecording().getAgentId();
    return agent == null && item.getCallFacts() != null ? item.getCallFacts().getAgentId() : agent;
  }

  /** Sets every field of {@code enriched} that describes the call itself. */
  public EnrichedCall.Builder stamp(EnrichedCall.Builder enriched) {
    enriched
        .setCallId(callId)
        .setTenantId(tenantId)
        .setVersion(version)
        .setAgentId(agentId)
        .setProvider(provider)
        .setProviderCallId(providerCallId)
        .setDirection(direction)
        .setStatus(status)
        .setStartedAt(startedAt)
        .setEndedAt(endedAt)
        .setDurationMs(durationMs)
        .setParties(parties)
        .setTranscriptSource(transcriptSource);
    if (enriched.getCallback() != null) {
      enriched.getCallback().setPhoneNumber(otherParty());
    }
    return enriched;
  }

  /** Sets every field of {@code transcript} that describes the call itself. */
  public Transcript.Builder stamp(Transcript.Builder transcript) {
    return transcript.setCallId(callId).setTenantId(tenantId).setRecordingId(recordingId);
  }

  /** Sets every field of {@code document} that describes the call itself. */
  public CallDocument.Builder stamp(CallDocument.Builder document) {
    return document.setCallId(callId).setTenantId(tenantId).setVersion(version);
  }

  /** The number to call back: the caller of an inbound call, the callee of an outbound one. */
  private String otherParty() {
    PartyRole wanted = direction == Direction.OUTBOUND ? PartyRole.CALLEE : PartyRole.CALLER;
    return parties.stream()
        .filter(party -> party.getRole() == wanted)
        .map(Party::getPhoneNumber)
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /** The tenant's zone; UTC when it has none or a mistyped one, which must not stop the call. */
  private static ZoneId timeZone(String zone) {
    if (zone == null || zone.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
