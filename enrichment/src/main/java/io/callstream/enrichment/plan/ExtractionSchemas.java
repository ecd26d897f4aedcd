package io.callstream.enrichment.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.callstream.enrichment.AnalysisPlan;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A plan's extraction schema: the tenant's JSON Schema with each data-collection field added as a
 * property, checked against the JSON Schema 2020-12 meta-schema, and the validation of extracted
 * data against it.
 */
public final class ExtractionSchemas {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final JsonSchema META = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));

  private ExtractionSchemas() {}

  /**
   * What is wrong with {@code schemaText} as an extraction schema: not JSON, not a JSON Schema, or
   * not an object schema (extracted data is a JSON object). Empty when it is fine.
   */
  public static List<String> problems(String schemaText) {
    JsonNode schema;
    try {
      schema = JSON.readTree(schemaText);
    } catch (JsonProcessingException e) {
      return List.of("it is not JSON: " + e.getOriginalMessage());
    }
    if (schema == null || !schema.isObject()) {
      return List.of("it is not a JSON object");
    }
    List<String> problems = messages(META.validate(schema));
    if (!problems.isEmpty()) {
      return problems;
    }
    if (schema.has("type") && !"object".equals(schema.path("type").asText())) {
      return List.of("its type must be object: extracted data is a JSON object");
    }
    return List.of();
  }

  /**
   * The schema extracted data must fit: the tenant's schema (an empty object schema when none) with
   * a property per data-collection field; null when the plan extracts nothing.
   */
  public static ObjectNode of(AnalysisPlan plan) {
    if (plan == null || !plan.extracts()) {
      return null;
    }
    ObjectNode schema;
    try {
      schema =
          plan.extractionSchema() == null
              ? JSON.createObjectNode().put("type", "object")
              : (ObjectNode) JSON.readTree(plan.extractionSchema());
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("the plan's extraction schema is not a JSON object", e);
    }
    ObjectNode properties =
        schema.has("properties")
            ? (ObjectNode) schema.get("properties")
            : schema.putObject("properties");
    for (AnalysisPlan.DataField field : plan.dataCollection()) {
      properties
          .putObject(field.name())
          .put("description", field.description())
          .putArray("type")
          .add(field.type())
          .add("null");
    }
    return schema;
  }

  /** Why {@code data} does not fit {@code schema}; empty when it does. */
  public static List<String> violations(JsonNode schema, JsonNode data) {
    return messages(FACTORY.getSchema(schema).validate(data));
  }

  private static List<String> messages(Set<ValidationMessage> messages) {
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }
}
