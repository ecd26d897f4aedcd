package io.callstream.schemas.topics;

/**
 * The one size budget every component agrees on, from the gateway's body limit to the largest
 * record a producer, a topic, a broker, a Kafka Streams changelog and a Connect worker take.
 *
 * <p>A call is carried whole: its event holds the provider's payload and the transcript turns
 * parsed from it (up to twice the body), and its work item adds the stage results (analysis,
 * document, chunks with their embeddings). A two-hour transcript is about 100 KB of text; the call
 * limit leaves room for twenty times that with its metadata. The record limit holds the largest
 * record such a call produces (the result cache entry of its embeddings: about 2,600 chunks of
 * 1,536 floats with an OpenAI model) with room to spare; a record that still does not fit is
 * dead-lettered, never written half.
 */
public final class SizeLimits {

  /** The largest call body accepted, webhook or API: larger bodies are answered 413. */
  public static final int MAX_CALL_BODY_BYTES = 2 * 1024 * 1024;

  /** The largest Kafka record (uncompressed) that callstream writes or asks a broker to keep. */
  public static final int MAX_RECORD_BYTES = 32 * 1024 * 1024;

  /** A producer's buffer: it must hold the largest record, with room for others beside it. */
  public static final long PRODUCER_BUFFER_BYTES = 2L * MAX_RECORD_BYTES;

  private SizeLimits() {}
}
