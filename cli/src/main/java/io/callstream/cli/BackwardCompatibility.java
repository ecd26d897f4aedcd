package io.callstream.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Why a new schema cannot read data written with the registered one (BACKWARD), with each problem
 * located by field path, e.g. {@code field EnrichedCall.priority: READER_FIELD_MISSING_DEFAULT}.
 */
final class BackwardCompatibility {
  private BackwardCompatibility() {}

  static List<String> problems(Schema reader, Schema writer) {
    List<String> problems = new ArrayList<>();
    for (Incompatibility incompatibility :
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
            .getResult()
            .getIncompatibilities()) {
      problems.add(
          "field "
              + fieldPath(reader, incompatibility.getLocation())
              + ": "
              + incompatibility.getType()
              + " ("
              + incompatibility.getMessage()
              + ")");
    }
    return problems;
  }

  /**
   * Turns a JSON pointer such as {@code /fields/3/type} into field names, e.g. {@code Call.tags}.
   */
  static String fieldPath(Schema root, String location) {
    StringBuilder path = new StringBuilder(root.getName());
    Schema current = root;
    String[] parts = location.split("/");
    for (int i = 1; i < parts.length; i++) {
      if (parts[i].equals("fields")
          && i + 1 < parts.length
          && current.getType() == Schema.Type.RECORD) {
        Schema.Field field = current.getFields().get(Integer.parseInt(parts[++i]));
        path.append('.').append(field.name());
        current = field.schema();
      } else if (parts[i].equals("type") || parts[i].equals("items") || parts[i].equals("values")) {
        current =
            switch (current.getType()) {
              case ARRAY -> parts[i].equals("items") ? current.getElementType() : current;
              case MAP -> parts[i].equals("values") ? current.getValueType() : current;
              default -> current;
            };
      } else if (current.getType() == Schema.Type.UNION && parts[i].matches("\\d+")) {
        current = current.getTypes().get(Integer.parseInt(parts[i]));
      }
    }
    return path.toString();
  }
}
