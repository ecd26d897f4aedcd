package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a call reached its goal, from explicit outcome phrases, and the follow-ups promised on
 * it.
 */
final class OutcomeRules {
  private static final Pattern SUCCEEDED =
      Pattern.compile(
          "\\b(you'?re (all )?(booked|scheduled|set)|(appointment|visit|order|payment|booking|reservation|refund) (is |has been )?(confirmed|scheduled|booked|placed|processed|approved)"
              + "|that works( for me)?|sounds good|(problem|issue) (is |has been )?(solved|resolved|fixed)|that (solved|fixed|helped|helps)"
              + "|i'?ll take it|let'?s do it|go ahead and (book|schedule|order)|all sorted)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern FAILED =
      Pattern.compile(
          "\\b(not interested|(don'?t|do not) (want|need) (it|that|this|your)|cancel (it|my|the)|(doesn'?t|didn'?t|still (does not|doesn'?t)) work|still (broken|not working)"
              + "|(can'?t|cannot|unable to) help|wrong number|remove me|take me off|(no|not) (longer )?available)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ACTION =
      Pattern.compile(
          "\\b((i|we)('ll| will| am going to| are going to| can)|(please|can you|could you) (send|email|text|call|bring|check|confirm|book)|need to|make sure|remember to|follow up)\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+");

  /** A verdict and the words it rests on. */
  record Verdict(Analysis.Success success, String reason) {}

  private OutcomeRules() {}

  /** The verdict of the last outcome phrase said, or UNKNOWN when there is none. */
  static Verdict success(List<String> texts) {
    Verdict verdict = new Verdict(Analysis.Success.UNKNOWN, "no explicit outcome was said");
    for (String text : texts) {
      Matcher good = SUCCEEDED.matcher(text);
      Matcher bad = FAILED.matcher(text);
      int goodAt = good.find() ? good.start() : -1;
      int badAt = bad.find() ? bad.start() : -1;
      if (goodAt >= 0 && goodAt >= badAt) {
        verdict = new Verdict(Analysis.Success.SUCCESSFUL, "said: \"" + good.group() + "\"");
      } else if (badAt >= 0) {
        verdict = new Verdict(Analysis.Success.UNSUCCESSFUL, "said: \"" + bad.group() + "\"");
      }
    }
    return verdict;
  }

  /** Sentences that promise or ask for something to be done, at most {@code limit}. */
  static List<String> actionItems(List<String> texts, int limit) {
    List<String> items = new ArrayList<>();
    for (String text : texts) {
      for (String sentence : SENTENCE.split(text.trim())) {
        if (items.size() < limit
            && ACTION.matcher(sentence).find()
            && sentence.split("\\s+").length >= 4) {
          items.add(sentence.trim());
        }
      }
    }
    return items;
  }
}
