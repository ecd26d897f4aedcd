package io.callstream.cli.dev;

import io.callstream.query.auth.ReadKeys;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The webhook secrets and tenant API keys of the local stack: generated the first time, then kept
 * in {@code secrets.properties} (readable by its owner only) in the data folder, and handed to the
 * gateway as the environment variables its sources name. The sources file holds only the names and
 * the keys' hashes.
 */
public final class DevSecrets {
  public static final String ELEVENLABS = "ELEVENLABS_WEBHOOK_SECRET";
  public static final String VAPI = "VAPI_WEBHOOK_SECRET";
  public static final String RETELL = "RETELL_API_KEY";
  public static final String TWILIO = "TWILIO_AUTH_TOKEN";
  public static final String ACME_API_KEY = "acme.api_key";
  public static final String GLOBEX_API_KEY = "globex.api_key";
  public static final String ACME_READ_KEY = "acme.read_key";
  public static final String GLOBEX_READ_KEY = "globex.read_key";
  public static final String OPERATOR_KEY = "operator.read_key";
  private static final List<String> NAMES =
      List.of(
          ELEVENLABS,
          VAPI,
          RETELL,
          TWILIO,
          ACME_API_KEY,
          GLOBEX_API_KEY,
          ACME_READ_KEY,
          GLOBEX_READ_KEY,
          OPERATOR_KEY);
  private static final String FILE = "secrets.properties";

  private final Map<String, String> values;

  private DevSecrets(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** The secrets kept in {@code dataDir}, creating the ones missing. */
  public static DevSecrets loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    Properties stored = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file)) {
        stored.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    SecureRandom random = new SecureRandom();
    Map<String, String> values = new LinkedHashMap<>();
    boolean created = false;
    for (String name : NAMES) {
      String value = stored.getProperty(name);
      if (value == null) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        value =
            (name.endsWith("read_key") ? "csr_" : name.endsWith("api_key") ? "cs_" : "whsec_")
                + HexFormat.of().formatHex(bytes);
        created = true;
      }
      values.put(name, value);
    }
    if (created) {
      Properties properties = new Properties();
      properties.putAll(values);
      try {
        Files.createDirectories(dataDir);
        try (Writer out = Files.newBufferedWriter(file)) {
          properties.store(out, "callstream dev: demo webhook secrets and tenant API keys");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
    return new DevSecrets(values);
  }

  /** One secret of a data folder's stack, read without creating anything. */
  public static Optional<String> stored(Path dataDir, String name) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties stored = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      stored.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(stored.getProperty(name));
  }

  public String get(String name) {
    return values.get(name);
  }

  /** The gateway's sources file: one source per provider, secrets named, API keys hashed. */
  String sourcesJson() {
    return """
        {
          "sources": [
            {"id": "elevenlabs", "provider": "elevenlabs", "secret_env": "%s"},
            {"id": "vapi", "provider": "vapi", "secret_env": "%s"},
            {"id": "retell", "provider": "retell", "secret_env": "%s"},
            {"id": "twilio", "provider": "twilio", "secret_env": "%s", "tenant": "globex"}
          ],
          "api_keys": [
            {"tenant": "acme", "sha256": "%s"},
            {"tenant": "globex", "sha256": "%s"}
          ]
        }
        """
        .formatted(
            ELEVENLABS,
            VAPI,
            RETELL,
            TWILIO,
            ReadKeys.hashOf(values.get(ACME_API_KEY)),
            ReadKeys.hashOf(values.get(GLOBEX_API_KEY)));
  }

  /** The query API's keys file: each tenant's read key and the operator's, hashed. */
  String readKeysJson() {
    return """
        {
          "read_keys": [
            {"tenant": "acme", "sha256": "%s"},
            {"tenant": "globex", "sha256": "%s"}
          ],
          "operator_keys": [{"sha256": "%s"}]
        }
        """
        .formatted(
            ReadKeys.hashOf(values.get(ACME_READ_KEY)),
            ReadKeys.hashOf(values.get(GLOBEX_READ_KEY)),
            ReadKeys.hashOf(values.get(OPERATOR_KEY)));
  }

  /** The environment variables the sources name. */
  Map<String, String> environment() {
    return Map.of(
        ELEVENLABS, values.get(ELEVENLABS),
        VAPI, values.get(VAPI),
        RETELL, values.get(RETELL),
        TWILIO, values.get(TWILIO));
  }
}
