package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A call written and labelled by hand, as kept in the labelled corpus: its turns, the customer's
 * sentiment, whether it succeeded, the callback if any and the sentence that says why it was made.
 *
 * @param callbackDate the local date of the call back asked for or promised, or null for none
 * @param callbackTime its local time of day when one was said, else null
 */
public record LabelledCall(
    String id,
    Conversation conversation,
    Analysis.Sentiment sentiment,
    Analysis.Success success,
    LocalDate callbackDate,
    LocalTime callbackTime,
    String reason) {

  /** Every labelled call ended at this moment, in this zone. */
  public static final ZoneId ZONE = ZoneId.of("Europe/London");

  public static final Instant ENDED =
      LocalDateTime.parse("2026-03-10T14:00").atZone(ZONE).toInstant();

  /** The shipped tuning part of the corpus, the examples the offline analyzer learns from. */
  public static List<LabelledCall> tuningPart() {
    try (InputStream in = LabelledCall.class.getResourceAsStream("labelled-calls.txt")) {
      if (in == null) {
        throw new IllegalStateException("labelled-calls.txt is missing from the classpath");
      }
      return read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether {@code dueAt} is the labelled call back: same local day, same time when one was said.
   */
  public boolean callbackMatches(Instant dueAt) {
    if (callbackDate == null || dueAt == null) {
      return callbackDate == null && dueAt == null;
    }
    ZonedDateTime due = dueAt.atZone(ZONE);
    return due.toLocalDate().equals(callbackDate)
        && (callbackTime == null || due.toLocalTime().equals(callbackTime));
  }

  /**
   * Reads calls in the corpus format: "=== id", then "key: value" labels (sentiment, success,
   * callback, reason), then turns as "A: ..." (the agent) or "C: ..." (the customer's side); lines
   * starting with '#' are comments. A malformed call is refused with its id and what is wrong.
   */
  public static List<LabelledCall> read(InputStream in) throws IOException {
    List<LabelledCall> calls = new ArrayList<>();
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String id = null;
    Map<String, String> labels = new HashMap<>();
    List<Conversation.Utterance> turns = new ArrayList<>();
    for (String line = lines.readLine(); ; line = lines.readLine()) {
      if (line == null || line.startsWith("=== ")) {
        if (id != null) {
          calls.add(of(id, labels, turns));
        }
        if (line == null) {
          return calls;
        }
        id = line.substring(4).trim();
        labels = new HashMap<>();
        turns = new ArrayList<>();
      } else if (line.startsWith("A: ") || line.startsWith("C: ")) {
        Speaker speaker = line.charAt(0) == 'A' ? Speaker.AGENT : Speaker.USER;
        turns.add(new Conversation.Utterance(speaker, line.substring(3).trim(), null, null));
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int colon = line.indexOf(':');
        if (id == null || colon < 0) {
          throw new IllegalArgumentException("labelled calls: cannot read line '" + line + "'");
        }
        labels.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
  }

  private static LabelledCall of(
      String id, Map<String, String> labels, List<Conversation.Utterance> turns) {
    for (String key : List.of("sentiment", "success", "callback", "reason")) {
      if (!labels.containsKey(key)) {
        throw new IllegalArgumentException("labelled call " + id + " has no " + key);
      }
    }
    String reason = labels.get("reason");
    if (turns.stream().noneMatch(turn -> turn.text().contains(reason))) {
      throw new IllegalArgumentException("labelled call " + id + ": its reason is not said in it");
    }
    String callback = labels.get("callback");
    LocalDate date = null;
    LocalTime time = null;
    if (!callback.equals("none")) {
      String[] parts = callback.split(" ");
      date = LocalDate.parse(parts[0]);
      time = parts.length > 1 ? LocalTime.parse(parts[1]) : null;
    }
    return new LabelledCall(
        id,
        new Conversation(id, List.copyOf(turns), ENDED, ZONE),
        Analysis.Sentiment.valueOf(labels.get("sentiment")),
        Analysis.Success.valueOf(labels.get("success")),
        date,
        time,
        reason);
  }
}
