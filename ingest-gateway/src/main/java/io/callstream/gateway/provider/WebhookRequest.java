package io.callstream.gateway.provider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A webhook as it arrived: the public URL it was sent to (what Twilio signs), its headers, the raw
 * body bytes (what every other provider signs) and when it arrived.
 */
public record WebhookRequest(String publicUrl, Headers headers, byte[] body, Instant receivedAt) {

  /** Looks up request headers by case-insensitive name; only the few an adapter needs are read. */
  @FunctionalInterface
  public interface Headers {
    /** The header's value, or null. */
    String get(String name);
  }

  /** The header's value, by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
