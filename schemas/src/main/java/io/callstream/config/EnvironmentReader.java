package io.callstream.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a component's configuration from environment variables, collecting every problem instead of
 * stopping at the first, so a bad start fails with one message that names each missing or malformed
 * variable.
 */
public record EnvironmentReader(Function<String, String> env, List<String> problems) {

  public String text(String name, String fallback) {
    String value = env.apply(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  public String required(String name) {
    String value = text(name, null);
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
    if (value == null) {
      return null;
    }
    Path path = Path.of(value);
    if (!Files.isRegularFile(path)) {
      problems.add(name + " names " + path.toAbsolutePath() + ", which is not a readable file");
    }
    return path;
  }

  /** A duration such as 500ms, 30s, 5m, 1h, 7d, or ISO-8601 (PT30S). */
  public Duration duration(String name, Duration fallback) {
    String value = text(name, null);
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
