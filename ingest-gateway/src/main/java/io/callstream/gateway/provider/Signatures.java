package io.callstream.gateway.provider;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The MACs and digests providers sign with, and constant-time comparison of their results. */
public final class Signatures {
  private static final HexFormat HEX = HexFormat.of();
  private static final Map<String, Queue<Mac>> MACS = new ConcurrentHashMap<>();

  private Signatures() {}

  public static byte[] hmacSha256(String key, byte[]... parts) {
    return hmac("HmacSHA256", key, parts);
  }

  public static byte[] hmacSha1(String key, byte[]... parts) {
    return hmac("HmacSHA1", key, parts);
  }

  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Compares in time independent of where the inputs differ. */
  public static boolean constantTimeEquals(byte[] expected, byte[] actual) {
    return actual != null && MessageDigest.isEqual(expected, actual);
  }

  /**
   * Compares a computed MAC with a hex string from a header, in constant time; bad hex is a
   * mismatch.
   */
  public static boolean matchesHex(byte[] expected, String actualHex) {
    if (actualHex == null || actualHex.length() != expected.length * 2) {
      return false;
    }
    try {
      return constantTimeEquals(
          expected, HEX.parseHex(actualHex.toLowerCase(java.util.Locale.ROOT)));
    } catch (IllegalArgumentException notHex) {
      return false;
    }
  }

  /** The parts of a header like {@code t=123,v0=abc} by name; the first of a repeated name wins. */
  public static java.util.Map<String, String> headerParts(String header) {
    java.util.Map<String, String> parts = new java.util.HashMap<>();
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=", 2);
      if (pair.length == 2) {
        parts.putIfAbsent(pair[0], pair[1]);
      }
    }
    return parts;
  }

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(String algorithm, String key, byte[]... parts) {
    // Mac.getInstance and init cost more than hashing a webhook; initialised instances are reused.
    Queue<Mac> pool =
        MACS.computeIfAbsent(algorithm + '\u0000' + key, k -> new ConcurrentLinkedQueue<>());
    Mac mac = pool.poll();
    try {
      if (mac == null) {
        mac = Mac.getInstance(algorithm);
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      }
      for (byte[] part : parts) {
        mac.update(part);
      }
      byte[] result = mac.doFinal();
      pool.offer(mac);
      return result;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }
}
