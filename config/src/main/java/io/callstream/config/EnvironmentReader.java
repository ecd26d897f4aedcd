package io.callstream.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a component's configuration from environment variables, collecting every problem instead of
 * stopping at the first, so a bad start fails with one message that names each missing or malformed
 * variable.
 */
public record EnvironmentReader(Function<String, String> env, List<String> problems) {

  /**
   * One variable a configuration reads.
   *
   * @param fallback what it falls back to when unset, as text; null when there is none
   */
  public record Variable(String name, String fallback, boolean required) {}

  private static final ThreadLocal<Map<String, Variable>> RECORDING = new ThreadLocal<>();

  /**
   * Every variable read while {@code reads} runs on this thread (a component's {@code fromEnv}),
   * with its default, in reading order: the configuration reference is generated from this.
   */
  public static Map<String, Variable> record(Runnable reads) {
    Map<String, Variable> read = new LinkedHashMap<>();
    RECORDING.set(read);
    try {
      reads.run();
    } finally {
      RECORDING.remove();
    }
    return read;
  }

  private static void note(String name, Object fallback, boolean required) {
    Map<String, Variable> read = RECORDING.get();
    if (read != null) {
      read.put(name, new Variable(name, fallback == null ? null : fallback.toString(), required));
    }
  }

  public String text(String name, String fallback) {
    note(name, fallback, false);
    String value = env.apply(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public String required(String name) {
    String value = text(name, null);
    note(name, null, true);
    if (value == null) {
      problems.add(name + " is not set");
    }
    return value;
  }

  public String oneOf(String name, String fallback, List<String> allowed) {
    String value = text(name, fallback);
    if (!allowed.contains(value)) {
      problems.add(
          name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
    return value;
  }

  public long number(String name, long fallback, long min, long max) {
    String value = text(name, null);
    note(name, fallback, false);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        problems.add(name + " must be between " + min + " and " + max + ", got " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(name + " must be a whole number, got '" + value + "'");
      return fallback;
    }
  }

  public String url(String name, boolean required) {
    String value = required ? required(name) : text(name, null);
    if (value != null && !value.matches("https?://.+")) {
      problems.add(name + " must be an http(s) URL, got '" + value + "'");
    } else if (value != null) {
      try {
        URI.create(value);
      } catch (IllegalArgumentException e) {
        problems.add(name + " is not a valid URL: " + e.getMessage());
      }
    }
    return value;
  }

  public Path existingFile(String name) {
    String value = required(name);
    return value == null ? null : checkedFile(name, value);
  }

  /** Like {@link #existingFile}, but unset is allowed and gives null. */
  public Path optionalFile(String name) {
    String value = text(name, null);
    return value == null ? null : checkedFile(name, value);
  }

  private Path checkedFile(String name, String value) {
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      problems.add(name + " names " + path.toAbsolutePath() + ", which is not a readable file");
    }
    return path;
  }

  /** A duration such as 500ms, 30s, 5m, 1h, 7d, or ISO-8601 (PT30S). */
  public Duration duration(String name, Duration fallback) {
    String value = text(name, null);
    note(name, fallback == null ? null : format(fallback), false);
    if (value == null) {
      return fallback;
    }
    try {
      return parseDuration(value);
    } catch (IllegalArgumentException e) {
      problems.add(name + " must be a duration such as 30s, 5m, 1h or 7d, got '" + value + "'");
      return fallback;
    }
  }

  /** Comma-separated values, trimmed, empty ones dropped. */
  public List<String> list(String name) {
    String value = text(name, null);
    if (value == null) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  /** Parses 500ms, 30s, 5m, 1h, 7d or an ISO-8601 duration. */
  /** A duration as {@link #parseDuration} reads it: 20ms, 30s, 5m, 1h, 7d. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 86_400_000 == 0 && millis > 0) {
      return millis / 86_400_000 + "d";
    } else if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    } else if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    } else if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  public static Duration parseDuration(String text) {
    String value = text.trim();
    if (value.toUpperCase(java.util.Locale.ROOT).startsWith("P")) {
      return Duration.parse(value);
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** Throws, naming every problem, when any was found. */
  public void check(String component) {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          component + " cannot start:\n  " + String.join("\n  ", problems));
    }
  }
}
