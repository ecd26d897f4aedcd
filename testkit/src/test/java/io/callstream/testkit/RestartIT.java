package io.callstream.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.postgres.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Stopped services come back on the same address with their data, as outage tests need. */
class RestartIT {

  @Test
  void aRestartedBrokerKeepsItsAddressAndTopics() throws Exception {
    try (KafkaBroker broker = KafkaBroker.startTemporary()) {
      String address = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
        admin.createTopics(List.of(new NewTopic("restart.kept", 1, (short) 1))).all().get();
      }

      broker.stop();
      assertThat(broker.isRunning()).isFalse();
      broker.start();

      assertThat(broker.bootstrapServers()).isEqualTo(address);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
        assertThat(admin.listTopics().names().get()).contains("restart.kept");
      }
    }
  }

  @Test
  void aRestartedPostgresKeepsItsRows() throws Exception {
    try (PostgresCluster postgres = PostgresCluster.startTemporary()) {
      try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
          Statement sql = db.createStatement()) {
        sql.execute("CREATE TABLE kept (id int)");
        sql.execute("INSERT INTO kept VALUES (42)");
      }

      postgres.stop();
      postgres.start();

      try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
          Statement sql = db.createStatement();
          ResultSet rows = sql.executeQuery("SELECT id FROM kept")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(42);
      }
    }
  }
}
