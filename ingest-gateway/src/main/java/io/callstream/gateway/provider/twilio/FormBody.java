package io.callstream.gateway.provider.twilio;

import io.callstream.gateway.provider.WebhookRejected;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@code application/x-www-form-urlencoded} body as name and value pairs, in order. */
record FormBody(List<Map.Entry<String, String>> pairs) {

  static FormBody parse(String body) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (body.isEmpty()) {
      return new FormBody(pairs);
    }
    for (String part : body.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int equals = part.indexOf('=');
      String name = equals < 0 ? part : part.substring(0, equals);
      String value = equals < 0 ? "" : part.substring(equals + 1);
      try {
        pairs.add(Map.entry(decode(name), decode(value)));
      } catch (IllegalArgumentException e) {
        throw WebhookRejected.malformed(
            "form body has a malformed %-escape in '" + abbreviate(part) + "'");
      }
    }
    return new FormBody(pairs);
  }

  /** The first value of a parameter, or null. */
  String get(String name) {
    for (Map.Entry<String, String> pair : pairs) {
      if (pair.getKey().equals(name)) {
        return pair.getValue();
      }
    }
    return null;
  }

  String required(String name) {
    String value = get(name);
    if (value == null || value.isBlank()) {
      throw WebhookRejected.invalidField(name, "form parameter " + name + " is required");
    }
    return value;
  }

  /**
   * Every parameter as name then value, sorted by name and then value: what Twilio signs after the
   * URL.
   */
  String signedParameters() {
    StringBuilder text = new StringBuilder();
    pairs.stream()
        .sorted(
            Map.Entry.<String, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()))
        .forEach(pair -> text.append(pair.getKey()).append(pair.getValue()));
    return text.toString();
  }

  Map<String, String> asMap() {
    Map<String, String> map = new LinkedHashMap<>();
    pairs.forEach(pair -> map.putIfAbsent(pair.getKey(), pair.getValue()));
    return map;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
