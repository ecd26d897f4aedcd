package io.callstream.enrichment.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  @Property(tries = 300)
  void chunksCoverEveryCharacterOverlapAsConfiguredAndKeepTimesInOrder(
      @ForAll("transcripts") List<TextSpan> turns,
      @ForAll @IntRange(min = 20, max = 120) int target,
      @ForAll @IntRange(min = 0, max = 19) int overlap) {
    List<Chunk> chunks = new Chunker(target, overlap).chunk(turns);
    String document = String.join("\n", turns.stream().map(TextSpan::text).toList());

    assertThat(chunks).isNotEmpty();
    assertThat(chunks.get(0).start()).isZero();
    assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(document.length());
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      assertThat(chunk.index()).isEqualTo(i);
      assertThat(chunk.text()).isEqualTo(document.substring(chunk.start(), chunk.end()));
      assertThat(Tokens.count(chunk.text())).isLessThanOrEqualTo(target);
      assertThat(chunk.startMs()).isLessThanOrEqualTo(chunk.endMs());
      if (i > 0) {
        Chunk previous = chunks.get(i - 1);
        // no gap: every character is in some chunk
        assertThat(chunk.start()).isLessThanOrEqualTo(previous.end());
        // progress, and an overlap of at most the configured tokens
        assertThat(chunk.start()).isGreaterThan(previous.start());
        assertThat(Tokens.count(document.substring(chunk.start(), previous.end())))
            .isLessThanOrEqualTo(overlap);
        assertThat(chunk.startMs()).isGreaterThanOrEqualTo(previous.startMs());
      }
    }
  }

  @Property(tries = 200)
  void sentencesShorterThanTheTargetAreNeverSplit(@ForAll("transcripts") List<TextSpan> turns) {
    List<Chunk> chunks = new Chunker(40, 8).chunk(turns);
    String document = String.join("\n", turns.stream().map(TextSpan::text).toList());
    for (Chunk chunk : chunks) {
      if (chunk.start() > 0) {
        char before = document.charAt(chunk.start() - 1);
        assertThat(Character.isWhitespace(before))
            .as(
                "chunk %d starts mid-sentence: ...%s|%s",
                chunk.index(),
                document.substring(Math.max(0, chunk.start() - 10), chunk.start()),
                chunk.text())
            .isTrue();
        assertThat(document.substring(0, chunk.start()).stripTrailing())
            .matches("(?s).*[.!?]$|(?s).*\\n.*|");
      }
    }
  }

  @Test
  void aSentenceLongerThanTheTargetIsCutAndNothingIsLost() {
    String longSentence = "word ".repeat(95).trim() + ".";
    List<Chunk> chunks =
        new Chunker(30, 5).chunk(List.of(TextSpan.plain("Short one. " + longSentence + " Done.")));
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(30));
    assertThat(String.join("", chunks.stream().map(Chunk::text).toList())).contains("word word");
    assertThat(chunks.get(chunks.size() - 1).text()).endsWith("Done.");
  }

  @Test
  void chunksCarryTheSpeakerAndTheTimesOfTheTurnsTheyCover() {
    List<TextSpan> turns =
        List.of(
            TextSpan.turn("agent", "Thanks for calling. How can I help?", 0L, 3_000L),
            TextSpan.turn("user", "My heater leaks. Please call me back tomorrow.", 3_200L, 7_000L),
            TextSpan.turn("agent", "Sure, we will call you tomorrow at nine.", 7_500L, 10_000L));
    List<Chunk> oneEach = new Chunker(12, 0).chunk(turns);
    assertThat(oneEach).extracting(Chunk::speaker).containsExactly("agent", "user", "agent");
    assertThat(oneEach).extracting(Chunk::startMs).containsExactly(0L, 3_200L, 7_500L);
    // however much room there is, a chunk never holds a change of speaker
    List<Chunk> roomy = new Chunker(200, 20).chunk(turns);
    assertThat(roomy).extracting(Chunk::speaker).containsExactly("agent", "user", "agent");
    assertThat(roomy).extracting(Chunk::endMs).containsExactly(3_000L, 7_000L, 10_000L);
  }

  @Test
  void turnsOfOneSpeakerInARowShareAChunk() {
    List<TextSpan> turns =
        List.of(
            TextSpan.turn("user", "Hello?", 0L, 1_000L),
            TextSpan.turn("user", "My heater leaks.", 1_500L, 3_000L),
            TextSpan.turn("agent", "I can help with that.", 3_500L, 5_000L));
    List<Chunk> chunks = new Chunker(200, 0).chunk(turns);
    assertThat(chunks).extracting(Chunk::speaker).containsExactly("user", "agent");
    assertThat(chunks.get(0).text()).isEqualTo("Hello?\nMy heater leaks.\n");
    assertThat(chunks.get(0).startMs()).isZero();
    assertThat(chunks.get(0).endMs()).isEqualTo(3_000L);
  }

  @Test
  void wordTimesNarrowAChunkToTheWordsItCovers() {
    TextSpan segment =
        new TextSpan(
            "call me back. tomorrow at three.",
            "caller",
            0L,
            9_000L,
            List.of(
                new TextSpan.Word("call", 1_000, 1_300),
                new TextSpan.Word("me", 1_300, 1_400),
                new TextSpan.Word("back", 1_400, 1_800),
                new TextSpan.Word("tomorrow", 5_000, 5_600),
                new TextSpan.Word("at", 5_600, 5_700),
                new TextSpan.Word("three", 5_700, 6_100)));
    List<Chunk> chunks = new Chunker(4, 0).chunk(List.of(segment));
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).startMs()).isEqualTo(1_000L);
    assertThat(chunks.get(0).endMs()).isEqualTo(1_800L);
    assertThat(chunks.get(1).startMs()).isEqualTo(5_000L);
    assertThat(chunks.get(1).endMs()).isEqualTo(6_100L);
  }

  @Test
  void markdownIsSplitAtHeadingsFirst() {
    String markdown =
        "# Call summary\nThe caller reported a leak.\n## Action items\n- Send a plumber.\n- Call back at 3pm.";
    List<Chunk> chunks = new Chunker(200, 0).chunkMarkdown(markdown);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).text()).startsWith("# Call summary");
    assertThat(chunks.get(1).text()).startsWith("## Action items");
    assertThat(chunks.get(1).end()).isEqualTo(markdown.length());
  }

  @Test
  void rejectsAnOverlapAsLargeAsTheTarget() {
    assertThatThrownBy(() -> new Chunker(10, 10)).hasMessageContaining("overlap < target");
  }

  @Provide
  Arbitrary<List<TextSpan>> transcripts() {
    Arbitrary<String> word =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(9);
    Arbitrary<String> sentence =
        Combinators.combine(
                word.list().ofMinSize(1).ofMaxSize(18),
                Arbitraries.of(".", "?", "!", ", and then."))
            .as((words, end) -> String.join(" ", words) + end);
    Arbitrary<String> turnText =
        sentence.list().ofMinSize(1).ofMaxSize(5).map(s -> String.join(" ", s));
    return turnText
        .list()
        .ofMinSize(1)
        .ofMaxSize(12)
        .map(
            texts -> {
              List<TextSpan> turns = new ArrayList<>();
              long t = 0;
              for (int i = 0; i < texts.size(); i++) {
                long duration = 500L * texts.get(i).split(" ").length;
                turns.add(
                    TextSpan.turn(i % 2 == 0 ? "agent" : "user", texts.get(i), t, t + duration));
                t += duration + 200;
              }
              return turns;
            });
  }
}
