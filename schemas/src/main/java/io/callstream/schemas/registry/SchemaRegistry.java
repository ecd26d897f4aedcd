package io.callstream.schemas.registry;

import org.apache.avro.Schema;

/**
 * What callstream needs from a schema registry: register and look up schemas under a subject, and
 * fetch a schema by the id that the Confluent wire format carries. Implemented over HTTP by {@link
 * SchemaRegistryClient} and in memory by {@link InMemorySchemaRegistry} for topology tests.
 */
public interface SchemaRegistry {

  /**
   * Registers {@code schema} under {@code subject} (a no-op when it is already there) and returns
   * its id.
   *
   * @throws SchemaRegistryException with status 409 when the subject's compatibility rule rejects
   *     it
   */
  int register(String subject, Schema schema);

  /**
   * The id of {@code schema} as already registered under {@code subject}.
   *
   * @throws SchemaRegistryException with status 404 when the subject or the schema is not there
   */
  int idOf(String subject, Schema schema);

  /**
   * The schema with this id.
   *
   * @throws SchemaRegistryException with status 404 when no schema has the id
   */
  Schema schemaById(int id);

  /** True when {@code schema} may be registered under {@code subject} by its compatibility rule. */
  boolean isCompatible(String subject, Schema schema);
}
