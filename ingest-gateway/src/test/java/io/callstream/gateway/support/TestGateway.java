package io.callstream.gateway.support;

import io.callstream.gateway.GatewayApp;
import io.callstream.gateway.GatewayConfig;
import io.callstream.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** A gateway on the real broker and registry, with the test sources, on a free port. */
public final class TestGateway implements AutoCloseable {
  private final GatewayApp app;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Path dir;

  private TestGateway(GatewayApp app, Path dir) {
    this.app = app;
    this.dir = dir;
  }

  public static TestGateway start(
      String bootstrapServers, String registryUrl, Duration publishTimeout) {
    try {
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
        TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
      }
      Path dir = Files.createTempDirectory("callstream-gateway-");
      Path sources = Files.writeString(dir.resolve("sources.json"), Signers.sourcesJson());
      Map<String, String> env = new HashMap<>(Signers.env());
      env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
      env.put("SCHEMA_REGISTRY_URL", registryUrl);
      env.put("CALLSTREAM_SOURCES_FILE", sources.toString());
      env.put("CALLSTREAM_GATEWAY_HOST", "127.0.0.1");
      env.put("CALLSTREAM_GATEWAY_PORT", "0");
      env.put("CALLSTREAM_BLOB_DIR", dir.resolve("blobs").toString());
      env.put("CALLSTREAM_PUBLIC_BASE_URL", "https://hooks.example.test");
      env.put("CALLSTREAM_PUBLISH_TIMEOUT_MS", Long.toString(publishTimeout.toMillis()));
      GatewayApp app =
          GatewayApp.start(GatewayConfig.fromEnv(env::get), env::get, Clock.systemUTC());
      return new TestGateway(app, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test gateway: " + e.getMessage(), e);
    }
  }

  public String url(String path) {
    return "http://127.0.0.1:" + app.port() + path;
  }

  public GatewayApp app() {
    return app;
  }

  public Path blobDir() {
    return dir.resolve("blobs");
  }

  /** POSTs {@code body} with the given headers (name, value, name, value, ...). */
  public HttpResponse<String> post(
      String path, String contentType, byte[] body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create(url(path))).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
