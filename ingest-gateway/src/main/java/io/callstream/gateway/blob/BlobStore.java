package io.callstream.gateway.blob;

import java.io.IOException;
import java.net.URI;

/**
 * Where the gateway keeps audio that arrives inside a webhook, so only its URL travels through
 * Kafka (claim check).
 */
public interface BlobStore {

  /**
   * Stores {@code bytes} under {@code key} (replacing what was there) and returns where to fetch
   * them.
   */
  URI put(String key, byte[] bytes) throws IOException;
}
