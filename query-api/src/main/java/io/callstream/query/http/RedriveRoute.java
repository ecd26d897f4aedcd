package io.callstream.query.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.query.auth.ReadKeys;
import io.callstream.query.redrive.DeadLetters;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /v1/dead-letters/redrive} (operator key): sends dead letters back to the stage that
 * failed, by reason or by call ids, through the same code as {@code callstream dlt redrive}: to the
 * first retry tier, due now, with a mark that keeps them from being sent twice, in one transaction.
 * Body: {@code {"reason": "unknown_agent"}} and/or {@code {"calls": ["<call id>", ...]}}.
 */
public final class RedriveRoute {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("reason", "calls");

  private final DeadLetters deadLetters;
  private final ReadKeys keys;

  /** {@code deadLetters} null: Kafka is not configured, and redrive answers 503. */
  public RedriveRoute(DeadLetters deadLetters, ReadKeys keys) {
    this.deadLetters = deadLetters;
    this.keys = keys;
  }

  public void redrive(Context ctx) {
    if (!Readers.of(ctx, keys).operator()) {
      throw ApiProblem.forbidden("only an operator key may redrive dead letters");
    }
    Params.of(ctx, Set.of());
    JsonNode body;
    try {
      body = JSON.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw ApiProblem.badBody("the body is not JSON: " + e.getMessage());
    }
    if (body == null || !body.isObject()) {
      throw ApiProblem.badBody("the body must be an object with a reason, calls, or both");
    }
    body.fieldNames()
        .forEachRemaining(
            name -> {
              if (!FIELDS.contains(name)) {
                throw ApiProblem.badBody("unknown field '" + name + "'; it takes reason and calls");
              }
            });
    String reason = body.hasNonNull("reason") ? body.path("reason").asText() : null;
    Set<UUID> calls = new HashSet<>();
    for (JsonNode call : body.path("calls")) {
      try {
        calls.add(UUID.fromString(call.asText()));
      } catch (IllegalArgumentException e) {
        throw ApiProblem.badBody("calls: '" + call.asText() + "' is not a call id");
      }
    }
    if (reason == null && calls.isEmpty()) {
      throw ApiProblem.badBody(
          "name a reason, calls, or both: redriving everything is not offered");
    }
    if (deadLetters == null) {
      throw ApiProblem.unavailable(
          "redrive writes to Kafka: set KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL", 60);
    }
    List<Map<String, Object>> redriven = new ArrayList<>();
    for (DeadLetters.Entry entry : deadLetters.redrive(reason, calls)) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", entry.id());
      json.put("call_id", entry.callId().toString());
      json.put("reason", entry.reason());
      redriven.add(json);
    }
    ctx.json(Map.of("redriven", redriven));
  }
}
