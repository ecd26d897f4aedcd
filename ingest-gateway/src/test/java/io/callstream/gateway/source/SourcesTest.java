package io.callstream.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.events.Provider;
import io.callstream.gateway.support.Signers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesTest {
  @TempDir Path dir;

  @Test
  void loadsSourcesWithSecretsFromTheEnvironmentAndLimitsByProvider() throws Exception {
    Path file = Files.writeString(dir.resolve("s.json"), Signers.sourcesJson());
    Sources sources = Sources.load(file, Signers.env()::get, 1000, 5000);

    Source elevenLabs = sources.find("elevenlabs").orElseThrow();
    assertThat(elevenLabs.provider()).isEqualTo(Provider.ELEVENLABS);
    assertThat(elevenLabs.tenantId()).isEqualTo("acme");
    assertThat(elevenLabs.maxBodyBytes()).isEqualTo(5000);
    assertThat(sources.find("vapi").orElseThrow().auth()).isEqualTo("secret");
    assertThat(sources.find("vapi-hmac").orElseThrow().auth()).isEqualTo("hmac");
    assertThat(sources.find("retell").orElseThrow().maxBodyBytes()).isEqualTo(1000);
    assertThat(sources.secretOf(elevenLabs)).isEqualTo(Signers.ELEVENLABS_SECRET);
    assertThat(sources.find("nope")).isEmpty();
    assertThat(sources.apiKeys().tenantFor(Signers.ACME_API_KEY)).contains("acme");
    assertThat(sources.apiKeys().tenantFor(Signers.ACME_API_KEY + "x")).isEmpty();
    // The secret is not part of the source, so logging a source never shows it.
    assertThat(elevenLabs.toString()).doesNotContain(Signers.ELEVENLABS_SECRET);
  }

  @Test
  void listsEveryProblemInTheFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.json"),
            """
            {"sources": [
              {"id": "a b", "provider": "vapi", "secret_env": "X"},
              {"id": "ok", "provider": "bandwidth", "secret_env": "X"},
              {"id": "v", "provider": "vapi", "secret_env": "MISSING_SECRET", "auth": "oauth"},
              {"id": "t", "provider": "twilio"}
            ],
            "api_keys": [{"tenant": "acme", "sha256": "abc"}]}
            """);
    assertThatThrownBy(() -> Sources.load(file, Map.<String, String>of()::get, 1, 1))
        .hasMessageContaining("sources[0]: id must be 1-64 letters")
        .hasMessageContaining(
            "sources[1]: provider must be one of elevenlabs, vapi, retell, twilio, telnyx, got 'bandwidth'")
        .hasMessageContaining("sources[2]: auth for vapi must be 'secret' or 'hmac', got 'oauth'")
        .hasMessageContaining(
            "environment variable MISSING_SECRET (secret of source 'v') is not set")
        .hasMessageContaining(
            "sources[3]: secret_env (the environment variable holding the secret) is required")
        .hasMessageContaining("api_keys[0]");
  }
}
