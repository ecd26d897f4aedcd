package io.callstream.enrichment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A call's words as the AI sees them: utterances in order, when the call ended and the tenant's
 * time zone (to resolve "tomorrow at 3pm").
 */
public record Conversation(
    String callId, List<Utterance> utterances, Instant endedAt, ZoneId timeZone) {

  /** Who spoke. */
  public enum Speaker {
    AGENT,
    USER,
    UNKNOWN
  }

  /** One turn or segment. */
  public record Utterance(Speaker speaker, String text, Long startMs, Long endMs) {}

  /**
   * The conversation as a model reads it: when the call ended and the time zone (to resolve
   * "tomorrow at 3pm"), then the {@link #asText()} lines.
   */
  public String asPrompt() {
    return "Call ended: " + endedAt + "\nTime zone: " + timeZone + "\n\n" + asText();
  }

  /** The whole conversation as "Agent: ... / User: ..." lines. */
  public String asText() {
    StringBuilder text = new StringBuilder();
    for (Utterance utterance : utterances) {
      text.append(
              utterance.speaker() == Speaker.AGENT
                  ? "Agent: "
                  : utterance.speaker() == Speaker.USER ? "User: " : "")
          .append(utterance.text())
          .append('\n');
    }
    return text.toString();
  }
}
