package io.callstream.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.callstream.events.Provider;
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

  /** Runs {@code action} and returns the problem it threw, failing when it threw none. */
  public static Problem problem(Executable action) {
    Problem problem = catchThrowableOfType(Problem.class, () -> action.execute());
    assertThat(problem).as("expected a problem").isNotNull();
    return problem;
  }

  /** The event of an accepted mapping. */
  public static IngestEvent accepted(Mapping mapping) {
    assertThat(mapping).isInstanceOf(Mapping.Accepted.class);
    return ((Mapping.Accepted) mapping).event();
  }
}
