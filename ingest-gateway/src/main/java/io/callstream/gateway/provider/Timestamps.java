package io.callstream.gateway.provider;

import java.time.Duration;
import java.time.Instant;

/** Checks of the timestamps providers sign, against replays of old webhooks. */
public final class Timestamps {
  private Timestamps() {}

  /**
   * Rejects a signed timestamp further than {@code tolerance} from {@code now}, either way.
   *
   * @throws WebhookRejected.BadSignature saying how old (or how far ahead) it is
   */
  public static void requireFresh(
      Instant signedAt, Instant now, Duration tolerance, String header) {
    Duration age = Duration.between(signedAt, now);
    if (age.compareTo(tolerance) > 0) {
      throw WebhookRejected.badSignature(
          header
              + " timestamp is "
              + age.toSeconds()
              + " s old; at most "
              + tolerance.toSeconds()
              + " s is accepted");
    }
    if (age.negated().compareTo(tolerance) > 0) {
      throw WebhookRejected.badSignature(
          header
              + " timestamp is "
              + age.negated().toSeconds()
              + " s in the future; at most "
              + tolerance.toSeconds()
              + " s of clock skew is accepted");
    }
  }

  /** Parses whole seconds or milliseconds since the epoch from a header. */
  public static Instant parseEpoch(String value, boolean millis, String header) {
    try {
      long number = Long.parseLong(value.trim());
      return millis ? Instant.ofEpochMilli(number) : Instant.ofEpochSecond(number);
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw WebhookRejected.badSignature(
          header + " has a timestamp that is not a whole number: " + value);
    }
  }
}
