package io.callstream.enrichment.outcome;

/**
 * What one AI call consumed.
 *
 * @param inputTokens prompt tokens
 * @param outputTokens completion tokens
 * @param audioMillis audio transcribed
 * @param costUsd estimated cost from the configured prices
 */
public record Usage(long inputTokens, long outputTokens, long audioMillis, double costUsd) {
  public static final Usage NONE = new Usage(0, 0, 0, 0);

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        audioMillis + other.audioMillis,
        costUsd + other.costUsd);
  }
}
