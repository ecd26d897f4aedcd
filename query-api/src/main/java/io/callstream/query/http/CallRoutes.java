package io.callstream.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Provider;
import io.callstream.events.Sentiment;
import io.callstream.events.SuccessVerdict;
import io.callstream.query.auth.ReadKeys;
import io.callstream.query.auth.ReadKeys.Reader;
import io.callstream.sinks.read.CallFilter;
import io.callstream.sinks.read.CallReads;
import io.javalin.http.Context;
import java.util.List;
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
          "limit",
          "cursor");
  private static final Set<String> DETAIL = Set.of("tenant");

  private final CallReads reads;
  private final ReadKeys keys;

  public CallRoutes(CallReads reads, ReadKeys keys) {
    this.reads = reads;
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
            params.text("q", 1_000, false));
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

  public void detail(Context ctx) {
    Reader reader = Readers.of(ctx, keys);
    Params params = Params.of(ctx, DETAIL);
    String tenant = Readers.tenant(reader, params, false);
    String id = ctx.pathParam("id");
    UUID callId;
    try {
      callId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("no call " + id);
    }
    String call =
        reads.detail(tenant, callId).orElseThrow(() -> ApiProblem.notFound("no call " + id));
    ctx.contentType("application/json").result(call);
  }

  private static List<String> symbols(Schema schema) {
    return schema.getEnumSymbols();
  }
}
