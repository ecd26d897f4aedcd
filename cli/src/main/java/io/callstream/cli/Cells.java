package io.callstream.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** How the read commands show the query API's values in a table cell. */
final class Cells {
  private Cells() {}

  /** A JSON value as text; null or missing as nothing. */
  static String text(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode() ? null : value.asText();
  }

  /** Milliseconds into the call as m:ss. */
  static String clock(JsonNode millis) {
    if (millis == null || !millis.isNumber()) {
      return null;
    }
    long seconds = millis.asLong() / 1000;
    return seconds / 60 + ":" + String.format(java.util.Locale.ROOT, "%02d", seconds % 60);
  }

  /** A passage with the matched terms in brackets, cut to {@code width} characters. */
  static String marked(String text, int width) {
    String plain = text.replace("<mark>", "[").replace("</mark>", "]").replaceAll("\\s+", " ");
    return plain.length() <= width ? plain : plain.substring(0, width - 3) + "...";
  }
}
