package io.callstream.schemas.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A call's trace across the pipeline: the gateway's request span, a span per topology stage and per
 * AI call, the sink's write. The trace travels as a W3C {@code traceparent}: in the {@code
 * traceparent} header of the gateway's records and of the topology's outputs, and inside the work
 * item, so it survives the in-flight store and the retry tiers.
 *
 * <p>Off unless configured: {@link #installFromEnvironment} sets up the OpenTelemetry SDK from the
 * standard {@code OTEL_*} variables (an OTLP exporter by default) only when one names an exporter
 * or an endpoint; until then every span is a no-op and costs nothing.
 */
public final class CallTracing {
  /** The instrumentation scope of every callstream span. */
  public static final String SCOPE = "io.callstream";

  private static final List<String> SWITCHES =
      List.of(
          "OTEL_TRACES_EXPORTER",
          "OTEL_EXPORTER_OTLP_ENDPOINT",
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  private static final TextMapGetter<String> TRACEPARENT =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
          return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
          return "traceparent".equals(key) ? carrier : null;
        }
      };

  private static volatile OpenTelemetry telemetry = OpenTelemetry.noop();
  private static boolean fromEnvironment;

  private CallTracing() {}

  /**
   * Installs the SDK the {@code OTEL_*} variables configure, named {@code serviceName} unless
   * {@code OTEL_SERVICE_NAME} says otherwise, when any of them turns tracing on; metrics and logs
   * stay off unless their own variables ask for them. Returns whether tracing is on.
   */
  public static boolean installFromEnvironment(Function<String, String> env, String serviceName) {
    boolean configured =
        SWITCHES.stream()
            .map(env)
            .anyMatch(value -> value != null && !value.isBlank() && !value.equals("none"));
    if (!configured) {
      return false;
    }
    synchronized (CallTracing.class) {
      if (fromEnvironment) {
        return true; // one SDK per process (a Connect worker starts many tasks)
      }
      fromEnvironment = true;
    }
    OpenTelemetry sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", serviceName,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none"))
            .build()
            .getOpenTelemetrySdk();
    install(sdk);
    return true;
  }

  /** Uses {@code openTelemetry} for every span from now on (tests install an in-memory SDK). */
  public static void install(OpenTelemetry openTelemetry) {
    telemetry = openTelemetry;
  }

  /** Whether spans are recorded: an SDK is installed, not the no-op. */
  public static boolean enabled() {
    return telemetry != OpenTelemetry.noop();
  }

  public static Tracer tracer() {
    return telemetry.getTracer(SCOPE);
  }

  /** The context a {@code traceparent} names, or the root context when it is null or invalid. */
  public static Context parent(String traceparent) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), traceparent, TRACEPARENT);
  }

  /**
   * The {@code traceparent} of {@code span}, or null when tracing is off (a no-op span only passes
   * its parent's context on, and a caller's span id must not be reused as callstream's).
   */
  public static String traceparent(Span span) {
    SpanContext context = span.getSpanContext();
    if (!enabled() || !context.isValid()) {
      return null;
    }
    return "00-"
        + context.getTraceId()
        + "-"
        + context.getSpanId()
        + "-"
        + context.getTraceFlags().asHex();
  }
}
