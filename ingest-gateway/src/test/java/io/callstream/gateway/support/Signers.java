package io.callstream.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs test webhooks the way each provider documents it, written independently of the gateway's
 * verification code, with the secrets of the test sources.
 */
public final class Signers {
  public static final String ELEVENLABS_SECRET = "wsec_4c1f0b2e8d7a6953e1f2a3b4c5d6e7f8";
  public static final String VAPI_SECRET = "vapi-shared-secret-7d41";
  public static final String RETELL_API_KEY = "key_9a8b7c6d5e4f3a2b1c0d";
  public static final String TWILIO_AUTH_TOKEN = "12345678901234567890123456789012";
  public static final String ACME_API_KEY = "cs_live_acme_5f2e9d8c7b6a";
  public static final KeyPair TELNYX_KEYS = ed25519();

  private Signers() {}

  /** The environment holding the test sources' secrets. */
  public static Map<String, String> env() {
    byte[] spki = TELNYX_KEYS.getPublic().getEncoded();
    String rawPublicKey =
        Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    return Map.of(
        "EL_SECRET", ELEVENLABS_SECRET,
        "VAPI_SECRET", VAPI_SECRET,
        "RETELL_KEY", RETELL_API_KEY,
        "TWILIO_TOKEN", TWILIO_AUTH_TOKEN,
        "TELNYX_PUBLIC_KEY", rawPublicKey);
  }

  /** The test sources file. */
  public static String sourcesJson() {
    return """
        {"sources": [
          {"id": "elevenlabs", "provider": "elevenlabs", "secret_env": "EL_SECRET", "tenant": "acme"},
          {"id": "vapi", "provider": "vapi", "secret_env": "VAPI_SECRET"},
          {"id": "vapi-hmac", "provider": "vapi", "secret_env": "VAPI_SECRET", "auth": "hmac", "tenant": "globex"},
          {"id": "retell", "provider": "retell", "secret_env": "RETELL_KEY"},
          {"id": "twilio", "provider": "twilio", "secret_env": "TWILIO_TOKEN", "tenant": "acme"},
          {"id": "telnyx", "provider": "telnyx", "secret_env": "TELNYX_PUBLIC_KEY"}
        ],
        "api_keys": [{"tenant": "acme", "sha256": "%s"}]}
        """
        .formatted(HexFormat.of().formatHex(sha256(ACME_API_KEY.getBytes(StandardCharsets.UTF_8))));
  }

  /** {@code ElevenLabs-Signature}: t=<ts>,v0=hex(HMAC-SHA256(secret, "<ts>.<body>")). */
  public static String elevenLabs(byte[] body, long unixSeconds) {
    return "t="
        + unixSeconds
        + ",v0="
        + hex(
            hmac(
                "HmacSHA256",
                ELEVENLABS_SECRET,
                concat((unixSeconds + ".").getBytes(StandardCharsets.UTF_8), body)));
  }

  /** {@code x-retell-signature}: v=<ms>,d=hex(HMAC-SHA256(api key, body + ms)). */
  public static String retell(byte[] body, long unixMillis) {
    return "v="
        + unixMillis
        + ",d="
        + hex(
            hmac(
                "HmacSHA256",
                RETELL_API_KEY,
                concat(body, Long.toString(unixMillis).getBytes(StandardCharsets.UTF_8))));
  }

  /** {@code X-Vapi-Signature}: hex(HMAC-SHA256(secret, body)). */
  public static String vapiHmac(byte[] body) {
    return hex(hmac("HmacSHA256", VAPI_SECRET, body));
  }

  /**
   * {@code X-Twilio-Signature}: base64(HMAC-SHA1(token, url + each param name+value sorted by
   * name)).
   */
  public static String twilio(String url, String formBody) {
    List<String[]> params = new ArrayList<>();
    for (String pair : formBody.split("&")) {
      String[] parts = pair.split("=", 2);
      params.add(new String[] {decode(parts[0]), parts.length > 1 ? decode(parts[1]) : ""});
    }
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder data = new StringBuilder(url);
    params.forEach(p -> data.append(p[0]).append(p[1]));
    return Base64.getEncoder()
        .encodeToString(
            hmac("HmacSHA1", TWILIO_AUTH_TOKEN, data.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code telnyx-signature-ed25519}: base64(Ed25519(private key, "<ts>|<body>")). */
  public static String telnyx(byte[] body, long unixSeconds) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(TELNYX_KEYS.getPrivate());
      signer.update((unixSeconds + "|").getBytes(StandardCharsets.UTF_8));
      signer.update(body);
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fixture from {@code src/test/resources/fixtures}. */
  public static byte[] fixture(String name) {
    try {
      return Files.readAllBytes(Path.of("src/test/resources/fixtures", name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static byte[] hmac(String algorithm, String key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
