package io.callstream.gateway.provider;

import io.callstream.events.Provider;
import io.callstream.gateway.source.Source;
import java.time.Instant;

/**
 * One voice platform's webhooks: how to check they really come from the platform, and how to map
 * their payloads to what they say in callstream's terms ({@link Mapping}). Implementations are
 * small and stateless: they store nothing and build no envelope ({@link EventEnvelope} does).
 */
public interface ProviderAdapter {

  Provider provider();

  /** The media type the platform sends its webhooks as. */
  String mediaType();

  /**
   * Checks the request's signature (or shared secret) over the raw body with {@code secret}, the
   * source's secret or public key, and its timestamp against {@code now}.
   *
   * @throws WebhookRejected.BadSignature naming what was wrong
   */
  void verify(WebhookRequest request, Source source, String secret, Instant now);

  /**
   * Maps a verified request to what it says; the envelope of its event is added elsewhere.
   *
   * @throws WebhookRejected.Malformed for a body that does not parse
   * @throws WebhookRejected.InvalidField naming a missing or malformed field
   */
  Mapping map(WebhookRequest request, Source source);
}
