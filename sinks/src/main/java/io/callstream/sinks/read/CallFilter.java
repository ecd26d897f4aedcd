package io.callstream.sinks.read;

import java.time.Instant;

/**
 * Which calls to list: every field is optional (null matches all). The tenant is set from the
 * caller's key, never from the request, except for the operator, who may name one or none.
 *
 * @param tenantId the only tenant whose calls are listed; null only for the operator
 * @param text words to find in the call's title or summary
 * @param hasCallback true for calls that asked for a callback, false for those that did not
 */
public record CallFilter(
    String tenantId,
    Instant from,
    Instant to,
    String agentId,
    String provider,
    String direction,
    String status,
    String sentiment,
    String success,
    Boolean hasCallback,
    String text,
    Match criterion,
    Match extracted) {

  /** A name and the value it must have. */
  public record Match(String name, String value) {}
}
