package io.callstream.query.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The read API's keys, known only by their SHA-256 hashes: each tenant key reads its own tenant's
 * calls, an operator key reads every tenant's. A presented key is hashed and compared with every
 * stored hash in constant time. The keys file:
 *
 * <pre>{"read_keys": [{"tenant": "acme", "sha256": "&lt;64 hex digits&gt;"}],
 *  "operator_keys": [{"sha256": "&lt;64 hex digits&gt;"}]}</pre>
 */
public final class ReadKeys {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Who a key lets in: one tenant, or (tenant null) the operator. */
  public record Reader(String tenantId) {
    public boolean operator() {
      return tenantId == null;
    }
  }

  private record Key(Reader reader, byte[] sha256) {}

  private final List<Key> keys;

  private ReadKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Reads the keys file; every malformed entry is named in one message. */
  public static ReadKeys load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the read keys file " + file + ": " + e.getMessage(), e);
    }
    List<Key> keys = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    JsonNode tenants = root.path("read_keys");
    for (int i = 0; i < tenants.size(); i++) {
      String tenant = tenants.get(i).path("tenant").asText("");
      if (tenant.isBlank()) {
        problems.add("read_keys[" + i + "]: tenant is missing");
        continue;
      }
      parse(tenants.get(i), "read_keys[" + i + "]", problems)
          .ifPresent(hash -> keys.add(new Key(new Reader(tenant), hash)));
    }
    JsonNode operators = root.path("operator_keys");
    for (int i = 0; i < operators.size(); i++) {
      parse(operators.get(i), "operator_keys[" + i + "]", problems)
          .ifPresent(hash -> keys.add(new Key(new Reader(null), hash)));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
    }
    return new ReadKeys(keys);
  }

  /** The keys of {@code tenantKeys} (tenant to plain key) and {@code operatorKeys}, hashed here. */
  public static ReadKeys of(java.util.Map<String, String> tenantKeys, List<String> operatorKeys) {
    List<Key> keys = new ArrayList<>();
    tenantKeys.forEach((tenant, key) -> keys.add(new Key(new Reader(tenant), sha256(key))));
    operatorKeys.forEach(key -> keys.add(new Key(new Reader(null), sha256(key))));
    return new ReadKeys(keys);
  }

  /** The reader a presented key lets in, if any. */
  public Optional<Reader> readerFor(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presentedKey);
    Reader found = null;
    for (Key key : keys) {
      // No early exit: every hash is compared, so timing says nothing of which key matched.
      if (MessageDigest.isEqual(key.sha256(), hash) && found == null) {
        found = key.reader();
      }
    }
    return Optional.ofNullable(found);
  }

  /** The hex SHA-256 of a key, as the keys file holds it. */
  public static String hashOf(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  private static Optional<byte[]> parse(JsonNode entry, String where, List<String> problems) {
    String hex = entry.path("sha256").asText("").trim().toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      problems.add(where + ": sha256 must be 64 hex digits");
      return Optional.empty();
    }
    return Optional.of(HexFormat.of().parseHex(hex));
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
