package io.callstream.gateway.provider.elevenlabs;

import io.callstream.gateway.provider.Signatures;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ElevenLabs-Signature} header ElevenLabs sends with a webhook: {@code t=<unix
 * seconds>,v0=<hex HMAC-SHA256 of "t." and the body>}, keyed by the webhook secret. For
 * callstream's own senders (the demo, the gateway benchmark, end-to-end tests); the gateway's tests
 * keep a signer of their own, so that one mistake cannot sit on both sides.
 */
public final class ElevenLabsSignature {
  private ElevenLabsSignature() {}

  /** The header value for {@code body} sent at {@code unixSeconds}. */
  public static String of(String secret, long unixSeconds, byte[] body) {
    return "t="
        + unixSeconds
        + ",v0="
        + Signatures.hex(
            Signatures.hmacSha256(
                secret, (unixSeconds + ".").getBytes(StandardCharsets.UTF_8), body));
  }
}
