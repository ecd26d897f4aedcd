package io.callstream.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * A schema registry held in memory, for tests that run without a registry process (Kafka Streams'
 * {@code TopologyTestDriver}). Ids are global and one schema gets one id whatever the subject, as
 * in the Confluent registry; compatibility is enforced the same way, BACKWARD by default.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
  private final Compatibility compatibility;

  public InMemorySchemaRegistry() {
    this(Compatibility.BACKWARD);
  }

  public InMemorySchemaRegistry(Compatibility compatibility) {
    this.compatibility = compatibility;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (versions.contains(schema)) {
      return idsBySchema.get(schema);
    }
    String problem = incompatibility(versions, schema);
    if (problem != null) {
      throw new SchemaRegistryException(
          409,
          409,
          "schema is not "
              + compatibility
              + " compatible with subject "
              + subject
              + ": "
              + problem);
    }
    versions.add(schema);
    return idsBySchema.computeIfAbsent(
        schema,
        s -> {
          int id = schemasById.size() + 1;
          schemasById.put(id, s);
          return id;
        });
  }

  @Override
  public synchronized int idOf(String subject, Schema schema) {
    List<Schema> versions = versionsBySubject.get(subject);
    if (versions == null) {
      throw new SchemaRegistryException(404, 40401, "subject " + subject + " not found");
    }
    if (!versions.contains(schema)) {
      throw new SchemaRegistryException(404, 40403, "schema not found under subject " + subject);
    }
    return idsBySchema.get(schema);
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(404, 40403, "schema id " + id + " not found");
    }
    return schema;
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    return incompatibility(versionsBySubject.getOrDefault(subject, List.of()), schema) == null;
  }

  /** Why {@code candidate} breaks the rule against {@code versions}, or null when it does not. */
  private String incompatibility(List<Schema> versions, Schema candidate) {
    if (versions.isEmpty() || compatibility == Compatibility.NONE) {
      return null;
    }
    List<Schema> against =
        compatibility.transitive() ? versions : List.of(versions.get(versions.size() - 1));
    for (Schema existing : against) {
      if (compatibility.checksBackward()) {
        String problem =
            describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing));
        if (problem != null) {
          return problem;
        }
      }
      if (compatibility.checksForward()) {
        String problem =
            describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate));
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static String describe(SchemaPairCompatibility pair) {
    if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return null;
    }
    return pair.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .reduce((a, b) -> a + "; " + b)
        .orElse(pair.getDescription());
  }
}
