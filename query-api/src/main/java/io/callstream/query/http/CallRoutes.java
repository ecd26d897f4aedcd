package io.callstream.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.CallStatus;
import io.callstream.events.CriterionVerdict;
import io.callstream.events.Direction;
import io.callstream.events.Provider;
import io.callstream.events.Sentiment;
import io.callstream.events.SuccessVerdict;
import io.callstream.query.auth.ReadKeys;
import io.callstream.query.auth.ReadKeys.Reader;
import io.callstream.sinks.read.CallFilter;
import io.callstream.sinks.read.CallReads;
import io.callstream.sinks.search.SimilarCalls;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;

/** {@code GET /v1/calls} and {@code GET /v1/calls/{id}}: a tenant's calls, and one call whole. */
public final class CallRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> LIST =
      Set.of(
          "tenant",
          "from",
          "to",
          "agent",
          "provider",
          "direction",
          "status",
          "sentiment",
          "success",
          "has_callback",
          "q",
          "criterion",
          "extracted",
          "limit",
          "cursor");
  private static final Set<String> DETAIL = Set.of("tenant");
  private static final Set<String> SIMILAR = Set.of("tenant", "k");

  private final CallReads reads;
  private final SimilarCalls similar;
  private final ReadKeys keys;

  public CallRoutes(CallReads reads, SimilarCalls similar, ReadKeys keys) {
    this.reads = reads;
    this.similar = similar;
    this.keys = keys;
  }

  public void list(Context ctx) throws Exception {
    Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, LIST);
    CallFilter filter =
        new CallFilter(
            Readers.tenant(reader, params, false),
            params.instant("from"),
            params.instant("to"),
            params.text("agent", 200, false),
            params.oneOf("provider", symbols(Provider.getClassSchema())),
            params.oneOf("direction", symbols(Direction.getClassSchema())),
            params.oneOf("status", symbols(CallStatus.getClassSchema())),
            params.oneOf("sentiment", symbols(Sentiment.getClassSchema())),
            params.oneOf("success", symbols(SuccessVerdict.getClassSchema())),
            params.bool("has_callback"),
            params.text("q", 1_000, false),
            criterion(params),
            params.match("extracted", "FIELD:VALUE, a field of the extracted data and its value"));
    CallReads.Page page;
    try {
      page = reads.list(filter, params.integer("limit", 50, 1, 100), params.text("cursor"));
    } catch (CallReads.BadCursor e) {
      throw ApiProblem.badParameter("cursor", e.getMessage());
    }
    ctx.contentType("application/json")
        .result(
            "{\"calls\":["
                + String.join(",", page.calls())
                + "],\"next_cursor\":"
                + JSON.writeValueAsString(page.nextCursor())
                + "}");
  }

  /** {@code criterion=NAME:VERDICT}, the verdict one of the plan's. */
  private static CallFilter.Match criterion(Params params) {
    CallFilter.Match match =
        params.match("criterion", "NAME:VERDICT, a criterion of the tenant's plan and its verdict");
    if (match == null) {
      return null;
    }
    List<String> verdicts = symbols(CriterionVerdict.getClassSchema());
    String verdict =
        verdicts.stream()
            .filter(v -> v.equalsIgnoreCase(match.value()))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiProblem.badParameter(
                        "criterion",
                        "criterion verdict '"
                            + match.value()
                            + "' is not one of "
                            + String.join(", ", verdicts)));
    return new CallFilter.Match(match.name(), verdict);
  }

  public void detail(Context ctx) {
    Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, DETAIL);
    String tenant = Readers.tenant(reader, params, false);
    UUID callId = callId(ctx);
    String call =
        reads.detail(tenant, callId).orElseThrow(() -> ApiProblem.notFound("no call " + callId));
    ctx.contentType("application/json").result(call);
  }

  /** {@code GET /v1/calls/{id}/similar}: the tenant's calls nearest in content to this one. */
  public void similar(Context ctx) {
    Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, SIMILAR);
    String tenant = Readers.tenant(reader, params, true);
    int k = params.integer("k", 5, 1, 100);
    UUID callId = callId(ctx);
    if (!reads.exists(tenant, callId)) {
      throw ApiProblem.notFound("no call " + callId);
    }
    List<Map<String, Object>> calls = new ArrayList<>();
    for (SimilarCalls.Similar call : similar.of(tenant, callId, k)) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("call_id", call.callId().toString());
      json.put("distance", call.distance());
      json.put("title", call.title());
      json.put("summary", call.summary());
      calls.add(json);
    }
    ctx.json(Map.of("calls", calls));
  }

  /** The path's call id; one that is not a UUID names no call, as an unknown one does. */
  static UUID callId(Context ctx) {
    String id = ctx.pathParam("id");
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("no call " + id);
    }
  }

  private static List<String> symbols(Schema schema) {
    return schema.getEnumSymbols();
  }
}
