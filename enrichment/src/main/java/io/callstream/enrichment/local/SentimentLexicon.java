package io.callstream.enrichment.local;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentiment from a small lexicon of emotional words, with negation ("not happy" counts as
 * negative). Words that only name the problem ("leak", "broken") are left out: describing a fault
 * is not being unhappy with the call.
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
          Map.entry("furious", -3));
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
