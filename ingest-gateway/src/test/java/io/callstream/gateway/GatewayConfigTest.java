package io.callstream.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
  @TempDir Path dir;

  @Test
  void namesEveryMissingOrMalformedVariableAtOnce() {
    Map<String, String> env =
        Map.of(
            "SCHEMA_REGISTRY_URL", "registry:8081",
            "CALLSTREAM_GATEWAY_PORT", "http",
            "CALLSTREAM_PUBLISH_TIMEOUT_MS", "5",
            "CALLSTREAM_GATEWAY_COMPRESSION", "brotli");
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is not set")
        .hasMessageContaining("CALLSTREAM_SOURCES_FILE is not set")
        .hasMessageContaining("SCHEMA_REGISTRY_URL must be an http(s) URL, got 'registry:8081'")
        .hasMessageContaining("CALLSTREAM_GATEWAY_PORT must be a whole number, got 'http'")
        .hasMessageContaining("CALLSTREAM_PUBLISH_TIMEOUT_MS must be between 100 and 120000, got 5")
        .hasMessageContaining(
            "CALLSTREAM_GATEWAY_COMPRESSION must be one of none, lz4, zstd, snappy, gzip, got 'brotli'");
  }

  @Test
  void readsValuesAndDefaults() throws Exception {
    Path sources = Files.writeString(dir.resolve("sources.json"), "{\"sources\": []}");
    GatewayConfig config =
        GatewayConfig.fromEnv(
            Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                    "SCHEMA_REGISTRY_URL", "http://registry:8080/apis/ccompat/v7",
                    "CALLSTREAM_SOURCES_FILE", sources.toString())
                ::get);
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxBodyBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(config.maxAudioBodyBytes()).isEqualTo(25 * 1024 * 1024);
    assertThat(config.compression()).isEqualTo("lz4");
    assertThat(config.publicBaseUrl()).isNull();
  }
}
