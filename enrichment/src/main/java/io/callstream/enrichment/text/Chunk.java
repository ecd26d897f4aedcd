package io.callstream.enrichment.text;

/**
 * A piece of a document to embed: the characters {@code [start, end)} of the joined input, with the
 * speaker when one speaker said all of it, and the times of the turns or words it covers.
 */
public record Chunk(
    int index,
    String text,
    int start,
    int end,
    int tokens,
    String speaker,
    Long startMs,
    Long endMs) {}
