package io.callstream.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** The Range header of the audio route: what it sends of a recording, and what it refuses. */
class ByteRangeTest {

  @Example
  void theFormsAPlayerSends() {
    assertThat(AudioRoute.Range.of(null, 1000)).isNull();
    assertThat(AudioRoute.Range.of("bytes=0-99", 1000)).isEqualTo(new AudioRoute.Range(0, 99));
    assertThat(AudioRoute.Range.of("bytes=900-", 1000)).isEqualTo(new AudioRoute.Range(900, 999));
    assertThat(AudioRoute.Range.of("bytes=-100", 1000)).isEqualTo(new AudioRoute.Range(900, 999));
    assertThat(AudioRoute.Range.of("bytes=-5000", 1000)).isEqualTo(new AudioRoute.Range(0, 999));
    assertThat(AudioRoute.Range.of("bytes=990-5000", 1000))
        .isEqualTo(new AudioRoute.Range(990, 999));
  }

  @Example
  void rangesItDoesNotTakeGetTheWholeRecording() {
    assertThat(AudioRoute.Range.of("bytes=0-1,5-9", 1000)).isNull();
    assertThat(AudioRoute.Range.of("items=0-1", 1000)).isNull();
    assertThat(AudioRoute.Range.of("bytes=9-3", 1000)).isNull();
    assertThat(AudioRoute.Range.of("bytes=-", 1000)).isNull();
    assertThat(AudioRoute.Range.of("bytes=99999999999999999999-", 1000)).isNull();
  }

  @Example
  void aRangePastTheEndIs416WithTheSize() {
    assertThatThrownBy(() -> AudioRoute.Range.of("bytes=1000-", 1000))
        .isInstanceOfSatisfying(
            ApiProblem.class,
            problem -> {
              assertThat(problem.status()).isEqualTo(416);
              assertThat(problem.headers()).containsEntry("Content-Range", "bytes */1000");
            });
    assertThatThrownBy(() -> AudioRoute.Range.of("bytes=-0", 1000)).isInstanceOf(ApiProblem.class);
  }

  /** Any header at all: the whole file, a range inside it, or a 416; never anything else. */
  @Property(tries = 2000)
  void everyHeaderGivesARangeInsideTheFileOrA416(
      @ForAll("headers") String header, @ForAll @LongRange(min = 1, max = 100_000) long size) {
    AudioRoute.Range range;
    try {
      range = AudioRoute.Range.of(header, size);
    } catch (ApiProblem problem) {
      assertThat(problem.status()).isEqualTo(416);
      return;
    }
    if (range != null) {
      assertThat(range.first()).isBetween(0L, size - 1);
      assertThat(range.last()).isBetween(range.first(), size - 1);
    }
  }

  @Provide
  Arbitrary<String> headers() {
    Arbitrary<String> number =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 200_000).map(String::valueOf),
            Arbitraries.just(""),
            Arbitraries.strings().numeric().ofMinLength(19).ofMaxLength(25));
    return Arbitraries.oneOf(
        Combinators.combine(number, number).as((a, b) -> "bytes=" + a + "-" + b),
        Arbitraries.strings().ofMaxLength(30),
        Arbitraries.strings().withChars("bytes=-0123456789, ").ofMaxLength(20));
  }
}
