package io.callstream.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.gateway.provider.WebhookRejected;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the gateway refuses, answered as RFC 9457 {@code application/problem+json}: a status, a
 * short machine-readable type, a title and a detail saying exactly what was wrong (and, for payload
 * errors, which field). Thrown anywhere while a request is handled; one exception handler renders
 * it. Nothing is written to Kafka for a request that ends in a problem.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final String type;
  private final String title;
  private final String field;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private Problem(int status, String type, String title, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.field = field;
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not found", detail, null);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "unauthorized", "Signature or credentials rejected", detail, null);
  }

  public static Problem unsupportedMediaType(String detail) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type", detail, null);
  }

  public static Problem tooLarge(String detail) {
    return new Problem(413, "payload-too-large", "Payload too large", detail, null);
  }

  public static Problem malformed(String detail) {
    return new Problem(400, "malformed-body", "Malformed body", detail, null);
  }

  /** A well-formed body that lacks a required field or has one of the wrong shape. */
  public static Problem invalidField(String field, String detail) {
    return new Problem(422, "invalid-field", "Invalid or missing field", detail, field);
  }

  public static Problem unavailable(String detail, int retryAfterSeconds) {
    Problem problem = new Problem(503, "unavailable", "Cannot store the event now", detail, null);
    problem.headers.put("Retry-After", Integer.toString(retryAfterSeconds));
    return problem;
  }

  /** An adapter's refusal, as HTTP answers it: 401, 400, or 422 naming the field. */
  public static Problem of(WebhookRejected rejected) {
    return switch (rejected) {
      case WebhookRejected.BadSignature bad -> unauthorized(bad.getMessage());
      case WebhookRejected.Malformed malformed -> malformed(malformed.getMessage());
      case WebhookRejected.InvalidField invalid ->
          invalidField(invalid.field(), invalid.getMessage());
    };
  }

  /**
   * A request the HTTP server itself refused before any handler saw it (a malformed header, say),
   * with the server's reason for its status.
   */
  public static Problem fromServer(int status, String reason, String detail) {
    return new Problem(status, "http-" + status, reason, detail, null);
  }

  /** The problem document for a request to {@code path}. */
  public String json(String path) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "urn:callstream:problem:" + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail());
    body.put("instance", path);
    if (field != null) {
      body.put("field", field);
    }
    return body.toString();
  }

  /** This problem with a response header added (e.g. {@code WWW-Authenticate}). */
  public Problem withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** The payload field at fault, as a dotted path, or null. */
  public String field() {
    return field;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
