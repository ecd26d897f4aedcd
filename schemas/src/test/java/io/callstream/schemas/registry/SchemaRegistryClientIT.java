package io.callstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.devstack.registry.SchemaRegistryService;
import io.callstream.events.CallEnded;
import io.callstream.testkit.LocalServices;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a real registry: Apicurio's Confluent-compatible API. */
@ExtendWith(LocalServices.class)
class SchemaRegistryClientIT {

  @Test
  void registersAndReadsBackBySubjectAndId(SchemaRegistryService registry) {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());

    int id = client.register("it.calls.ended.v1-value", CallEnded.getClassSchema());

    SchemaRegistryClient fresh = new SchemaRegistryClient(registry.url());
    Schema stored = fresh.schemaById(id);
    assertThat(stored.getFullName()).isEqualTo("io.callstream.events.CallEnded");
    assertThat(stored).isEqualTo(CallEnded.getClassSchema());
    assertThat(fresh.lookup("it.calls.ended.v1-value", CallEnded.getClassSchema()).id())
        .isEqualTo(id);
    assertThat(fresh.latest("it.calls.ended.v1-value").id()).isEqualTo(id);
    assertThat(fresh.subjects()).contains("it.calls.ended.v1-value");
    assertThat(fresh.globalCompatibility()).isEqualTo(Compatibility.BACKWARD);
  }

  @Test
  void theRegistryRejectsAnIncompatibleChangeWith409(SchemaRegistryService registry) {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    String subject = "it.compat-value";
    int v1 = client.register(subject, InMemorySchemaRegistryTest.V1);

    assertThat(client.isCompatible(subject, InMemorySchemaRegistryTest.V2_WITHOUT_DEFAULT))
        .isFalse();
    assertThatThrownBy(
            () -> client.register(subject, InMemorySchemaRegistryTest.V2_WITHOUT_DEFAULT))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(409));

    assertThat(client.isCompatible(subject, InMemorySchemaRegistryTest.V2_WITH_DEFAULT)).isTrue();
    int v2 = client.register(subject, InMemorySchemaRegistryTest.V2_WITH_DEFAULT);
    assertThat(v2).isNotEqualTo(v1);
    assertThat(client.latest(subject).version()).isEqualTo(2);
  }

  @Test
  void anUnknownIdIsA404(SchemaRegistryService registry) {
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    assertThatThrownBy(() -> client.schemaById(987_654))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class, e -> assertThat(e.isNotFound()).isTrue());
  }
}
