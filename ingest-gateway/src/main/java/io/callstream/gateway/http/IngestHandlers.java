package io.callstream.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.events.Provider;
import io.callstream.gateway.generic.GenericApi;
import io.callstream.gateway.kafka.EventPublisher;
import io.callstream.gateway.provider.EventEnvelope;
import io.callstream.gateway.provider.IngestEvent;
import io.callstream.gateway.provider.Mapping;
import io.callstream.gateway.provider.ProviderAdapter;
import io.callstream.gateway.provider.WebhookRejected;
import io.callstream.gateway.provider.WebhookRequest;
import io.callstream.gateway.source.Source;
import io.callstream.gateway.source.Sources;
import io.callstream.schemas.trace.CallTracing;
import io.javalin.http.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's ingest endpoints. Each request goes the same way: find the source, check media type
 * and size, verify, map, then write to Kafka and answer 202 only once the write is durable. Every
 * refusal is an {@code application/problem+json} answer and writes nothing.
 */
public final class IngestHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(IngestHandlers.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GENERIC_CALLS = "generic-calls";
  private static final String GENERIC_RECORDINGS = "generic-recordings";
  private static final String JSON_TYPE = "application/json";

  private final Sources sources;
  private final Map<Provider, ProviderAdapter> adapters;
  private final EventEnvelope envelope;
  private final EventPublisher publisher;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final String publicBaseUrl;
  private final long maxBodyBytes;
  private volatile boolean draining;

  public IngestHandlers(
      Sources sources,
      Map<Provider, ProviderAdapter> adapters,
      EventEnvelope envelope,
      EventPublisher publisher,
      GatewayMetrics metrics,
      Clock clock,
      String publicBaseUrl,
      long maxBodyBytes) {
    this.sources = sources;
    this.adapters = Map.copyOf(adapters);
    this.envelope = envelope;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
    this.publicBaseUrl = publicBaseUrl == null ? null : publicBaseUrl.replaceAll("/+$", "");
    this.maxBodyBytes = maxBodyBytes;
  }

  /** {@code POST /v1/webhooks/{sourceId}}. */
  public void webhook(Context ctx) {
    String sourceId = ctx.pathParam("sourceId");
    Source source = sources.find(sourceId).orElse(null);
    handle(
        ctx,
        source == null ? "unknown" : source.id(),
        receivedAt -> {
          if (source == null) {
            throw Problem.notFound("no webhook source '" + sourceId + "' is configured");
          }
          ProviderAdapter adapter = adapters.get(source.provider());
          BodyReader.requireMediaType(ctx, adapter.mediaType());
          WebhookRequest request =
              request(ctx, BodyReader.read(ctx, source.maxBodyBytes()), receivedAt);
          adapter.verify(request, source, sources.secretOf(source), receivedAt);
          return switch (adapter.map(request, source)) {
            case Mapping.Ignored ignored -> new Ingest.Skip(ignored.reason());
            case Mapping.Accepted accepted -> {
              requireCallWithinLimit(accepted, request);
              yield new Ingest.Write(
                  event(
                      accepted,
                      source.provider(),
                      source.tenantId(),
                      request,
                      adapter.mediaType()));
            }
          };
        });
  }

  /** {@code POST /v1/calls}. */
  public void genericCall(Context ctx) {
    generic(ctx, GENERIC_CALLS, GenericApi::call);
  }

  /** {@code POST /v1/recordings}. */
  public void genericRecording(Context ctx) {
    generic(ctx, GENERIC_RECORDINGS, GenericApi::recording);
  }

  /** From now on every request is answered 503, so in-flight ones can finish before shutdown. */
  public void drain() {
    draining = true;
  }

  private void generic(
      Context ctx, String label, BiFunction<WebhookRequest, String, Mapping.Accepted> mapper) {
    handle(
        ctx,
        label,
        receivedAt -> {
          String tenant = authenticate(ctx);
          BodyReader.requireMediaType(ctx, "application/json");
          WebhookRequest request = request(ctx, BodyReader.read(ctx, maxBodyBytes), receivedAt);
          return new Ingest.Write(
              event(mapper.apply(request, tenant), Provider.GENERIC, tenant, request, JSON_TYPE));
        });
  }

  /**
   * A source that sends audio inline may send bodies far larger than a call's (its audio goes to
   * the blob store); the call events it sends are held to the call limit all the same, since they
   * carry their body.
   */
  private void requireCallWithinLimit(Mapping.Accepted accepted, WebhookRequest request) {
    if (accepted instanceof Mapping.CallEnd && request.body().length > maxBodyBytes) {
      throw BodyReader.tooLarge(request.body().length + " bytes", maxBodyBytes, "a call's body");
    }
  }

  private String authenticate(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw Problem.unauthorized("Authorization: Bearer <API key> is required")
          .withHeader("WWW-Authenticate", "Bearer");
    }
    return sources
        .apiKeys()
        .tenantFor(authorization.substring(7).trim())
        .orElseThrow(
            () ->
                Problem.unauthorized("the API key is not valid")
                    .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\""));
  }

  /** What a request comes to: an event to write, or a webhook acknowledged and not written. */
  private sealed interface Ingest {
    record Write(IngestEvent event) implements Ingest {}

    record Skip(String reason) implements Ingest {}
  }

  /** The event of an accepted request; inline audio is stored first. */
  private IngestEvent event(
      Mapping.Accepted accepted,
      Provider provider,
      String tenantId,
      WebhookRequest request,
      String contentType) {
    try {
      return envelope.of(accepted, provider, tenantId, request, contentType);
    } catch (IOException e) {
      LOG.warn("cannot store the audio of call {}: {}", accepted.callId(), e.getMessage());
      throw Problem.unavailable(
          "the gateway cannot store the request's audio now: " + e.getMessage(), 5);
    }
  }

  private void handle(Context ctx, String label, Function<Instant, Ingest> work) {
    long start = System.nanoTime();
    Instant receivedAt = clock.instant();
    metrics.inFlight().incrementAndGet();
    String outcome;
    try {
      if (draining) {
        throw Problem.unavailable(
            "the gateway is shutting down; retry against another instance", 1);
      }
      outcome =
          switch (work.apply(receivedAt)) {
            case Ingest.Write write -> publish(ctx, label, write.event(), receivedAt);
            case Ingest.Skip ignored -> {
              ctx.status(200)
                  .contentType("application/json")
                  .result(json(Map.of("ignored", true, "reason", ignored.reason())));
              yield "ignored";
            }
          };
    } catch (WebhookRejected rejected) {
      outcome = refuse(ctx, Problem.of(rejected));
    } catch (Problem problem) {
      outcome = refuse(ctx, problem);
    } finally {
      metrics.inFlight().decrementAndGet();
    }
    metrics.count(label, outcome, start);
  }

  private String publish(Context ctx, String label, IngestEvent event, Instant receivedAt) {
    Span span =
        CallTracing.tracer()
            .spanBuilder("ingest " + label)
            .setParent(CallTracing.parent(ctx.header("traceparent")))
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("callstream.source", label)
            .setAttribute("callstream.call_id", event.callId().toString())
            .setAttribute("callstream.event_id", event.eventId())
            .startSpan();
    try {
      return publish(ctx, label, event, receivedAt, span);
    } catch (Problem problem) {
      span.setStatus(StatusCode.ERROR, problem.getMessage());
      throw problem;
    } finally {
      span.end();
    }
  }

  /**
   * Writes the event under {@code span}'s trace: its {@code traceparent} goes with the record, or,
   * with tracing off, one continuing the caller's trace (or starting one).
   */
  private String publish(
      Context ctx, String label, IngestEvent event, Instant receivedAt, Span span) {
    long start = System.nanoTime();
    String traceparent = CallTracing.traceparent(span);
    EventPublisher.Provenance provenance =
        new EventPublisher.Provenance(
            label,
            receivedAt.toEpochMilli(),
            traceparent != null ? traceparent : TraceContext.childOf(ctx.header("traceparent")));
    switch (publisher.publish(event, provenance)) {
      case EventPublisher.Outcome.Durable durable -> {
        metrics.produced(System.nanoTime() - start);
        ctx.status(202)
            .contentType("application/json")
            .header("traceparent", provenance.traceparent())
            .result(
                json(Map.of("call_id", event.callId().toString(), "event_id", event.eventId())));
        return "accepted";
      }
      case EventPublisher.Outcome.Refused refused -> {
        LOG.warn("event {} from {} refused: {}", event.eventId(), label, refused.reason());
        throw Problem.tooLarge(refused.reason());
      }
      case EventPublisher.Outcome.Unavailable unavailable -> {
        LOG.warn("event {} from {} not stored: {}", event.eventId(), label, unavailable.reason());
        throw Problem.unavailable(unavailable.reason(), 5);
      }
    }
  }

  private WebhookRequest request(Context ctx, byte[] body, Instant receivedAt) {
    String query = ctx.queryString();
    String url =
        (publicBaseUrl == null ? ctx.scheme() + "://" + ctx.host() : publicBaseUrl)
            + ctx.path()
            + (query == null || query.isEmpty() ? "" : "?" + query);
    return new WebhookRequest(url, ctx::header, body, receivedAt);
  }

  /** Answers {@code problem}, and names the outcome for the metrics. */
  private static String refuse(Context ctx, Problem problem) {
    BodyReader.discardRest(ctx);
    render(ctx, problem);
    return problem.status() == 503 ? "unavailable" : "rejected_" + problem.status();
  }

  /** Writes {@code problem} as {@code application/problem+json}. */
  public static void render(Context ctx, Problem problem) {
    problem.headers().forEach(ctx::header);
    ctx.status(problem.status())
        .contentType("application/problem+json")
        .result(problem.json(ctx.path()));
  }

  private static String json(Map<String, ?> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
