package io.callstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.avro.Schema;

/**
 * A client for the Confluent Schema Registry REST API (v7), over OkHttp. Works against any registry
 * that speaks it: Confluent's, Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda.
 *
 * <p>Schemas are cached by id and ids by subject and schema, so the serdes ask the registry once
 * per schema. A connection failure is retried with a growing pause; an answer outside 2xx becomes a
 * {@link SchemaRegistryException} that carries the status, the registry's error code and message.
 */
public final class SchemaRegistryClient implements SchemaRegistry {

  private static final MediaType REGISTRY_JSON =
      MediaType.get("application/vnd.schemaregistry.v1+json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpUrl baseUrl;
  private final OkHttpClient http;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, Schema schema) {}

  /** A schema as registered under a subject. */
  public record RegisteredSchema(String subject, int version, int id, Schema schema) {}

  /** A client with a 10 s timeout that tries each request up to 3 times on connection failures. */
  public SchemaRegistryClient(String baseUrl) {
    this(
        baseUrl,
        new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build(),
        3,
        Duration.ofMillis(200));
  }

  public SchemaRegistryClient(
      String baseUrl, OkHttpClient http, int maxAttempts, Duration firstBackoff) {
    HttpUrl parsed = HttpUrl.parse(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    if (parsed == null) {
      throw new IllegalArgumentException("not an http(s) URL for a schema registry: " + baseUrl);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.baseUrl = parsed;
    this.http = http;
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
  }

  /** The registry's base URL, ending in a slash. */
  public String baseUrl() {
    return baseUrl.toString();
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", "subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = answer.path("id").asInt();
    remember(key, id);
    return id;
  }

  @Override
  public int idOf(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    return cached != null ? cached : lookup(subject, schema).id();
  }

  /** The version and id of {@code schema} under {@code subject}; 404 when it is not registered. */
  public RegisteredSchema lookup(String subject, Schema schema) {
    JsonNode answer = send("POST", "subjects/" + encode(subject), schemaBody(schema));
    RegisteredSchema registered =
        new RegisteredSchema(
            subject, answer.path("version").asInt(), answer.path("id").asInt(), schema);
    remember(new SubjectSchema(subject, schema), registered.id());
    return registered;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("GET", "schemas/ids/" + id, null);
    Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  /** The latest version registered under {@code subject}. */
  public RegisteredSchema latest(String subject) {
    JsonNode answer = send("GET", "subjects/" + encode(subject) + "/versions/latest", null);
    Schema schema = parse(answer.path("schema").asText(), "subject " + subject);
    int id = answer.path("id").asInt();
    schemasById.putIfAbsent(id, schema);
    return new RegisteredSchema(subject, answer.path("version").asInt(), id, schema);
  }

  /** Every subject the registry holds. */
  public List<String> subjects() {
    List<String> subjects = new ArrayList<>();
    send("GET", "subjects", null).forEach(node -> subjects.add(node.asText()));
    return subjects;
  }

  /**
   * True when {@code schema} may be registered under {@code subject} by its compatibility rule; a
   * subject that does not exist yet accepts anything.
   */
  @Override
  public boolean isCompatible(String subject, Schema schema) {
    try {
      JsonNode answer =
          send(
              "POST",
              "compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(schema));
      return answer.path("is_compatible").asBoolean();
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return true;
      }
      throw e;
    }
  }

  /** The registry-wide compatibility rule. */
  public Compatibility globalCompatibility() {
    return readCompatibility(send("GET", "config", null));
  }

  /** Sets the registry-wide compatibility rule. */
  public void setGlobalCompatibility(Compatibility compatibility) {
    send("PUT", "config", compatibilityBody(compatibility));
  }

  /** The compatibility rule set on {@code subject} itself; 404 when it has none of its own. */
  public Compatibility compatibility(String subject) {
    return readCompatibility(send("GET", "config/" + encode(subject), null));
  }

  /** Sets the compatibility rule of one subject. */
  public void setCompatibility(String subject, Compatibility compatibility) {
    send("PUT", "config/" + encode(subject), compatibilityBody(compatibility));
  }

  private void remember(SubjectSchema key, int id) {
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, key.schema());
  }

  private static Compatibility readCompatibility(JsonNode answer) {
    // Confluent answers with compatibilityLevel; PUT echoes compatibility.
    String level = answer.path("compatibilityLevel").asText(answer.path("compatibility").asText());
    try {
      return Compatibility.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(200, 0, "unknown compatibility level in answer: " + answer);
    }
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schemaType", "AVRO");
    body.put("schema", schema.toString());
    return body.toString();
  }

  private static String compatibilityBody(Compatibility compatibility) {
    return JSON.createObjectNode().put("compatibility", compatibility.name()).toString();
  }

  private static Schema parse(String text, String what) {
    try {
      return new Schema.Parser().parse(text);
    } catch (RuntimeException e) {
      throw new SchemaRegistryException(
          200, 0, "the registry returned an unparsable Avro schema for " + what, e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode send(String method, String path, String body) {
    Request request =
        new Request.Builder()
            .url(baseUrl + path)
            .header("Accept", "application/vnd.schemaregistry.v1+json, application/json")
            .method(method, body == null ? null : RequestBody.create(body, REGISTRY_JSON))
            .build();
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try (Response response = http.newCall(request).execute()) {
        String text = response.body().string();
        if (!response.isSuccessful()) {
          throw error(method, path, response.code(), text);
        }
        return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
      } catch (IOException e) {
        lastFailure = e;
        if (attempt < maxAttempts) {
          pause(firstBackoff.multipliedBy(1L << (attempt - 1)));
        }
      }
    }
    throw new SchemaRegistryException(
        0,
        0,
        "could not reach the schema registry at "
            + baseUrl
            + " for "
            + method
            + " /"
            + path
            + " after "
            + maxAttempts
            + " tries: "
            + lastFailure.getMessage(),
        lastFailure);
  }

  private SchemaRegistryException error(String method, String path, int status, String body) {
    int errorCode = 0;
    String message = body;
    try {
      JsonNode json = JSON.readTree(body);
      errorCode = json.path("error_code").asInt(0);
      message = json.path("message").asText(body);
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body as the message
    }
    return new SchemaRegistryException(
        status,
        errorCode,
        "schema registry at "
            + baseUrl
            + " answered "
            + status
            + (errorCode != 0 ? " (error " + errorCode + ")" : "")
            + " to "
            + method
            + " /"
            + path
            + ": "
            + message);
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(0, 0, "interrupted while retrying the schema registry", e);
    }
  }
}
