package io.callstream.enrichment;

import io.callstream.enrichment.text.TextSpan;
import java.util.List;

/**
 * What a recogniser heard: the text, split into segments at pauses, each with its words and times.
 *
 * @param language BCP 47 tag of the language recognised
 * @param durationMs length of the audio
 */
public record Transcription(
    String text, List<Segment> segments, String language, long durationMs, String model) {

  /** A stretch of speech between pauses. */
  public record Segment(
      int index,
      String text,
      long startMs,
      long endMs,
      Double confidence,
      List<TextSpan.Word> words) {}
}
