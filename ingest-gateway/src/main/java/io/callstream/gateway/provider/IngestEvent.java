package io.callstream.gateway.provider;

import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;

/**
 * What one accepted request becomes: an Avro event for a topic, keyed by the call's id, with the
 * event id that lets the pipeline fold duplicates.
 */
public record IngestEvent(String topic, UUID callId, String eventId, SpecificRecord value) {}
