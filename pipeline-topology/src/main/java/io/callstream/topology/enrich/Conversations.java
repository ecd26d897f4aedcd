package io.callstream.topology.enrich;

import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.text.PiiRedactor;
import io.callstream.events.CallFacts;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.TranscriptTurn;
import io.callstream.events.WorkItem;
import io.callstream.topology.source.CallFactsProcessor;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A work item's words as the AI stages read them: the platform's turns for a call, the transcript's
 * segments for a recording, redacted first when the tenant redacts personal data.
 */
final class Conversations {
  private static final PiiRedactor REDACTOR = new PiiRedactor();

  private Conversations() {}

  static Conversation of(WorkItem item, boolean redact) {
    List<Utterance> utterances = new ArrayList<>();
    if (item.getTranscript() != null) {
      for (TranscriptSegment segment : item.getTranscript().getSegments()) {
        utterances.add(
            new Utterance(
                speaker(segment.getSpeaker()),
                text(segment.getText(), redact),
                segment.getStartMs(),
                segment.getEndMs()));
      }
    } else if (item.getCall() != null) {
      for (TranscriptTurn turn : item.getCall().getTurns()) {
        Speaker speaker =
            switch (turn.getRole()) {
              case AGENT -> Speaker.AGENT;
              case USER -> Speaker.USER;
              default -> null; // system prompts and tool calls are not part of the conversation
            };
        if (speaker != null && !turn.getText().isBlank()) {
          utterances.add(
              new Utterance(
                  speaker, text(turn.getText(), redact), turn.getStartMs(), turn.getEndMs()));
        }
      }
    }
    return new Conversation(
        item.getCallId().toString(), utterances, endedAt(item), timeZone(item.getTimeZone()));
  }

  /** When the call ended: the platform's end time, or the end of its recording. */
  static Instant endedAt(WorkItem item) {
    CallFacts facts = CallFactsProcessor.of(item);
    if (facts != null) {
      return facts.getEndedAt();
    }
    RecordingUploaded recording = item.getRecording();
    if (recording.getRecordedAt() != null && recording.getDurationMs() != null) {
      return recording.getRecordedAt().plusMillis(recording.getDurationMs());
    }
    return recording.getReceivedAt();
  }

  static ZoneId timeZone(String zone) {
    if (zone == null || zone.isBlank()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      return ZoneOffset.UTC; // a mistyped zone in the agent map must not stop the call
    }
  }

  private static Speaker speaker(String label) {
    if (label == null) {
      return Speaker.UNKNOWN;
    }
    return switch (label.toLowerCase(java.util.Locale.ROOT)) {
      case "agent", "assistant", "bot" -> Speaker.AGENT;
      case "user", "customer", "caller" -> Speaker.USER;
      default -> Speaker.UNKNOWN;
    };
  }

  private static String text(String text, boolean redact) {
    return redact ? REDACTOR.redact(text).text() : text;
  }
}
