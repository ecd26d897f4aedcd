package io.callstream.enrichment.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.text.PiiRedactor.PiiType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
  private final PiiRedactor redactor = new PiiRedactor();

  @Test
  void findsEveryItemOfTheFixtureSetAndNothingElse() throws Exception {
    int expectedTotal = 0;
    int hits = 0;
    List<String> misses = new ArrayList<>();
    List<String> falseHits = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("src/test/resources/pii-fixtures.txt"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cells = line.split("\\|");
      String text = cells[0].trim();
      Map<PiiType, Integer> expected = expected(cells[1].trim());
      expectedTotal += expected.values().stream().mapToInt(Integer::intValue).sum();
      PiiRedactor.Redaction redaction = redactor.redact(text);
      for (PiiType type : PiiType.values()) {
        int want = expected.getOrDefault(type, 0);
        int got = redaction.counts().getOrDefault(type, 0);
        hits += Math.min(want, got);
        if (got < want) {
          misses.add(type + " in: " + text + " -> " + redaction.text());
        } else if (got > want) {
          falseHits.add(type + " in: " + text + " -> " + redaction.text());
        }
      }
    }
    System.out.printf(
        "PII fixtures: %d expected, %d hits, %d misses, %d false hits%n",
        expectedTotal, hits, misses.size(), falseHits.size());
    assertThat(expectedTotal).isEqualTo(17);
    assertThat(misses).isEmpty();
    assertThat(falseHits).isEmpty();
    assertThat(hits).isEqualTo(expectedTotal);
  }

  @Test
  void replacesWithTypedPlaceholdersAndLeavesTheRest() {
    PiiRedactor.Redaction redaction =
        redactor.redact(
            "Hi, I'm Dana, call me at (415) 555-0123 or mail dana@example.com about card 4111 1111 1111 1111.");
    assertThat(redaction.text())
        .isEqualTo("Hi, I'm Dana, call me at [PHONE] or mail [EMAIL] about card [CARD].");
    assertThat(redaction.total()).isEqualTo(3);
  }

  @Test
  void luhnAcceptsValidAndRejectsInvalidNumbers() {
    assertThat(PiiRedactor.luhn("4111111111111111")).isTrue();
    assertThat(PiiRedactor.luhn("4111111111111112")).isFalse();
    assertThat(PiiRedactor.luhn("0000")).isFalse();
  }

  private static Map<PiiType, Integer> expected(String cell) {
    Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
    if (!cell.equals("none")) {
      for (String part : cell.split(",")) {
        String[] kv = part.split("=");
        counts.put(PiiType.valueOf(kv[0].trim()), Integer.parseInt(kv[1].trim()));
      }
    }
    return counts;
  }
}
