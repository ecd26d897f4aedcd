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
  private static final Pattern REACHED =
      Pattern.compile(
          "\\b((you'?re|you are|he'?s|she'?s|they'?re) (all )?(booked|scheduled|set|covered|added)|booked (for|in)"
              + "|i'?ve (issued|processed|arranged|booked|set up|removed|refunded|added|moved|rebooked|updated|submitted|restarted|cancelled|unblocked|made|corrected|credited|sent|asked)"
              + "|(it'?s|that'?s|is) (done|updated|cancelled|ordered|placed|booked|unblocked|processed|set up)|^done\\b"
              + "|(has|have) been (processed|credited|refunded|removed|paid)|fully paid|up to date|ready to collect"
              + "|(i'?ll|let'?s) (take it|do it|go ahead)|yes,? please)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern REFUSED =
      Pattern.compile(
          "\\b(i'?m afraid|(i|we) (can'?t|cannot|don'?t|am not able|'?m not able|'?re not able)|not able to|unable to"
              + "|no,? (thanks|thank you|not (now|today|yet))|not interested|never mind|forget it|look elsewhere|out of stock"
              + "|fully booked|no (appointments|estimate|record)|not (compatible|available)|leave it|(i'?ll|we'?ll) (think|have a think|get back)"
              + "|(take|remove) (me|my|your) (off|details)|stop (calling|ringing)|i'?m done)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern UNREACHED =
      Pattern.compile(
          "\\b(leave (a|your) (message|name)|after the tone|voicemail|mailbox|not available|can'?t (get to|come to) the phone"
              + "|wrong (number|details)|no one by that name|there'?s no \\w+( \\w+)? here|not (mr|mrs|ms|miss) |old number"
              + "|this message is for|i'?ll (try|call|ring) (you )?again|we'?ll (try|call) (you )?again)",
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

  /** How many times {@code text} says the call reached an outcome (a booking, a refund made). */
  static int reached(String text) {
    return (int) REACHED.matcher(text).results().count();
  }

  /** How many times {@code text} says something could not be done or was declined. */
  static int refused(String text) {
    return (int) REFUSED.matcher(text).results().count();
  }

  /** How many signs {@code text} gives that the intended person was not reached. */
  static int unreached(String text) {
    return (int) UNREACHED.matcher(text).results().count();
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
