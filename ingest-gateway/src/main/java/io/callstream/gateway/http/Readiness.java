package io.callstream.gateway.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Whether the broker answers, asked at most once a second so probes cannot load it. */
public final class Readiness implements AutoCloseable {
  private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();

  private final Admin admin;
  private long checkedAt;
  private boolean ready;

  public Readiness(String bootstrapServers) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "callstream-gateway-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                2_000));
  }

  public synchronized boolean brokerReachable() {
    if (checkedAt != 0 && System.nanoTime() - checkedAt < CACHE_NANOS) {
      return ready;
    }
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
          .nodes()
          .get(2, TimeUnit.SECONDS);
      ready = true;
    } catch (Exception e) {
      ready = false;
    }
    checkedAt = System.nanoTime();
    return ready;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
