package io.callstream.enrichment.text;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts tokens the way sub-word tokenizers roughly do for English: each word and each punctuation
 * mark is one. Good enough to size chunks; no model's exact count is needed for that.
 */
public final class Tokens {
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s]");

  private Tokens() {}

  public static int count(CharSequence text) {
    Matcher m = TOKEN.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** The end offsets, within {@code text}, of each token. */
  static int[] ends(CharSequence text) {
    Matcher m = TOKEN.matcher(text);
    int[] ends = new int[Math.max(16, text.length() / 2)];
    int n = 0;
    while (m.find()) {
      if (n == ends.length) {
        ends = java.util.Arrays.copyOf(ends, n * 2);
      }
      ends[n++] = m.end();
    }
    return java.util.Arrays.copyOf(ends, n);
  }
}
