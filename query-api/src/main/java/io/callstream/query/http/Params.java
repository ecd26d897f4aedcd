package io.callstream.query.http;

import io.callstream.sinks.read.CallFilter;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request's query parameters, checked: a name the route does not take, a value of the wrong form
 * or out of range is a 400 naming the parameter, before anything is read.
 */
public final class Params {
  private final Context ctx;

  private Params(Context ctx) {
    this.ctx = ctx;
  }

  /** The parameters of {@code ctx}, which may only be among {@code allowed}, each at most once. */
  public static Params of(Context ctx, Set<String> allowed) {
    for (var entry : ctx.queryParamMap().entrySet()) {
      if (!allowed.contains(entry.getKey())) {
        throw ApiProblem.badParameter(
            entry.getKey(),
            "unknown parameter '"
                + entry.getKey()
                + "'; this route takes "
                + List.copyOf(new java.util.TreeSet<>(allowed)));
      }
      if (entry.getValue().size() > 1) {
        throw ApiProblem.badParameter(entry.getKey(), entry.getKey() + " is given more than once");
      }
    }
    return new Params(ctx);
  }

  public String text(String name) {
    String value = ctx.queryParam(name);
    if (value != null && value.indexOf('\0') >= 0) {
      // no Postgres text can hold it: refused here rather than failing in the database
      throw ApiProblem.badParameter(name, name + " holds a NUL character");
    }
    return value == null || value.isEmpty() ? null : value;
  }

  /** Text of at most {@code maxLength} characters; required when {@code required}. */
  public String text(String name, int maxLength, boolean required) {
    String value = text(name);
    if (value == null || value.isBlank()) {
      if (required) {
        throw ApiProblem.badParameter(name, name + " is required");
      }
      return null;
    }
    if (value.length() > maxLength) {
      throw ApiProblem.badParameter(
          name,
          name + " is " + value.length() + " characters; at most " + maxLength + " are taken");
    }
    return value;
  }

  public int integer(String name, int fallback, int min, int max) {
    String value = text(name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number < min || number > max) {
        throw ApiProblem.badParameter(
            name, name + " is " + number + "; it must be from " + min + " to " + max);
      }
      return number;
    } catch (NumberFormatException e) {
      throw ApiProblem.badParameter(name, name + " '" + value + "' is not a whole number");
    }
  }

  /** An ISO instant ({@code 2026-11-23T10:00:00Z}) or a date (midnight UTC). */
  public Instant instant(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10
          ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiProblem.badParameter(
          name, name + " '" + value + "' is not a time such as 2026-11-23T10:00:00Z or 2026-11-23");
    }
  }

  /** One of {@code values}, case-insensitively, as it is spelt there. */
  public String oneOf(String name, List<String> values) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    for (String allowed : values) {
      if (allowed.equalsIgnoreCase(value)) {
        return allowed;
      }
    }
    throw ApiProblem.badParameter(
        name, name + " '" + value + "' is not one of " + String.join(", ", values));
  }

  /** {@code NAME:VALUE}, both non-blank, or null when absent; {@code form} says the form. */
  public CallFilter.Match match(String name, String form) {
    String value = text(name, 1_000, false);
    if (value == null) {
      return null;
    }
    int colon = value.indexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw ApiProblem.badParameter(name, name + " '" + value + "' is not " + form);
    }
    return new CallFilter.Match(value.substring(0, colon), value.substring(colon + 1));
  }

  public Boolean bool(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw ApiProblem.badParameter(name, name + " '" + value + "' is not true or false");
    };
  }
}
