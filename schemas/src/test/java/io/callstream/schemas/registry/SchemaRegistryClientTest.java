package io.callstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

  private static final Schema CALL = InMemorySchemaRegistryTest.V1;

  private final MockWebServer server = new MockWebServer();
  private SchemaRegistryClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = new SchemaRegistryClient(server.url("/apis/ccompat/v7").toString());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void registersUnderTheSubjectAndCachesTheId() throws Exception {
    server.enqueue(json(200, "{\"id\":21}"));

    assertThat(client.register("calls.ended.v1-value", CALL)).isEqualTo(21);
    assertThat(client.register("calls.ended.v1-value", CALL)).isEqualTo(21);
    assertThat(client.idOf("calls.ended.v1-value", CALL)).isEqualTo(21);
    assertThat(client.schemaById(21)).isEqualTo(CALL);

    assertThat(server.getRequestCount()).isEqualTo(1);
    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/apis/ccompat/v7/subjects/calls.ended.v1-value/versions");
    assertThat(request.getHeaders().get("Content-Type"))
        .startsWith("application/vnd.schemaregistry.v1+json");
    assertThat(request.getBody().utf8())
        .contains("\"schemaType\":\"AVRO\"")
        .contains("\\\"name\\\":\\\"Call\\\"");
  }

  @Test
  void fetchesASchemaByIdOnceThenServesItFromTheCache() {
    server.enqueue(json(200, "{\"schema\":" + quote(CALL.toString()) + "}"));

    assertThat(client.schemaById(7)).isEqualTo(CALL);
    assertThat(client.schemaById(7)).isEqualTo(CALL);

    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void looksUpVersionAndId() {
    server.enqueue(
        json(
            200,
            "{\"subject\":\"s\",\"version\":3,\"id\":12,\"schema\":"
                + quote(CALL.toString())
                + "}"));
    SchemaRegistryClient.RegisteredSchema found = client.lookup("s", CALL);
    assertThat(found.version()).isEqualTo(3);
    assertThat(found.id()).isEqualTo(12);
  }

  @Test
  void mapsAnIncompatibleSchemaTo409WithTheRegistrysMessage() {
    server.enqueue(
        json(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));

    assertThatThrownBy(() -> client.register("calls-value", CALL))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.isIncompatible()).isTrue();
            })
        .hasMessageContaining("answered 409 (error 409) to POST /subjects/calls-value/versions")
        .hasMessageContaining("Schema being registered is incompatible");
  }

  @Test
  void mapsNotFoundAndKeepsANonJsonBodyAsTheMessage() {
    server.enqueue(json(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));
    assertThatThrownBy(() -> client.schemaById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));

    server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad Gateway</html>").build());
    assertThatThrownBy(() -> client.schemaById(100))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(502))
        .hasMessageContaining("<html>Bad Gateway</html>");
  }

  @Test
  void aSubjectThatDoesNotExistAcceptsAnySchema() {
    server.enqueue(json(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"));
    assertThat(client.isCompatible("new-value", CALL)).isTrue();
    server.enqueue(json(200, "{\"is_compatible\":false}"));
    assertThat(client.isCompatible("old-value", CALL)).isFalse();
  }

  @Test
  void readsAndSetsCompatibility() throws Exception {
    server.enqueue(json(200, "{\"compatibilityLevel\":\"FULL\"}"));
    assertThat(client.globalCompatibility()).isEqualTo(Compatibility.FULL);
    server.enqueue(json(200, "{\"compatibility\":\"BACKWARD\"}"));
    client.setCompatibility("calls-value", Compatibility.BACKWARD);
    server.takeRequest();
    RecordedRequest put = server.takeRequest();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getUrl().encodedPath()).endsWith("/config/calls-value");
    assertThat(put.getBody().utf8()).isEqualTo("{\"compatibility\":\"BACKWARD\"}");
  }

  @Test
  void retriesAConnectionFailureAndThenSucceeds() {
    AtomicInteger attempts = new AtomicInteger();
    OkHttpClient flaky =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  if (attempts.incrementAndGet() < 3) {
                    throw new IOException("connection reset");
                  }
                  return chain.proceed(chain.request());
                })
            .build();
    SchemaRegistryClient retrying =
        new SchemaRegistryClient(server.url("/").toString(), flaky, 3, Duration.ofMillis(1));
    server.enqueue(json(200, "{\"id\":5}"));

    assertThat(retrying.register("s", CALL)).isEqualTo(5);
    assertThat(attempts).hasValue(3);
  }

  @Test
  void givesUpAfterTheLastTryNamingTheRegistry() {
    OkHttpClient down =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  throw new IOException("Connection refused");
                })
            .build();
    SchemaRegistryClient failing =
        new SchemaRegistryClient("http://127.0.0.1:9/", down, 2, Duration.ofMillis(1));
    assertThatThrownBy(() -> failing.schemaById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isZero())
        .hasMessage(
            "could not reach the schema registry at http://127.0.0.1:9/ for GET /schemas/ids/1 after 2 tries: Connection refused");
  }

  @Test
  void rejectsABaseUrlThatIsNotHttp() {
    assertThatThrownBy(() -> new SchemaRegistryClient("registry:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("registry:8081");
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/vnd.schemaregistry.v1+json")
        .body(body)
        .build();
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
