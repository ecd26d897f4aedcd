package io.callstream.enrichment.text;

import java.util.List;

/**
 * A stretch of text to chunk with what is known of it: a transcript turn or segment (speaker,
 * times, and per-word times when a recognizer made it) or a section of a document (no speaker or
 * times).
 */
public record TextSpan(String text, String speaker, Long startMs, Long endMs, List<Word> words) {

  /** A recognised word and its time in the audio. */
  public record Word(String text, long startMs, long endMs) {}

  public static TextSpan turn(String speaker, String text, Long startMs, Long endMs) {
    return new TextSpan(text, speaker, startMs, endMs, List.of());
  }

  public static TextSpan plain(String text) {
    return new TextSpan(text, null, null, null, List.of());
  }
}
