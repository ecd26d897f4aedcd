package io.callstream.enrichment;

/**
 * A markdown document written from a call: title, summary, key points, decisions, action items,
 * sections.
 */
public record Document(String title, String markdown, String model, String promptVersion) {}
