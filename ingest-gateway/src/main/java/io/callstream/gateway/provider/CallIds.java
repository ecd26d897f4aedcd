package io.callstream.gateway.provider;

import io.callstream.events.Provider;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * callstream's id for a call: a name-based UUID of the platform and the platform's own call id, so
 * every webhook about one call (its end, its recording, a retry) carries the same key and lands on
 * the same partition.
 */
public final class CallIds {
  private CallIds() {}

  public static UUID of(Provider provider, String providerCallId) {
    String name = provider.name().toLowerCase(java.util.Locale.ROOT) + ":" + providerCallId;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
