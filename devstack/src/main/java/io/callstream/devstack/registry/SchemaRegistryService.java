package io.callstream.devstack.registry;

/** A running schema registry with the Confluent REST API. */
public interface SchemaRegistryService extends AutoCloseable {

  /** Base URL of the Confluent-compatible API, for {@code schema.registry.url}. */
  String url();

  /** Stops the registry. */
  @Override
  void close();
}
