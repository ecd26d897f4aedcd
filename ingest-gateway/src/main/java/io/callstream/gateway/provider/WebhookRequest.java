package io.callstream.gateway.provider;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A webhook as it arrived: the public URL it was sent to (what Twilio signs), its headers with
 * lower-case names, the raw body bytes (what every other provider signs) and when it arrived.
 */
public record WebhookRequest(
    String publicUrl, Map<String, String> headers, byte[] body, Instant receivedAt) {

  /** The header's value, by case-insensitive name, or null. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
