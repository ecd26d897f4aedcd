package io.callstream.gateway.provider.twilio;

import io.callstream.gateway.provider.Signatures;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code X-Twilio-Signature} header Twilio sends with a webhook: base64 of HMAC-SHA1, keyed by
 * the auth token, over the full URL followed by each form parameter's name and value in name order.
 * For callstream's own senders (the demo, end-to-end tests); the gateway's tests keep a signer of
 * their own, so that one mistake cannot sit on both sides.
 */
public final class TwilioSignature {
  private TwilioSignature() {}

  /** The header value for a form of {@code params} posted to {@code url}. */
  public static String of(String authToken, String url, Map<String, String> params) {
    StringBuilder signed = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> signed.append(name).append(value));
    return Base64.getEncoder()
        .encodeToString(Signatures.hmacSha1(authToken, Signatures.utf8(signed.toString())));
  }
}
