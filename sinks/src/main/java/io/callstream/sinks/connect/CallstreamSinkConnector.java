package io.callstream.sinks.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.sink.SinkConnector;

/** What callstream's sink connectors share: validated config, handed to every task unchanged. */
abstract class CallstreamSinkConnector extends SinkConnector {
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    new SinkConnectorConfig(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return SinkConnectorConfig.DEFINITION;
  }

  @Override
  public String version() {
    return PostgresSinkConnector.VERSION;
  }
}
