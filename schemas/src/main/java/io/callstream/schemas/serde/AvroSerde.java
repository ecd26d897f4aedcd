package io.callstream.schemas.serde;

import io.callstream.schemas.registry.SchemaRegistry;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for Avro SpecificRecords in the Confluent wire format: a magic byte 0, the
 * writer schema's registry id as a 4-byte big-endian int, then the Avro binary encoding.
 *
 * <p>The subject is {@code <topic>-value} (or {@code <topic>-key} for keys). With auto-registration
 * the serializer registers its schema under that subject; without, it only looks the schema up and
 * fails when it is not there. The deserializer reads each record with the writer schema its id
 * names, resolved to the reader schema of {@code T}, so older and newer writers both decode.
 *
 * <p>Usable directly ({@link #forValues}) or configured by Kafka from {@code schema.registry.url}
 * and {@code auto.register.schemas}.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";

  static final byte MAGIC_BYTE = 0;
  static final int HEADER_LENGTH = 5;

  private final Class<T> type;
  private final Schema readerSchema;
  private final SpecificData model;
  private SchemaRegistry registry;
  private boolean isKey;
  private boolean autoRegister;
  private final Map<String, Integer> writerIdByTopic = new ConcurrentHashMap<>();
  // The size of the last record written, so the buffer for the next rarely needs to grow.
  private volatile int sizeHint = 256;
  private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  private final SpecificDatumWriter<T> writer;

  private AvroSerde(Class<T> type, SchemaRegistry registry, boolean isKey, boolean autoRegister) {
    this.type = Objects.requireNonNull(type, "type");
    this.model = SpecificData.getForClass(type);
    // The compiler's generated encoders for nested records (turns, parties, words) skip Avro's
    // generic union resolution; they write the same bytes several times faster.
    this.model.setCustomCoders(true);
    this.readerSchema = model.getSchema(type);
    this.registry = registry;
    this.isKey = isKey;
    this.autoRegister = autoRegister;
    this.writer = new SpecificDatumWriter<>(readerSchema, model);
  }

  /** A value serde that registers its schema on first write. */
  public static <T extends SpecificRecord> AvroSerde<T> forValues(
      Class<T> type, SchemaRegistry registry) {
    return new AvroSerde<>(type, registry, false, true);
  }

  /** A key serde that registers its schema on first write. */
  public static <T extends SpecificRecord> AvroSerde<T> forKeys(
      Class<T> type, SchemaRegistry registry) {
    return new AvroSerde<>(type, registry, true, true);
  }

  /** An unconfigured serde, to be set up by Kafka through {@link #configure(Map, boolean)}. */
  public static <T extends SpecificRecord> AvroSerde<T> unconfigured(Class<T> type) {
    return new AvroSerde<>(type, null, false, true);
  }

  /** This serde with auto-registration turned on or off. */
  public AvroSerde<T> autoRegister(boolean enabled) {
    return new AvroSerde<>(type, registry, isKey, enabled);
  }

  /** The Avro schema of {@code T}: what it writes, and what it reads into. */
  public Schema schema() {
    return readerSchema;
  }

  /** The registry subject for records of {@code topic}. */
  public String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    Object auto = configs.get(AUTO_REGISTER_SCHEMAS);
    if (auto != null) {
      this.autoRegister = Boolean.parseBoolean(auto.toString());
    }
    if (registry == null) {
      Object url = configs.get(SCHEMA_REGISTRY_URL);
      if (url == null) {
        throw new IllegalArgumentException(
            "AvroSerde for " + type.getSimpleName() + " needs " + SCHEMA_REGISTRY_URL);
      }
      registry = new SchemaRegistryClient(url.toString());
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this::serialize;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this::deserialize;
  }

  /** Encodes {@code record} for {@code topic}; null stays null (a tombstone). */
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    int schemaId = writerIdByTopic.computeIfAbsent(topic, this::writerId);
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint + sizeHint / 4);
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
    try {
      // Buffered: the direct encoder writes byte by byte into the (synchronized) stream.
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode a " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(),
          e);
    }
    sizeHint = out.size();
    return out.toByteArray();
  }

  /** Decodes a record of {@code topic}; null stays null (a tombstone). */
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int schemaId = schemaId(topic, data);
    SpecificDatumReader<T> reader =
        readersByWriterId.computeIfAbsent(schemaId, id -> readerFor(topic, id));
    try {
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
      return reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "a record of topic "
              + topic
              + " does not decode as "
              + type.getSimpleName()
              + " with writer schema id "
              + schemaId
              + ": "
              + e,
          e);
    }
  }

  /** The writer schema id in a Confluent-framed record, after checking the frame. */
  public static int schemaId(String topic, byte[] data) {
    if (data.length < HEADER_LENGTH) {
      throw new SerializationException(
          "a record of topic "
              + topic
              + " is "
              + data.length
              + " bytes; a Confluent wire-format record has a 5-byte header");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "a record of topic %s starts with magic byte 0x%02x, expected 0x00 (Confluent wire format)",
              topic, data[0]));
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }

  private int writerId(String topic) {
    requireRegistry();
    String subject = subject(topic);
    try {
      return autoRegister
          ? registry.register(subject, readerSchema)
          : registry.idOf(subject, readerSchema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          (autoRegister ? "cannot register " : "schema not registered: ")
              + type.getSimpleName()
              + " under subject "
              + subject
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private SpecificDatumReader<T> readerFor(String topic, int schemaId) {
    requireRegistry();
    Schema writerSchema;
    try {
      writerSchema = registry.schemaById(schemaId);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "a record of topic "
              + topic
              + " names writer schema id "
              + schemaId
              + ", which the schema registry cannot give: "
              + e.getMessage(),
          e);
    }
    return new SpecificDatumReader<>(writerSchema, readerSchema, model);
  }

  private void requireRegistry() {
    if (registry == null) {
      throw new IllegalStateException(
          "AvroSerde for "
              + type.getSimpleName()
              + " has no schema registry; configure "
              + SCHEMA_REGISTRY_URL);
    }
  }
}
