package io.callstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

  static final Schema V1 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Call\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
  static final Schema V2_WITH_DEFAULT =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Call\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                  + "{\"name\":\"minutes\",\"type\":\"int\",\"default\":0}]}");
  static final Schema V2_WITHOUT_DEFAULT =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"Call\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                  + "{\"name\":\"minutes\",\"type\":\"int\"}]}");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  @Test
  void oneSchemaHasOneIdAcrossSubjects() {
    int first = registry.register("a-value", V1);
    assertThat(registry.register("a-value", V1)).isEqualTo(first);
    assertThat(registry.register("b-value", V1)).isEqualTo(first);
    assertThat(registry.schemaById(first)).isEqualTo(V1);
    assertThat(registry.idOf("b-value", V1)).isEqualTo(first);
  }

  @Test
  void acceptsABackwardCompatibleChange() {
    int v1 = registry.register("calls-value", V1);
    int v2 = registry.register("calls-value", V2_WITH_DEFAULT);
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void rejectsAFieldWithoutDefaultWith409NamingTheField() {
    registry.register("calls-value", V1);
    assertThat(registry.isCompatible("calls-value", V2_WITHOUT_DEFAULT)).isFalse();
    assertThatThrownBy(() -> registry.register("calls-value", V2_WITHOUT_DEFAULT))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isIncompatible()).isTrue())
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE")
        .hasMessageContaining("minutes");
  }

  @Test
  void noneAcceptsAnything() {
    InMemorySchemaRegistry lax = new InMemorySchemaRegistry(Compatibility.NONE);
    lax.register("calls-value", V1);
    assertThat(lax.register("calls-value", V2_WITHOUT_DEFAULT)).isPositive();
  }

  @Test
  void unknownSubjectSchemaAndIdAre404s() {
    assertThatThrownBy(() -> registry.idOf("nope-value", V1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    registry.register("calls-value", V1);
    assertThatThrownBy(() -> registry.idOf("calls-value", V2_WITH_DEFAULT))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
    assertThatThrownBy(() -> registry.schemaById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue());
  }
}
