package io.callstream.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.AgentTenant;
import io.callstream.events.CallChunk;
import io.callstream.events.CallDocument;
import io.callstream.events.CallEnded;
import io.callstream.events.Callback;
import io.callstream.events.EnrichedCall;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.StageResult;
import io.callstream.events.TenantStats;
import io.callstream.events.Transcript;
import io.callstream.events.WorkItem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The contracts are usable without reading callstream's code: documented, with safe enums. */
class EventSchemasTest {

  private static final List<Schema> EVENTS =
      List.of(
          CallEnded.getClassSchema(),
          RecordingUploaded.getClassSchema(),
          AgentTenant.getClassSchema(),
          Transcript.getClassSchema(),
          EnrichedCall.getClassSchema(),
          CallChunk.getClassSchema(),
          CallDocument.getClassSchema(),
          Callback.getClassSchema(),
          WorkItem.getClassSchema(),
          StageResult.getClassSchema(),
          TenantStats.getClassSchema());

  @Test
  void everyRecordAndFieldIsDocumented() {
    List<String> undocumented = new ArrayList<>();
    walk(
        schema -> {
          if (schema.getType() == Schema.Type.RECORD) {
            if (blank(schema.getDoc())) {
              undocumented.add(schema.getFullName());
            }
            schema.getFields().stream()
                .filter(field -> blank(field.doc()))
                .forEach(field -> undocumented.add(schema.getFullName() + "." + field.name()));
          }
        });
    assertThat(undocumented).isEmpty();
  }

  @Test
  void everyEnumHasADefaultSoNewSymbolsDoNotBreakOldReaders() {
    List<String> withoutDefault = new ArrayList<>();
    walk(
        schema -> {
          if (schema.getType() == Schema.Type.ENUM && schema.getEnumDefault() == null) {
            withoutDefault.add(schema.getFullName());
          }
        });
    assertThat(withoutDefault).isEmpty();
  }

  @Test
  void idsAreUuidsAndTimesAreTimestamps() {
    for (Schema event : EVENTS) {
      for (Schema.Field field : event.getFields()) {
        Schema type = nonNull(field.schema());
        if (field.name().equals("call_id") || field.name().equals("callback_id")) {
          assertThat(type.getLogicalType())
              .as(event.getName() + "." + field.name())
              .isEqualTo(LogicalTypes.uuid());
        }
        if (field.name().endsWith("_at") || field.name().startsWith("window_")) {
          assertThat(type.getLogicalType())
              .as(event.getName() + "." + field.name())
              .isEqualTo(LogicalTypes.timestampMillis());
        }
      }
    }
  }

  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    return schema.getTypes().stream()
        .filter(s -> s.getType() != Schema.Type.NULL)
        .findFirst()
        .orElseThrow();
  }

  private static boolean blank(String doc) {
    return doc == null || doc.isBlank();
  }

  private static void walk(java.util.function.Consumer<Schema> visitor) {
    Set<String> seen = new HashSet<>();
    EVENTS.forEach(schema -> walk(schema, visitor, seen));
  }

  private static void walk(
      Schema schema, java.util.function.Consumer<Schema> visitor, Set<String> seen) {
    switch (schema.getType()) {
      case RECORD, ENUM -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        visitor.accept(schema);
        if (schema.getType() == Schema.Type.RECORD) {
          schema.getFields().forEach(field -> walk(field.schema(), visitor, seen));
        }
      }
      case UNION -> schema.getTypes().forEach(type -> walk(type, visitor, seen));
      case ARRAY -> walk(schema.getElementType(), visitor, seen);
      case MAP -> walk(schema.getValueType(), visitor, seen);
      default -> {}
    }
  }
}
