package io.callstream.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.callstream.events.Provider;
import io.callstream.gateway.blob.BlobStore;
import io.callstream.gateway.http.Problem;
import io.callstream.gateway.source.Source;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;

/** Builds requests and sources for adapter tests. */
public final class AdapterTesting {
  public static final Instant NOW = Instant.parse("2026-11-20T14:05:00Z");

  private AdapterTesting() {}

  public static WebhookRequest request(String url, byte[] body, String... headers) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i].toLowerCase(Locale.ROOT), headers[i + 1]);
    }
    return new WebhookRequest(url, name -> map.get(name.toLowerCase(Locale.ROOT)), body, NOW);
  }

  public static Source source(Provider provider, String tenant, String auth) {
    return new Source(
        provider.name().toLowerCase(Locale.ROOT), provider, "SECRET", tenant, auth, 1 << 20);
  }

  /**
   * Runs {@code action} and returns how HTTP answers the refusal it threw, failing when it threw
   * none.
   */
  public static Problem problem(Executable action) {
    WebhookRejected rejected = catchThrowableOfType(WebhookRejected.class, () -> action.execute());
    assertThat(rejected).as("expected the request to be refused").isNotNull();
    return Problem.of(rejected);
  }

  /** The event {@code adapter} maps {@code request} to, in the envelope the gateway adds. */
  public static IngestEvent accepted(
      ProviderAdapter adapter, WebhookRequest request, Source source) {
    return accepted(
        adapter,
        request,
        source,
        (name, bytes) -> {
          throw new AssertionError("no audio to store, but " + name);
        });
  }

  /** As above, inline audio stored in {@code blobs}. */
  public static IngestEvent accepted(
      ProviderAdapter adapter, WebhookRequest request, Source source, BlobStore blobs) {
    Mapping mapping = adapter.map(request, source);
    assertThat(mapping).isInstanceOf(Mapping.Accepted.class);
    try {
      return new EventEnvelope(blobs)
          .of(
              (Mapping.Accepted) mapping,
              adapter.provider(),
              source.tenantId(),
              request,
              adapter.mediaType());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
