package io.callstream.enrichment.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in text with typed placeholders before it reaches an AI service or
 * storage: e-mail addresses, payment card numbers (only digit runs that pass the Luhn check), US
 * social security numbers and phone numbers. Numbers said as words ("five five five...") are not
 * recognised.
 */
public final class PiiRedactor {

  /** The kinds of personal data recognised, each with its placeholder. */
  public enum PiiType {
    EMAIL("[EMAIL]"),
    CARD("[CARD]"),
    SSN("[SSN]"),
    PHONE("[PHONE]");

    private final String placeholder;

    PiiType(String placeholder) {
      this.placeholder = placeholder;
    }

    public String placeholder() {
      return placeholder;
    }
  }

  /** Redacted text and how many of each kind were replaced. */
  public record Redaction(String text, Map<PiiType, Integer> counts) {
    public int total() {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  private static final Pattern EMAIL =
      Pattern.compile("\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b");
  private static final Pattern CARD =
      Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
  private static final Pattern SSN =
      Pattern.compile(
          "(?<![\\d-])(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}(?![\\d-])"
              + "|(?i)(?<=\\b(?:ssn|social security(?: number)?)(?: is)?:?\\s)(?!000|666|9\\d\\d)\\d{3}\\s?(?!00)\\d{2}\\s?(?!0000)\\d{4}\\b");
  private static final Pattern PHONE =
      Pattern.compile(
          "(?<![\\w+])(?:\\+\\d{1,3}[\\s.-]?)?(?:\\(\\d{2,4}\\)|\\d{2,4})[\\s.-]?\\d{3,4}[\\s.-]?\\d{3,4}(?![\\w-])"
              + "|(?<![\\w+])\\+\\d{7,15}\\b");

  /** Redacts every kind. */
  public Redaction redact(String text) {
    return redact(text, EnumSet.allOf(PiiType.class));
  }

  /** Redacts the {@code kinds} given, and no other. */
  public Redaction redact(String text, Set<PiiType> kinds) {
    Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
    String result =
        kinds.contains(PiiType.EMAIL) ? replace(text, EMAIL, PiiType.EMAIL, counts) : text;
    result = kinds.contains(PiiType.CARD) ? replaceCards(result, counts) : result;
    result = kinds.contains(PiiType.SSN) ? replace(result, SSN, PiiType.SSN, counts) : result;
    result = kinds.contains(PiiType.PHONE) ? replace(result, PHONE, PiiType.PHONE, counts) : result;
    return new Redaction(result, Collections.unmodifiableMap(counts));
  }

  private static String replace(
      String text, Pattern pattern, PiiType type, Map<PiiType, Integer> counts) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    int n = 0;
    while (m.find()) {
      if (type == PiiType.PHONE && digits(m.group()).length() < 10 && !m.group().startsWith("+")) {
        continue; // shorter runs are times, amounts, order numbers
      }
      m.appendReplacement(out, Matcher.quoteReplacement(type.placeholder()));
      n++;
    }
    m.appendTail(out);
    if (n > 0) {
      counts.merge(type, n, Integer::sum);
    }
    return out.toString();
  }

  private static String replaceCards(String text, Map<PiiType, Integer> counts) {
    Matcher m = CARD.matcher(text);
    List<int[]> cards = new ArrayList<>();
    while (m.find()) {
      if (luhn(digits(m.group()))) {
        cards.add(new int[] {m.start(), m.end()});
      }
    }
    if (cards.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text);
    for (int i = cards.size() - 1; i >= 0; i--) {
      out.replace(cards.get(i)[0], cards.get(i)[1], PiiType.CARD.placeholder());
    }
    counts.merge(PiiType.CARD, cards.size(), Integer::sum);
    return out.toString();
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return digits.length() >= 13 && sum % 10 == 0;
  }

  private static String digits(String text) {
    return text.replaceAll("\\D", "");
  }
}
