package io.callstream.enrichment.callback;

import java.util.Map;
import java.util.OptionalInt;

/** Numbers as people say them on calls: digits, words up to fifty-nine, and a few idioms. */
final class SpokenNumbers {
  private static final Map<String, Integer> WORDS =
      Map.ofEntries(
          Map.entry("zero", 0),
          Map.entry("oh", 0),
          Map.entry("one", 1),
          Map.entry("a", 1),
          Map.entry("an", 1),
          Map.entry("two", 2),
          Map.entry("three", 3),
          Map.entry("four", 4),
          Map.entry("five", 5),
          Map.entry("six", 6),
          Map.entry("seven", 7),
          Map.entry("eight", 8),
          Map.entry("nine", 9),
          Map.entry("ten", 10),
          Map.entry("eleven", 11),
          Map.entry("twelve", 12),
          Map.entry("thirteen", 13),
          Map.entry("fourteen", 14),
          Map.entry("fifteen", 15),
          Map.entry("sixteen", 16),
          Map.entry("seventeen", 17),
          Map.entry("eighteen", 18),
          Map.entry("nineteen", 19),
          Map.entry("twenty", 20),
          Map.entry("thirty", 30),
          Map.entry("forty", 40),
          Map.entry("fifty", 50),
          Map.entry("couple", 2),
          Map.entry("a couple", 2),
          Map.entry("a couple of", 2),
          Map.entry("couple of", 2),
          Map.entry("few", 3),
          Map.entry("a few", 3),
          Map.entry("several", 3));

  /** The regex alternation that matches any number this class reads. */
  static final String PATTERN =
      "(?:\\d{1,2}|(?:twenty|thirty|forty|fifty)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
          + "|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
          + "|sixteen|seventeen|eighteen|nineteen|a couple of|a couple|couple of|a few|few|several|an|a)";

  private SpokenNumbers() {}

  static OptionalInt parse(String text) {
    String word = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (word.matches("\\d{1,4}")) {
      return OptionalInt.of(Integer.parseInt(word));
    }
    Integer direct = WORDS.get(word);
    if (direct != null) {
      return OptionalInt.of(direct);
    }
    String[] parts = word.split("[- ]");
    if (parts.length == 2 && WORDS.containsKey(parts[0]) && WORDS.containsKey(parts[1])) {
      int tens = WORDS.get(parts[0]);
      int ones = WORDS.get(parts[1]);
      if (tens >= 20 && tens % 10 == 0 && ones > 0 && ones < 10) {
        return OptionalInt.of(tens + ones);
      }
    }
    return OptionalInt.empty();
  }
}
