package io.callstream.query;

import io.callstream.devstack.postgres.PostgresService;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.sinks.postgres.Schema;

/** The query API's configuration for a test: a fresh database with callstream's schema. */
final class TestConfigs {
  private TestConfigs() {}

  /** Over a new database {@code name}, with Kafka and the registry for events and redrive. */
  static QueryApiConfig withKafka(
      PostgresService postgres, String name, String bootstrap, String registryUrl) {
    String url = postgres.freshDatabase(name);
    Schema.migrate(url, postgres.user(), postgres.password(), LocalEmbedder.DIMENSIONS);
    return new QueryApiConfig(
        "127.0.0.1",
        0,
        url,
        postgres.user(),
        postgres.password(),
        null,
        null,
        bootstrap,
        registryUrl);
  }
}
