package io.callstream.enrichment.callback;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether a sentence asks for (or promises) a call back: "call me back", "ring me Monday", "try me
 * again", "give us a call tomorrow", "have someone call me", "I'll call you back", and not "don't
 * call me back", "you called me back", "the call center", nor a call back promised in the past
 * ("you said you would call me back yesterday"). From the customer, their own promise to call
 * ("I'll call you back tomorrow") is not a request either.
 */
final class CallbackIntent {
  private static final int FLAGS = Pattern.CASE_INSENSITIVE;
  private static final String PERSON =
      "(?:me|us|him|her|them|you|my (?:wife|husband|partner|son|daughter|mom|dad|office))";

  private static final List<Pattern> ASKS =
      List.of(
          Pattern.compile(
              "\\b(?:call|ring|phone|buzz)\\s+"
                  + PERSON
                  + "\\s+(?:back|again|later|tomorrow|today|tonight|this|next|on|at|in|around|after|before|first|early|late|mid|sometime|any|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b",
              FLAGS),
          Pattern.compile("\\b(?:call|ring|phone)\\s+(?:me|us)\\b\\s*(?:[.!?]|$|,|please)", FLAGS),
          Pattern.compile("\\b(?:call|ring|phone)(?:ing)?\\s+back\\b", FLAGS),
          Pattern.compile("\\bcall-?backs?\\b", FLAGS),
          Pattern.compile(
              "\\btry\\s+(?:me|us|you)\\s+(?:again|later|back|tomorrow|on|at|in|around|after|this|next)\\b",
              FLAGS),
          Pattern.compile(
              "\\b(?:i'll|i will|we'll|we will)\\s+(?:try\\s+(?:calling\\s+)?(?:you\\s+)?|call\\s+(?:you\\s+)?|ring\\s+(?:you\\s+)?)again\\b",
              FLAGS),
          Pattern.compile("\\bgive\\s+" + PERSON + "\\s+a\\s+(?:call|ring|buzz|shout)\\b", FLAGS),
          Pattern.compile(
              "\\b(?:reach|get back to|follow up with)\\s+"
                  + PERSON
                  + "\\b.*\\b(?:tomorrow|today|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|morning|afternoon|evening|\\d|am|pm|in\\s+"
                  + SpokenNumbers.PATTERN
                  + ")\\b",
              FLAGS),
          Pattern.compile(
              "\\b(?:have|get|ask)\\s+(?:someone|somebody|a \\w+|the \\w+|him|her|them)\\s+(?:to\\s+)?(?:call|ring|phone)\\b",
              FLAGS),
          Pattern.compile(
              "\\b(?:someone|somebody)\\s+(?:\\w+\\s+){0,2}(?:call|ring|phone)\\s+"
                  + PERSON
                  + "\\b",
              FLAGS));

  private static final List<Pattern> DENIALS =
      List.of(
          Pattern.compile(
              "\\b(?:do not|don't|dont|never|please don't|no need to|not necessary to|stop)\\s+(?:\\w+\\s+){0,2}(?:call|ring|phone|calling|contact)",
              FLAGS),
          Pattern.compile("\\bno\\s+(?:call-?back|need for a call)", FLAGS),
          Pattern.compile(
              "\\b(?:not|n't)\\s+(?:want|need)\\s+(?:a\\s+)?(?:call|callback|call back)", FLAGS),
          Pattern.compile(
              "\\b(?:already|just)\\s+(?:got|had|received)\\s+(?:a\\s+)?call\\s*-?back", FLAGS),
          Pattern.compile("\\b(?:called|rang|phoned)\\s+(?:me|us|you)\\s+back\\b", FLAGS),
          // returning a call is no request for one
          Pattern.compile(
              "\\b(?:i'm|i am|we're|we are|just)\\s+(?:calling|ringing|phoning)\\s+back\\b", FLAGS),
          // the caller asking to be called on a number: the customer is to call, nothing is owed
          Pattern.compile(
              "\\b(?:call|ring|phone)\\s+us\\s+(?:back\\s+)?(?:on|at)\\s+\\d{3,}", FLAGS),
          // a call back promised in the past, and not made: a complaint, not a request
          Pattern.compile(
              "\\b(?:said|promised|told me)\\s+(?:that\\s+)?(?:you|they|he|she|someone|somebody|your \\w+)\\s+(?:would|'d|were going to|was going to)\\s+(?:\\w+\\s+){0,2}(?:call|ring|phone|get back)",
              FLAGS),
          Pattern.compile(
              "\\b(?:was|were)\\s+(?:supposed|meant|promised|going)\\s+to\\s+(?:\\w+\\s+){0,2}(?:call|ring|phone|get back)",
              FLAGS),
          Pattern.compile(
              "\\bpromised\\s+(?:me\\s+|us\\s+)?(?:to\\s+(?:\\w+\\s+){0,2}(?:call|ring|phone|get back)|a\\s+call)",
              FLAGS));

  /**
   * The speaker's own promise to call: from the customer it is not a request to be called, from the
   * agent it is a call back the company owes.
   */
  private static final Pattern OWN_PROMISE =
      Pattern.compile(
          "\\b(?:i'll|i will|i can|i could|i shall|let me|i'm going to|i am going to|i'm gonna|i need to|i have to)\\s+(?:just\\s+|try to\\s+|have to\\s+)?(?:call|ring|phone|give (?:you|y'all) a (?:call|ring|buzz)|get back to)\\b",
          FLAGS);

  private CallbackIntent() {}

  /** Whether {@code sentence}, said by the customer, asks to be called back. */
  static boolean customerAsks(String sentence) {
    String text = sentence.replace('’', '\'');
    return !OWN_PROMISE.matcher(text).find() && asks(text);
  }

  static boolean asksForCallback(String sentence) {
    return asks(sentence.replace('’', '\''));
  }

  private static boolean asks(String sentence) {
    for (Pattern denial : DENIALS) {
      if (denial.matcher(sentence).find()) {
        return false;
      }
    }
    for (Pattern ask : ASKS) {
      if (ask.matcher(sentence).find()) {
        return true;
      }
    }
    return false;
  }
}
