package io.callstream.gateway.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.Provider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The configured webhook sources and tenant API keys, read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "sources": [
 *     {"id": "elevenlabs", "provider": "elevenlabs", "secret_env": "ELEVENLABS_WEBHOOK_SECRET", "tenant": "acme"},
 *     {"id": "vapi", "provider": "vapi", "secret_env": "VAPI_WEBHOOK_SECRET", "auth": "hmac"},
 *     {"id": "twilio", "provider": "twilio", "secret_env": "TWILIO_AUTH_TOKEN", "tenant": "acme"}
 *   ],
 *   "api_keys": [{"tenant": "acme", "sha256": "<64 hex digits>"}]
 * }
 * }</pre>
 *
 * Each source's secret is read from the environment variable it names, at load time; a missing one
 * fails the load with every problem listed.
 */
public final class Sources {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Provider> WEBHOOK_PROVIDERS =
      Set.of(Provider.ELEVENLABS, Provider.VAPI, Provider.RETELL, Provider.TWILIO, Provider.TELNYX);

  private final Map<String, Source> sources;
  private final Map<String, String> secrets;
  private final ApiKeys apiKeys;

  public Sources(Map<String, Source> sources, Map<String, String> secrets, ApiKeys apiKeys) {
    this.sources = Map.copyOf(sources);
    this.secrets = Map.copyOf(secrets);
    this.apiKeys = apiKeys;
  }

  /** Reads the sources file, taking secrets from {@code env}. */
  public static Sources load(
      Path file, Function<String, String> env, long maxBodyBytes, long maxAudioBodyBytes) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read sources file " + file + ": " + e.getMessage(), e);
    }
    List<String> problems = new ArrayList<>();
    Map<String, Source> sources = new LinkedHashMap<>();
    Map<String, String> secrets = new LinkedHashMap<>();
    JsonNode list = root.path("sources");
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      String where = file + ": sources[" + i + "]";
      String id = entry.path("id").asText("");
      String providerName = entry.path("provider").asText("");
      String secretEnv = entry.path("secret_env").asText("");
      String tenant = entry.hasNonNull("tenant") ? entry.get("tenant").asText() : null;
      String auth =
          entry.hasNonNull("auth") ? entry.get("auth").asText().toLowerCase(Locale.ROOT) : null;
      if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
        problems.add(
            where + ": id must be 1-64 letters, digits, '.', '_' or '-', got '" + id + "'");
        continue;
      }
      if (sources.containsKey(id)) {
        problems.add(where + ": id '" + id + "' is used twice");
        continue;
      }
      Provider provider;
      try {
        provider = Provider.valueOf(providerName.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        provider = null;
      }
      if (provider == null || !WEBHOOK_PROVIDERS.contains(provider)) {
        problems.add(
            where
                + ": provider must be one of elevenlabs, vapi, retell, twilio, telnyx, got '"
                + providerName
                + "'");
        continue;
      }
      if (provider == Provider.VAPI
          && auth != null
          && !auth.equals("secret")
          && !auth.equals("hmac")) {
        problems.add(where + ": auth for vapi must be 'secret' or 'hmac', got '" + auth + "'");
      }
      if (provider == Provider.VAPI && auth == null) {
        auth = "secret";
      }
      String secret = secretEnv.isEmpty() ? null : env.apply(secretEnv);
      if (secretEnv.isEmpty()) {
        problems.add(
            where + ": secret_env (the environment variable holding the secret) is required");
      } else if (secret == null || secret.isBlank()) {
        problems.add(
            where
                + ": environment variable "
                + secretEnv
                + " (secret of source '"
                + id
                + "') is not set");
      }
      long limit = provider == Provider.ELEVENLABS ? maxAudioBodyBytes : maxBodyBytes;
      sources.put(id, new Source(id, provider, secretEnv, tenant, auth, limit));
      if (secret != null) {
        secrets.put(id, secret);
      }
    }
    List<ApiKeys.ApiKey> keys = new ArrayList<>();
    JsonNode keyList = root.path("api_keys");
    for (int i = 0; i < keyList.size(); i++) {
      JsonNode entry = keyList.get(i);
      String tenant = entry.path("tenant").asText("");
      try {
        if (tenant.isBlank()) {
          throw new IllegalArgumentException("tenant is required");
        }
        keys.add(ApiKeys.hashed(tenant, entry.path("sha256").asText("")));
      } catch (IllegalArgumentException e) {
        problems.add(file + ": api_keys[" + i + "]: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid sources configuration:\n  " + String.join("\n  ", problems));
    }
    return new Sources(sources, secrets, new ApiKeys(keys));
  }

  public Optional<Source> find(String id) {
    return Optional.ofNullable(sources.get(id));
  }

  /** The secret of a source found by {@link #find}. */
  public String secretOf(Source source) {
    return secrets.get(source.id());
  }

  public ApiKeys apiKeys() {
    return apiKeys;
  }

  public List<Source> all() {
    return List.copyOf(sources.values());
  }
}
