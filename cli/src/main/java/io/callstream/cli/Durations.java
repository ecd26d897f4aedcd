package io.callstream.cli;

import io.callstream.config.EnvironmentReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Times and durations as users type them on the command line. */
final class Durations {
  private Durations() {}

  /** 500ms, 30s, 5m, 1h, 7d, or ISO-8601 (PT30S). */
  static Duration parse(String text, String option) {
    try {
      return EnvironmentReader.parseDuration(text);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(
          option + " takes a duration such as 500ms, 30s, 5m, 1h or 7d, got '" + text + "'");
    }
  }

  /**
   * A point in time: an ISO-8601 instant ({@code 2026-11-23T10:00:00Z}), a date (midnight UTC), or
   * a duration before now ({@code 2h} is two hours ago).
   */
  static Instant instant(String text, String option, Instant now) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      // try the other forms
    }
    try {
      return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notADate) {
      // try a duration
    }
    try {
      return now.minus(EnvironmentReader.parseDuration(text));
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(
          option
              + " takes an instant (2026-11-23T10:00:00Z), a date (2026-11-23) or a time ago (2h, 7d), got '"
              + text
              + "'");
    }
  }
}
