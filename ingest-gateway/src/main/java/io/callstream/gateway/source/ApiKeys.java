package io.callstream.gateway.source;

import io.callstream.gateway.provider.Signatures;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Tenant API keys for the generic endpoints, known only by their SHA-256 hashes. A presented key is
 * hashed and compared against every stored hash in constant time.
 */
public final class ApiKeys {

  /** One key's hash and the tenant it authenticates. */
  public record ApiKey(String tenantId, byte[] sha256) {}

  private final List<ApiKey> keys;

  public ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Parses a hex SHA-256 hash as written in the sources file. */
  public static ApiKey hashed(String tenantId, String sha256Hex) {
    byte[] hash = HexFormat.of().parseHex(sha256Hex.trim().toLowerCase(java.util.Locale.ROOT));
    if (hash.length != 32) {
      throw new IllegalArgumentException("an API key hash must be 64 hex digits (SHA-256)");
    }
    return new ApiKey(tenantId, hash);
  }

  /** The tenant a presented key belongs to. */
  public Optional<String> tenantFor(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = Signatures.sha256(Signatures.utf8(presentedKey));
    String tenant = null;
    for (ApiKey key : keys) {
      // No early exit: every hash is compared, so timing says nothing of which key matched.
      if (Signatures.constantTimeEquals(key.sha256(), hash) && tenant == null) {
        tenant = key.tenantId();
      }
    }
    return Optional.ofNullable(tenant);
  }

  public int size() {
    return keys.size();
  }
}
