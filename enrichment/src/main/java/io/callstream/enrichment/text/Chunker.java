package io.callstream.enrichment.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text into chunks of about {@code targetTokens} for embedding, whole sentences at a time,
 * each chunk repeating up to {@code overlapTokens} of the end of the one before so no sentence
 * loses its context. A sentence is split only when it alone is longer than the target. Spans
 * (turns, segments, sections) are joined with a newline; a chunk's text is the characters it covers
 * of that joined document, and together the chunks cover every character of it.
 */
public final class Chunker {
  private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]*(?:[.!?]+|\\n|$)\\s*");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s");

  private final int targetTokens;
  private final int overlapTokens;

  public Chunker(int targetTokens, int overlapTokens) {
    if (targetTokens < 1 || overlapTokens < 0 || overlapTokens >= targetTokens) {
      throw new IllegalArgumentException(
          "need 0 <= overlap < target, got target " + targetTokens + ", overlap " + overlapTokens);
    }
    this.targetTokens = targetTokens;
    this.overlapTokens = overlapTokens;
  }

  /** A unit chunks are built from: a sentence (or a piece of an over-long one) of one span. */
  private record Unit(int start, int end, int tokens, int span) {}

  /** Which spans one chunk may hold together. */
  @FunctionalInterface
  private interface Together {
    boolean test(List<TextSpan> spans, int a, int b);
  }

  /**
   * Chunks of transcript turns or segments, in order. A chunk may span several turns of one
   * speaker, never a change of speaker (nor its overlap), so each chunk carries its speaker and a
   * search can ask for what the customer said.
   */
  public List<Chunk> chunk(List<TextSpan> spans) {
    return chunk(spans, (all, a, b) -> Objects.equals(all.get(a).speaker(), all.get(b).speaker()));
  }

  private List<Chunk> chunk(List<TextSpan> spans, Together together) {
    StringBuilder document = new StringBuilder();
    List<Unit> units = new ArrayList<>();
    int[] spanStarts = new int[spans.size()];
    for (int s = 0; s < spans.size(); s++) {
      if (s > 0) {
        document.append('\n');
      }
      spanStarts[s] = document.length();
      String text = spans.get(s).text();
      document.append(text);
      units.addAll(units(text, spanStarts[s], s));
    }
    // The newlines between spans belong to the unit before them.
    joinGaps(units, document.length());
    return pack(document.toString(), units, spans, spanStarts, together);
  }

  /** Chunks of a markdown document: sections (split at headings) first, then sentences. */
  public List<Chunk> chunkMarkdown(String markdown) {
    List<TextSpan> sections = new ArrayList<>();
    Matcher heading = HEADING.matcher(markdown);
    int start = 0;
    while (heading.find()) {
      if (heading.start() > start) {
        sections.add(TextSpan.plain(markdown.substring(start, heading.start() - 1)));
        start = heading.start();
      }
    }
    sections.add(TextSpan.plain(markdown.substring(start)));
    return chunk(sections, (all, a, b) -> a == b);
  }

  private List<Unit> units(String text, int offset, int span) {
    List<Unit> units = new ArrayList<>();
    Matcher m = SENTENCE.matcher(text);
    while (m.find() && m.end() > m.start()) {
      int tokens = Tokens.count(text.subSequence(m.start(), m.end()));
      if (tokens <= targetTokens) {
        units.add(new Unit(offset + m.start(), offset + m.end(), tokens, span));
      } else {
        splitLongSentence(text, m.start(), m.end(), offset, span, units);
      }
      if (m.end() == text.length()) {
        break;
      }
    }
    if (units.isEmpty()) {
      units.add(new Unit(offset, offset + text.length(), Tokens.count(text), span));
    }
    return units;
  }

  /** A sentence longer than the target is cut after every {@code targetTokens} tokens. */
  private void splitLongSentence(
      String text, int from, int to, int offset, int span, List<Unit> units) {
    int[] ends = Tokens.ends(text.subSequence(from, to));
    int pieceStart = from;
    for (int t = targetTokens - 1; t < ends.length; t += targetTokens) {
      int cut = t == ends.length - 1 ? to : from + ends[t];
      units.add(new Unit(offset + pieceStart, offset + cut, targetTokens, span));
      pieceStart = cut;
    }
    if (pieceStart < to) {
      units.add(new Unit(offset + pieceStart, offset + to, ends.length % targetTokens, span));
    }
  }

  private static void joinGaps(List<Unit> units, int documentEnd) {
    for (int i = 0; i < units.size(); i++) {
      Unit unit = units.get(i);
      int next = i + 1 < units.size() ? units.get(i + 1).start() : documentEnd;
      if (unit.end() != next) {
        units.set(i, new Unit(unit.start(), next, unit.tokens(), unit.span()));
      }
    }
  }

  private List<Chunk> pack(
      String document,
      List<Unit> units,
      List<TextSpan> spans,
      int[] spanStarts,
      Together together) {
    List<Chunk> chunks = new ArrayList<>();
    int first = 0;
    while (first < units.size()) {
      int last = first;
      int tokens = units.get(first).tokens();
      while (last + 1 < units.size()
          && tokens + units.get(last + 1).tokens() <= targetTokens
          && together.test(spans, units.get(first).span(), units.get(last + 1).span())) {
        last++;
        tokens += units.get(last).tokens();
      }
      chunks.add(
          chunkOf(
              chunks.size(), document, units.subList(first, last + 1), tokens, spans, spanStarts));
      if (last == units.size() - 1) {
        break;
      }
      // The next chunk starts with as many of this chunk's last units as fit in the overlap.
      int next = last + 1;
      int overlap = 0;
      int nextSpan = units.get(next).span();
      while (next - 1 > first
          && overlap + units.get(next - 1).tokens() <= overlapTokens
          && together.test(spans, units.get(next - 1).span(), nextSpan)) {
        next--;
        overlap += units.get(next).tokens();
      }
      first = next;
    }
    return chunks;
  }

  private static Chunk chunkOf(
      int index,
      String document,
      List<Unit> units,
      int tokens,
      List<TextSpan> spans,
      int[] spanStarts) {
    int start = units.get(0).start();
    int end = units.get(units.size() - 1).end();
    String speaker = spans.get(units.get(0).span()).speaker();
    Long startMs = null;
    Long endMs = null;
    for (Unit unit : units) {
      TextSpan span = spans.get(unit.span());
      if (!Objects.equals(speaker, span.speaker())) {
        speaker = null;
      }
      long[] times =
          times(span, unit.start() - spanStarts[unit.span()], unit.end() - spanStarts[unit.span()]);
      if (times != null) {
        startMs = startMs == null ? times[0] : Math.min(startMs, times[0]);
        endMs = endMs == null ? times[1] : Math.max(endMs, times[1]);
      }
    }
    return new Chunk(
        index, document.substring(start, end), start, end, tokens, speaker, startMs, endMs);
  }

  /**
   * The times of the part {@code [from, to)} of a span: from its words when it has them, else the
   * span's own.
   */
  private static long[] times(TextSpan span, int from, int to) {
    if (!span.words().isEmpty()) {
      long[] times = null;
      int searchFrom = 0;
      for (TextSpan.Word word : span.words()) {
        int at = span.text().indexOf(word.text(), searchFrom);
        if (at < 0) {
          continue;
        }
        searchFrom = at + word.text().length();
        if (at < to && searchFrom > from) {
          times =
              times == null
                  ? new long[] {word.startMs(), word.endMs()}
                  : new long[] {times[0], Math.max(times[1], word.endMs())};
        }
      }
      if (times != null) {
        return times;
      }
    }
    if (span.startMs() == null) {
      return null;
    }
    return new long[] {span.startMs(), span.endMs() == null ? span.startMs() : span.endMs()};
  }
}
