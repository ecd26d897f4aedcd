package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.EnrichedCall;
import io.callstream.events.WorkItem;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class SchemaFilesTest {

  @Test
  void theProjectsAvscFilesParseTogetherIntoTheSchemasTheBuildGenerated() {
    Map<String, Schema> parsed = SchemaFiles.parse(Path.of("..", "schemas", "src", "main", "avro"));
    // equal but for the compiler's Java string hints
    assertThat(fingerprint(parsed.get("io.callstream.events.EnrichedCall")))
        .isEqualTo(fingerprint(EnrichedCall.getClassSchema()));
    assertThat(fingerprint(parsed.get("io.callstream.events.WorkItem")))
        .isEqualTo(fingerprint(WorkItem.getClassSchema()));
  }

  /**
   * Every record of the released schemas (as they stood before tenant settings, kept in the test
   * resources) can be read by today's: new fields have defaults, nothing was removed or retyped.
   */
  @Test
  void todaysSchemasReadEverythingTheReleasedOnesWrote() throws Exception {
    Map<String, Schema> released =
        SchemaFiles.parse(
            Path.of(
                    SchemaFilesTest.class
                        .getResource("/released-schemas/EnrichedCall.avsc")
                        .toURI())
                .getParent());
    Map<String, Schema> today = SchemaFiles.parse(Path.of("..", "schemas", "src", "main", "avro"));
    assertThat(released)
        .containsKeys("io.callstream.events.EnrichedCall", "io.callstream.events.WorkItem");
    released.forEach(
        (name, old) ->
            assertThat(BackwardCompatibility.problems(today.get(name), old)).as(name).isEmpty());
  }

  private static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  @Test
  void aNewFieldWithoutADefaultIsNamedWithItsRecord() {
    Schema old =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Call\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
    Schema changed =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Call\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"priority\",\"type\":\"int\"}]}");
    assertThat(BackwardCompatibility.problems(changed, old))
        .singleElement()
        .asString()
        .startsWith("field Call.priority: READER_FIELD_MISSING_DEFAULT");
    assertThat(BackwardCompatibility.problems(old, old)).isEmpty();
  }
}
