package io.callstream.gateway.provider;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object read field by field, where every missing or malformed field becomes a 422 naming
 * its full dotted path (for example {@code data.conversation_id}).
 */
public final class JsonPayload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode node;
  private final String path;

  private JsonPayload(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Parses a request body that must be a JSON object. */
  public static JsonPayload parse(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException | RuntimeException e) {
      throw WebhookRejected.malformed("body is not valid JSON: " + firstLine(e.getMessage()));
    } catch (java.io.IOException e) {
      throw WebhookRejected.malformed("body could not be read as JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw WebhookRejected.malformed("body is empty; a JSON object is expected");
    }
    if (!root.isObject()) {
      throw WebhookRejected.malformed(
          "body is JSON " + root.getNodeType().name().toLowerCase() + ", expected an object");
    }
    return new JsonPayload(root, "");
  }

  /** True when the field is present and not null. */
  public boolean has(String name) {
    JsonNode value = node.get(name);
    return value != null && !value.isNull();
  }

  /** The nested object {@code name}; a 422 when it is missing or not an object. */
  public JsonPayload object(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw WebhookRejected.invalidField(pathOf(name), pathOf(name) + " is required");
    }
    if (!value.isObject()) {
      throw wrongType(name, "an object");
    }
    return new JsonPayload(value, pathOf(name));
  }

  /** The nested object {@code name}, or null when it is absent or null. */
  public JsonPayload optionalObject(String name) {
    return has(name) ? object(name) : null;
  }

  public String requiredText(String name) {
    String value = text(name);
    if (value == null || value.isBlank()) {
      throw WebhookRejected.invalidField(pathOf(name), pathOf(name) + " is required");
    }
    return value;
  }

  /** A string field (numbers and booleans are given as their text), or null. */
  public String text(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isValueNode()) {
      throw wrongType(name, "a string");
    }
    return value.asText();
  }

  /** A whole number, or null; numeric strings are accepted, fractions are truncated. */
  public Long longValue(String name) {
    Double value = number(name);
    return value == null ? null : value.longValue();
  }

  /** A number, or null; numeric strings are accepted. */
  public Double number(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      try {
        double parsed = Double.parseDouble(value.asText().trim());
        if (Double.isFinite(parsed)) {
          return parsed;
        }
      } catch (NumberFormatException notNumeric) {
        // fall through to the 422
      }
    }
    throw wrongType(name, "a number");
  }

  /** A boolean, or null; the strings "true" and "false" are accepted. */
  public Boolean bool(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()
        && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(value.asText());
    }
    throw wrongType(name, "a boolean");
  }

  /** An ISO-8601 instant such as {@code 2026-11-20T14:03:27Z}, or null. */
  public Instant instant(String name) {
    String value = text(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return java.time.OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException again) {
        throw WebhookRejected.invalidField(
            pathOf(name), pathOf(name) + " is not an ISO-8601 date-time with offset: " + value);
      }
    }
  }

  /** The elements of an array of objects; empty when the field is absent or null. */
  public List<JsonPayload> objects(String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw wrongType(name, "an array");
    }
    List<JsonPayload> items = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      String itemPath = pathOf(name) + "[" + i + "]";
      if (!item.isObject()) {
        throw WebhookRejected.invalidField(itemPath, itemPath + " must be an object");
      }
      items.add(new JsonPayload(item, itemPath));
    }
    return items;
  }

  /**
   * An object's fields as strings: text values as they are, anything else as its JSON text. Empty
   * when absent.
   */
  public Map<String, String> stringMap(String name) {
    JsonNode value = node.get(name);
    Map<String, String> map = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return map;
    }
    if (!value.isObject()) {
      throw wrongType(name, "an object");
    }
    value
        .properties()
        .forEach(
            e ->
                map.put(
                    e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return map;
  }

  /** The dotted path of this object in the body ("" for the root). */
  public String path() {
    return path;
  }

  private String pathOf(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private WebhookRejected wrongType(String name, String expected) {
    return WebhookRejected.invalidField(pathOf(name), pathOf(name) + " must be " + expected);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
