package io.callstream.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the read API refuses or cannot answer, rendered as RFC 9457 {@code
 * application/problem+json}: a status, a short type, a title, a detail saying exactly what was
 * wrong and, for a bad parameter, its name.
 */
public final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int status;
  private final String type;
  private final String title;
  private final String parameter;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private ApiProblem(int status, String type, String title, String detail, String parameter) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.parameter = parameter;
  }

  public static ApiProblem badParameter(String parameter, String detail) {
    return new ApiProblem(400, "bad-parameter", "Bad parameter", detail, parameter);
  }

  public static ApiProblem unauthorized(String detail) {
    ApiProblem problem =
        new ApiProblem(401, "unauthorized", "Key missing or not valid", detail, null);
    problem.headers.put("WWW-Authenticate", "Bearer");
    return problem;
  }

  public static ApiProblem badBody(String detail) {
    return new ApiProblem(400, "bad-body", "Bad body", detail, null);
  }

  public static ApiProblem forbidden(String detail) {
    return new ApiProblem(403, "forbidden", "Not allowed with this key", detail, null);
  }

  public static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "not-found", "Not found", detail, null);
  }

  public static ApiProblem notAcceptable(String detail) {
    return new ApiProblem(406, "not-acceptable", "Not acceptable", detail, null);
  }

  public static ApiProblem rangeNotSatisfiable(String detail) {
    return new ApiProblem(416, "range-not-satisfiable", "Range not satisfiable", detail, null);
  }

  public static ApiProblem conflict(String detail) {
    return new ApiProblem(409, "conflict", "Conflict", detail, null);
  }

  public static ApiProblem unavailable(String detail, int retryAfterSeconds) {
    ApiProblem problem = new ApiProblem(503, "unavailable", "Cannot answer now", detail, null);
    problem.headers.put("Retry-After", Integer.toString(retryAfterSeconds));
    return problem;
  }

  /** A refusal of the HTTP server itself, before any handler saw the request. */
  public static ApiProblem fromServer(int status, String reason, String detail) {
    return new ApiProblem(status, "http-" + status, reason, detail, null);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The problem document for a request to {@code path}. */
  public String json(String path) {
    ObjectNode body = JSON.createObjectNode();
    body.put("type", "urn:callstream:problem:" + type);
    body.put("title", title);
    body.put("status", status);
    body.put("detail", getMessage());
    body.put("instance", path);
    if (parameter != null) {
      body.put("parameter", parameter);
    }
    return body.toString();
  }
}
