package io.callstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.events.AgentTenant;
import io.callstream.events.CallEnded;
import io.callstream.events.Provider;
import io.callstream.schemas.events.SampleEvents;
import io.callstream.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final AvroSerde<CallEnded> calls = AvroSerde.forValues(CallEnded.class, registry);

  @Test
  void roundTripsARecordInTheConfluentWireFormat() {
    CallEnded call = SampleEvents.callEnded("conv_01");

    byte[] bytes = calls.serialize("calls.ended.v1", call);

    int registeredId = registry.idOf("calls.ended.v1-value", CallEnded.getClassSchema());
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
    assertThat(calls.deserialize("calls.ended.v1", bytes)).isEqualTo(call);
  }

  @Test
  void keysUseTheKeySubject() {
    AvroSerde<AgentTenant> keys = AvroSerde.forKeys(AgentTenant.class, registry);
    keys.serialize("tenants.agents.v1", agent("agent_1"));
    assertThat(registry.idOf("tenants.agents.v1-key", AgentTenant.getClassSchema())).isPositive();
    assertThat(keys.subject("t")).isEqualTo("t-key");
  }

  @Test
  void nullIsATombstoneBothWays() {
    assertThat(calls.serialize("calls.ended.v1", null)).isNull();
    assertThat(calls.deserialize("calls.ended.v1", null)).isNull();
  }

  @Test
  void readsWhatAnOlderWriterWroteFillingNewFieldsWithDefaults() throws Exception {
    Schema older =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "AgentTenant", "namespace": "io.callstream.events",
                 "fields": [
                   {"name": "agent_id", "type": "string"},
                   {"name": "tenant_id", "type": "string"},
                   {"name": "updated_at", "type": {"type": "long", "logicalType": "timestamp-millis"}}
                 ]}
                """);
    int olderId = registry.register("tenants.agents.v1-value", older);
    GenericRecord written = new GenericData.Record(older);
    written.put("agent_id", "agent_9");
    written.put("tenant_id", "acme");
    written.put("updated_at", 1_700_000_000_000L);

    AgentTenant read =
        AvroSerde.forValues(AgentTenant.class, registry)
            .deserialize("tenants.agents.v1", frame(olderId, older, written));

    assertThat(read.getAgentId()).isEqualTo("agent_9");
    assertThat(read.getTenantId()).isEqualTo("acme");
    assertThat(read.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    assertThat(read.getProvider()).isEqualTo(Provider.UNKNOWN);
    assertThat(read.getTimeZone()).isNull();
  }

  @Test
  void readsWhatANewerWriterWroteIgnoringFieldsItDoesNotKnow() throws Exception {
    Schema newer =
        new Schema.Parser()
            .parse(
                AgentTenant.getClassSchema()
                    .toString()
                    .replace(
                        "{\"name\":\"agent_id\"",
                        "{\"name\":\"region\",\"type\":\"string\",\"default\":\"eu\"},{\"name\":\"agent_id\""));
    int newerId = registry.register("tenants.agents.v1-value", newer);
    GenericRecord written = new GenericData.Record(newer);
    written.put("region", "us");
    written.put("agent_id", "agent_2");
    written.put("tenant_id", "globex");
    written.put(
        "provider", new GenericData.EnumSymbol(newer.getField("provider").schema(), "VAPI"));
    written.put("updated_at", 5L);

    AgentTenant read =
        AvroSerde.forValues(AgentTenant.class, registry)
            .deserialize("tenants.agents.v1", frame(newerId, newer, written));

    assertThat(read.getTenantId()).isEqualTo("globex");
    assertThat(read.getProvider()).isEqualTo(Provider.VAPI);
  }

  @Test
  void rejectsAWrongMagicByteByNamingIt() {
    byte[] bytes = calls.serialize("calls.ended.v1", SampleEvents.callEnded("conv_02"));
    bytes[0] = 0x7b;
    assertThatThrownBy(() -> calls.deserialize("calls.ended.v1", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessage(
            "a record of topic calls.ended.v1 starts with magic byte 0x7b, expected 0x00 (Confluent wire format)");
  }

  @Test
  void rejectsARecordTooShortForTheHeader() {
    assertThatThrownBy(() -> calls.deserialize("calls.ended.v1", new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("is 3 bytes")
        .hasMessageContaining("5-byte header");
  }

  @Test
  void namesTheUnknownSchemaIdAndTheTopic() {
    byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};
    assertThatThrownBy(() -> calls.deserialize("calls.ended.v1", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic calls.ended.v1")
        .hasMessageContaining("writer schema id 12345")
        .hasMessageContaining("schema id 12345 not found");
  }

  @Test
  void reportsABodyThatDoesNotDecode() {
    int id = registry.register("calls.ended.v1-value", CallEnded.getClassSchema());
    byte[] truncated =
        ByteBuffer.allocate(7).put((byte) 0).putInt(id).put((byte) 4).put((byte) 'a').array();
    assertThatThrownBy(() -> calls.deserialize("calls.ended.v1", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("does not decode as CallEnded with writer schema id " + id);
  }

  @Test
  void withoutAutoRegistrationAnUnregisteredSchemaIsAClearError() {
    AvroSerde<CallEnded> strict = calls.autoRegister(false);
    assertThatThrownBy(() -> strict.serialize("calls.ended.v1", SampleEvents.callEnded("conv_03")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(
            "schema not registered: CallEnded under subject calls.ended.v1-value");

    registry.register("calls.ended.v1-value", CallEnded.getClassSchema());
    assertThat(strict.serialize("calls.ended.v1", SampleEvents.callEnded("conv_03"))).isNotEmpty();
  }

  @Test
  void aSerdeWithoutRegistrySaysWhatToConfigure() {
    AvroSerde<CallEnded> unconfigured = AvroSerde.unconfigured(CallEnded.class);
    assertThatThrownBy(() -> unconfigured.configure(java.util.Map.of(), false))
        .hasMessageContaining("schema.registry.url");
  }

  private static AgentTenant agent(String id) {
    return AgentTenant.newBuilder()
        .setAgentId(id)
        .setTenantId("acme")
        .setUpdatedAt(Instant.parse("2026-11-01T00:00:00Z"))
        .build();
  }

  private static byte[] frame(int id, Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
