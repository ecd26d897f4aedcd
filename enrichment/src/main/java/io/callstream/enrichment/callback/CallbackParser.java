package io.callstream.enrichment.callback;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a request to be called back in what someone said and resolves when: "call me back tomorrow
 * at 3pm", "can someone ring me Monday after lunch", "try me again in two hours". Times resolve in
 * the tenant's time zone relative to the end of the call ({@code reference}); a request that names
 * no time is due {@code defaultDelay} after the call. When several sentences ask, the last one that
 * names a time wins, as people refine ("tomorrow... actually, Monday is better").
 */
public final class CallbackParser {
  // Sentence ends, but not after "a.m.", "p.m." or a title such as "Dr.".
  private static final Pattern SENTENCE_END =
      Pattern.compile("(?<=[.!?])(?<![ap]\\.m\\.)(?<!\\b(?:Mr|Mrs|Ms|Dr|St)\\.)\\s+|\\n+");
  private static final Pattern REASON =
      Pattern.compile(
          "\\b(?:to|so we can|so that we can|about|regarding|re:)\\s+((?:confirm|discuss|talk|go over|schedule|reschedule|review|finalize|sort out|check|follow up|get|book|set up|explain|look at|answer)\\b[^.!?,;]*)",
          Pattern.CASE_INSENSITIVE);

  private final Duration defaultDelay;

  public CallbackParser(Duration defaultDelay) {
    this.defaultDelay = defaultDelay;
  }

  /**
   * The callback requested or promised in {@code text}, if any, resolved against {@code reference}:
   * what an agent says ("we will call you back at 5") counts.
   */
  public Optional<CallbackRequest> find(String text, ZonedDateTime reference) {
    return find(text, reference, false);
  }

  /**
   * The callback the customer asks for in {@code text}: their own promise to call ("I'll call you
   * back tomorrow") asks for nothing.
   */
  public Optional<CallbackRequest> findCustomerRequest(String text, ZonedDateTime reference) {
    return find(text, reference, true);
  }

  private Optional<CallbackRequest> find(String text, ZonedDateTime reference, boolean customer) {
    List<String> asking = new ArrayList<>();
    for (String sentence : SENTENCE_END.split(text)) {
      if (customer
          ? CallbackIntent.customerAsks(sentence)
          : CallbackIntent.asksForCallback(sentence)) {
        asking.add(sentence.trim());
      }
    }
    if (asking.isEmpty()) {
      return Optional.empty();
    }
    for (int i = asking.size() - 1; i >= 0; i--) {
      Optional<ZonedDateTime> due = TimeExpressions.resolve(asking.get(i), reference);
      if (due.isPresent()) {
        return Optional.of(
            new CallbackRequest(due.get().toInstant(), true, asking.get(i), reason(asking.get(i))));
      }
    }
    String last = asking.get(asking.size() - 1);
    return Optional.of(
        new CallbackRequest(reference.plus(defaultDelay).toInstant(), false, last, reason(last)));
  }

  private static String reason(String sentence) {
    Matcher m = REASON.matcher(sentence);
    return m.find() ? m.group(1).trim() : null;
  }
}
