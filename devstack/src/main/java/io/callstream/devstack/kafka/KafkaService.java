package io.callstream.devstack.kafka;

/** A running Kafka cluster that tests and the dev stack connect to. */
public interface KafkaService extends AutoCloseable {

  /** The {@code bootstrap.servers} to give clients. */
  String bootstrapServers();

  /** Stops the cluster and frees what it holds. */
  @Override
  void close();
}
