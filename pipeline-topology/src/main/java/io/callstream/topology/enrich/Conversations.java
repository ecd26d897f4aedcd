package io.callstream.topology.enrich;

import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.text.PiiRedactor;
import io.callstream.enrichment.text.PiiRedactor.PiiType;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.TranscriptTurn;
import io.callstream.events.WorkItem;
import io.callstream.topology.intake.CallView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A work item's words as the AI stages read them: the platform's turns for a call, the transcript's
 * segments for a recording, redacted first when the tenant redacts personal data.
 */
final class Conversations {
  private static final PiiRedactor REDACTOR = new PiiRedactor();

  private Conversations() {}

  static Conversation of(WorkItem item, Set<PiiType> redact) {
    return of(item, CallView.of(item), redact);
  }

  /** As above, for the view of the item's call the caller already has. */
  static Conversation of(WorkItem item, CallView call, Set<PiiType> redact) {
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
        item.getCallId().toString(), utterances, call.endedAt(), call.timeZone());
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

  private static String text(String text, Set<PiiType> redact) {
    return redact.isEmpty() ? text : REDACTOR.redact(text, redact).text();
  }
}
