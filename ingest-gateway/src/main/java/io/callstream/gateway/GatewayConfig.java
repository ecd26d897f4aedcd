package io.callstream.gateway;

import io.callstream.config.EnvironmentReader;
import io.callstream.schemas.topics.SizeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The gateway's configuration, read from the environment and checked at start; a bad value fails
 * with one message naming every missing or malformed variable.
 *
 * @param host {@code CALLSTREAM_GATEWAY_HOST}, default 0.0.0.0
 * @param port {@code CALLSTREAM_GATEWAY_PORT}, default 8080 (0 picks a free port)
 * @param bootstrapServers {@code KAFKA_BOOTSTRAP_SERVERS}, required
 * @param schemaRegistryUrl {@code SCHEMA_REGISTRY_URL}, required
 * @param sourcesFile {@code CALLSTREAM_SOURCES_FILE}: the webhook sources and API keys, required
 * @param publicBaseUrl {@code CALLSTREAM_PUBLIC_BASE_URL}: the URL the providers call, which Twilio
 *     signs (the gateway may sit behind a proxy); the request's own URL when unset
 * @param blobDir {@code CALLSTREAM_BLOB_DIR}: where webhook audio is kept, default
 *     .callstream/blobs
 * @param publishTimeout {@code CALLSTREAM_PUBLISH_TIMEOUT_MS}: how long to wait for Kafka before a
 *     503, default 5000
 * @param maxBodyBytes {@code CALLSTREAM_MAX_BODY_BYTES}: the largest call body, default and at most
 *     {@link SizeLimits#MAX_CALL_BODY_BYTES}
 * @param maxAudioBodyBytes {@code CALLSTREAM_MAX_AUDIO_BODY_BYTES}: for sources that send audio
 *     inline (ElevenLabs), default 25 MiB; the audio goes to the blob store, and their call events
 *     are held to {@code maxBodyBytes}
 * @param compression {@code CALLSTREAM_GATEWAY_COMPRESSION}: the producer's compression (none, lz4,
 *     zstd, snappy, gzip), default lz4
 * @param lingerMs {@code CALLSTREAM_GATEWAY_LINGER_MS}: how long the producer waits to fill a
 *     batch, default 2
 */
public record GatewayConfig(
    String host,
    int port,
    String bootstrapServers,
    String schemaRegistryUrl,
    Path sourcesFile,
    String publicBaseUrl,
    Path blobDir,
    Duration publishTimeout,
    long maxBodyBytes,
    long maxAudioBodyBytes,
    String compression,
    int lingerMs) {

  public static GatewayConfig fromEnv(Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    EnvironmentReader read = new EnvironmentReader(env, problems);
    GatewayConfig config =
        new GatewayConfig(
            read.text("CALLSTREAM_GATEWAY_HOST", "0.0.0.0"),
            (int) read.number("CALLSTREAM_GATEWAY_PORT", 8080, 0, 65_535),
            read.required("KAFKA_BOOTSTRAP_SERVERS"),
            read.url("SCHEMA_REGISTRY_URL", true),
            read.existingFile("CALLSTREAM_SOURCES_FILE"),
            read.url("CALLSTREAM_PUBLIC_BASE_URL", false),
            Path.of(read.text("CALLSTREAM_BLOB_DIR", ".callstream/blobs")),
            Duration.ofMillis(read.number("CALLSTREAM_PUBLISH_TIMEOUT_MS", 5_000, 100, 120_000)),
            read.number(
                "CALLSTREAM_MAX_BODY_BYTES",
                SizeLimits.MAX_CALL_BODY_BYTES,
                1024,
                SizeLimits.MAX_CALL_BODY_BYTES),
            read.number(
                "CALLSTREAM_MAX_AUDIO_BODY_BYTES", 25L * 1024 * 1024, 1024, Integer.MAX_VALUE),
            read.oneOf(
                "CALLSTREAM_GATEWAY_COMPRESSION",
                "lz4",
                List.of("none", "lz4", "zstd", "snappy", "gzip")),
            (int) read.number("CALLSTREAM_GATEWAY_LINGER_MS", 2, 0, 1_000));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "the gateway cannot start:\n  " + String.join("\n  ", problems));
    }
    return config;
  }
}
