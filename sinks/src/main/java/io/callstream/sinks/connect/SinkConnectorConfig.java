package io.callstream.sinks.connect;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * Every setting of callstream's sink connectors, with its documentation and default, in one place.
 */
public final class SinkConnectorConfig extends AbstractConfig {
  public static final String DATABASE_URL = "database.url";
  public static final String DATABASE_USER = "database.user";
  public static final String DATABASE_PASSWORD = "database.password";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String EMBEDDING_DIMENSIONS = "embedding.dimensions";
  public static final String MIGRATE = "database.migrate";

  public static final ConfigDef DEFINITION =
      new ConfigDef()
          .define(
              DATABASE_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "JDBC URL of the Postgres database (jdbc:postgresql://host:port/db).")
          .define(DATABASE_USER, Type.STRING, "callstream", Importance.HIGH, "Database user.")
          .define(DATABASE_PASSWORD, Type.PASSWORD, "", Importance.HIGH, "Database password.")
          .define(
              SCHEMA_REGISTRY_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Confluent-compatible Schema Registry the values are decoded with.")
          .define(
              EMBEDDING_DIMENSIONS,
              Type.INT,
              384,
              ConfigDef.Range.atLeast(1),
              Importance.MEDIUM,
              "Dimension of call_chunks.embedding, fixed when the table is created.")
          .define(
              MIGRATE,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Run the Flyway migrations when a task starts.");

  public SinkConnectorConfig(Map<String, String> props) {
    super(DEFINITION, props);
  }

  public String databaseUrl() {
    return getString(DATABASE_URL);
  }

  public String databaseUser() {
    return getString(DATABASE_USER);
  }

  public String databasePassword() {
    Password password = getPassword(DATABASE_PASSWORD);
    return password == null ? "" : password.value();
  }

  public String schemaRegistryUrl() {
    return getString(SCHEMA_REGISTRY_URL);
  }

  public int embeddingDimensions() {
    return getInt(EMBEDDING_DIMENSIONS);
  }

  public boolean migrate() {
    return getBoolean(MIGRATE);
  }
}
