package io.callstream.gateway.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A signature header of the form {@code <timestamp key>=<timestamp>,<signature key>=<hex
 * HMAC-SHA256>}, where the MAC covers a message built from the timestamp and the raw body, and the
 * timestamp must be within {@code tolerance} of now (ElevenLabs, Retell).
 *
 * @param signedParts the bytes the MAC covers, in order, from the timestamp text and the body
 */
public record TimestampedSignature(
    String header,
    String timestampKey,
    String signatureKey,
    boolean millis,
    Duration tolerance,
    BiFunction<String, byte[], byte[][]> signedParts) {

  /**
   * Checks the header on {@code request} with {@code secret}.
   *
   * @throws WebhookRejected.BadSignature saying whether the header is missing, malformed, wrong or
   *     stale
   */
  public void verify(WebhookRequest request, String secret, Instant now) {
    String value = request.header(header);
    if (value == null || value.isBlank()) {
      throw WebhookRejected.badSignature(header + " header is missing");
    }
    Map<String, String> parts = Signatures.headerParts(value);
    String timestamp = parts.get(timestampKey);
    String signature = parts.get(signatureKey);
    if (timestamp == null || signature == null) {
      throw WebhookRejected.badSignature(
          header
              + " must be "
              + timestampKey
              + "=<unix "
              + (millis ? "ms" : "seconds")
              + ">,"
              + signatureKey
              + "=<hex HMAC-SHA256>");
    }
    Instant signedAt = Timestamps.parseEpoch(timestamp, millis, header);
    byte[] expected = Signatures.hmacSha256(secret, signedParts.apply(timestamp, request.body()));
    if (!Signatures.matchesHex(expected, signature)) {
      throw WebhookRejected.badSignature(header + " does not match the body");
    }
    Timestamps.requireFresh(signedAt, now, tolerance, header);
  }
}
