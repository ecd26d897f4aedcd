package io.callstream.enrichment.local;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentiment from a small lexicon of emotional words, with negation ("not happy" counts as
 * negative), and the complaints a customer makes without an emotional word: a fault, a delay, a
 * wrong charge, a broken promise.
 */
final class SentimentLexicon {
  private static final Map<String, Integer> WEIGHTS =
      Map.ofEntries(
          Map.entry("great", 2),
          Map.entry("excellent", 3),
          Map.entry("perfect", 2),
          Map.entry("wonderful", 3),
          Map.entry("awesome", 3),
          Map.entry("fantastic", 3),
          Map.entry("amazing", 3),
          Map.entry("good", 1),
          Map.entry("nice", 1),
          Map.entry("happy", 2),
          Map.entry("glad", 2),
          Map.entry("pleased", 2),
          Map.entry("love", 2),
          Map.entry("appreciate", 2),
          Map.entry("helpful", 2),
          Map.entry("thanks", 1),
          Map.entry("thank", 1),
          Map.entry("grateful", 2),
          Map.entry("relieved", 2),
          Map.entry("easy", 1),
          Map.entry("bad", -2),
          Map.entry("terrible", -3),
          Map.entry("awful", -3),
          Map.entry("horrible", -3),
          Map.entry("angry", -3),
          Map.entry("upset", -2),
          Map.entry("frustrated", -3),
          Map.entry("frustrating", -3),
          Map.entry("annoyed", -2),
          Map.entry("annoying", -2),
          Map.entry("disappointed", -3),
          Map.entry("unhappy", -2),
          Map.entry("ridiculous", -3),
          Map.entry("unacceptable", -3),
          Map.entry("worst", -3),
          Map.entry("hate", -3),
          Map.entry("useless", -3),
          Map.entry("rude", -3),
          Map.entry("confused", -1),
          Map.entry("confusing", -1),
          Map.entry("complaint", -2),
          Map.entry("sucks", -3),
          Map.entry("waste", -2),
          Map.entry("furious", -3),
          Map.entry("lovely", 2),
          Map.entry("brilliant", 2),
          Map.entry("delighted", 3),
          Map.entry("thrilled", 3),
          Map.entry("excited", 2),
          Map.entry("relief", 2),
          Map.entry("kind", 1),
          Map.entry("wonderfully", 2),
          Map.entry("superb", 3),
          Map.entry("unbelievable", -2),
          Map.entry("pathetic", -3),
          Map.entry("disgraceful", -3),
          Map.entry("outrageous", -3),
          Map.entry("hopeless", -3),
          Map.entry("joke", -2),
          Map.entry("nightmare", -3),
          Map.entry("scam", -3),
          Map.entry("harassment", -3),
          Map.entry("stressful", -2),
          Map.entry("stress", -2),
          Map.entry("scared", -2),
          Map.entry("worried", -2),
          Map.entry("shocked", -2),
          Map.entry("disgusting", -3),
          Map.entry("lie", -2),
          Map.entry("desperate", -2),
          Map.entry("mad", -2),
          Map.entry("ill", -1));
  private static final Pattern COMPLAINT =
      Pattern.compile(
          "\\b(broken|broke|cracked|torn|scratched|damaged|faulty|leaks?|leaking|stopped (working|charging|cooling|heating)"
              + "|(doesn'?t|does not|won'?t|isn'?t|still does(n'?t| not)) work|not working|fallen (out|off)|fell (out|off)"
              + "|(no|without) (power|water|heating|heat|hot water|signal|internet)|keeps? (dropping|crashing|failing|charging)"
              + "|never (arrived|came|showed|turned up|sent|called|replied|received|got)|nobody (came|told|called|replied|seems)"
              + "|no one (came|told|called|replied)|still (haven'?t|hasn'?t|not|waiting|no)|(hasn'?t|haven'?t) been (sent|paid|fixed)"
              + "|on hold for|waited (in )?(for |all )?\\w*|(waiting|been trying) for|(days|weeks|months) (ago|now|and)"
              + "|charged (me )?(twice|double|for)|overcharged|double charged|(late|extra|missed appointment) fee"
              + "|(was|were) (promised|told|supposed to|meant to)|you promised|broken promise|(sent|delivered) (me )?the wrong"
              + "|(want|need) (my money back|a refund|an apology)|complain|complaint|every time|again\\.)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern WORD = Pattern.compile("[a-z']+");
  private static final Pattern NEGATION =
      Pattern.compile("not|no|never|n't|dont|don't|isn't|wasn't|aren't|didn't|hardly");

  /** Positive and negative weight found in a text. */
  record Score(int positive, int negative) {
    Score plus(Score other) {
      return new Score(positive + other.positive, negative + other.negative);
    }

    /** From -1 to 1; 0 when nothing emotional was said. */
    double value() {
      return (positive - negative) / (double) (positive + negative + 2);
    }
  }

  private SentimentLexicon() {}

  /** How many complaints {@code text} makes. */
  static int complaints(String text) {
    return (int) COMPLAINT.matcher(text).results().count();
  }

  static Score score(String text) {
    int positive = 0;
    int negative = 0;
    int negatedUntil = -1;
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    int index = 0;
    while (m.find()) {
      String word = m.group();
      if (NEGATION.matcher(word).matches() || word.endsWith("n't")) {
        negatedUntil = index + 3;
      } else {
        int weight = WEIGHTS.getOrDefault(word, 0);
        if (index <= negatedUntil) {
          weight = -weight;
        }
        if (weight > 0) {
          positive += weight;
        } else {
          negative -= weight;
        }
      }
      index++;
    }
    return new Score(positive, negative);
  }
}
