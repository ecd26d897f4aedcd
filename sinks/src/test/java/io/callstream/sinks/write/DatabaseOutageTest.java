package io.callstream.sinks.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

  @Test
  void connectionShutdownAndResourceStatesAreOutages() {
    for (String state : new String[] {"08001", "08006", "57P01", "57P03", "53300", null}) {
      assertThat(DatabaseOutage.isOutage(new SQLException("x", state))).as(state).isTrue();
    }
  }

  @Test
  void dataErrorsAreNotOutages() {
    // 22: data exception, 23: integrity constraint violation, 42: syntax or missing table
    for (String state : new String[] {"22001", "23505", "42P01", "22P05"}) {
      assertThat(DatabaseOutage.isOutage(new SQLException("x", state))).as(state).isFalse();
    }
    assertThat(DatabaseOutage.isOutage(new IllegalStateException("no cause"))).isFalse();
  }

  @Test
  void theFirstSqlErrorInTheCauseChainDecides() {
    SQLException data = new SQLException("duplicate key", "23505");
    data.setNextException(new SQLException("ignored", "08006"));
    assertThat(DatabaseOutage.isOutage(new RuntimeException("wrapped", data))).isFalse();
    assertThat(
            DatabaseOutage.isOutage(
                new RuntimeException("wrapped", new SQLException("gone", "08006", data))))
        .isTrue();
  }

  @Test
  void aRefusedSocketOrACauselessDriverErrorIsAnOutage() {
    assertThat(DatabaseOutage.isOutage(new RuntimeException(new ConnectException("refused"))))
        .isTrue();
    assertThat(DatabaseOutage.isOutage(new ConnectionException(null))).isTrue();
  }
}
