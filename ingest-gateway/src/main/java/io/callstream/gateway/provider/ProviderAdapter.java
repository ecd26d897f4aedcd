package io.callstream.gateway.provider;

import io.callstream.events.Provider;
import io.callstream.gateway.source.Source;
import java.time.Instant;

/**
 * One voice platform's webhooks: how to check they really come from the platform, and how to map
 * their payloads to callstream's canonical events. Implementations are small and stateless.
 */
public interface ProviderAdapter {

  Provider provider();

  /** The media type the platform sends its webhooks as. */
  String mediaType();

  /**
   * Checks the request's signature (or shared secret) over the raw body with {@code secret}, the
   * source's secret or public key, and its timestamp against {@code now}.
   *
   * @throws io.callstream.gateway.http.Problem 401 naming what was wrong
   */
  void verify(WebhookRequest request, Source source, String secret, Instant now);

  /**
   * Maps a verified request to its event.
   *
   * @throws io.callstream.gateway.http.Problem 400 for a body that does not parse, 422 naming a
   *     missing or malformed field
   */
  Mapping map(WebhookRequest request, Source source);
}
