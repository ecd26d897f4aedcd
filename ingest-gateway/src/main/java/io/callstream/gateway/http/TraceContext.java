package io.callstream.gateway.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * W3C trace context for the events a request produces: the caller's trace continues when it sent a
 * valid {@code traceparent}, otherwise a new trace starts; either way with a new span id.
 */
public final class TraceContext {
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String INVALID_TRACE = "0".repeat(32);
  private static final HexFormat HEX = HexFormat.of();

  private TraceContext() {}

  /** A {@code traceparent} for an event of a request that sent {@code incoming} (or null). */
  public static String childOf(String incoming) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String traceId = null;
    if (incoming != null) {
      var match = TRACEPARENT.matcher(incoming.trim());
      if (match.matches() && !match.group(1).equals(INVALID_TRACE)) {
        traceId = match.group(1);
      }
    }
    if (traceId == null) {
      traceId = HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }
    // HexFormat, not String.format: this runs on every request, and the formatter showed in
    // profiles
    return "00-" + traceId + "-" + HEX.toHexDigits(random.nextLong() | 1L) + "-01";
  }
}
