package io.callstream.enrichment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.text.TextSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

class PocketsphinxOutputTest {

  @Test
  void readsWordsAndTimesAndSplitsSegmentsAtPauses() {
    String output =
        """
        please call me back tomorrow
        <s> 0.000 0.180 0.999500
        please 0.190 0.550 0.900000
        call 0.560 0.800 0.800000
        <sil> 0.810 0.880 0.990148
        me 0.910 1.000 1.000000
        back(2) 1.010 1.300 0.700000
        <sil> 1.310 1.900 0.984421
        tomorrow 1.910 2.400 0.600000
        </s> 2.410 2.500 1.000000
        """;
    Transcription t = PocketsphinxTranscriber.parse(output, 2500);
    assertThat(t.text()).isEqualTo("please call me back tomorrow");
    assertThat(t.segments()).hasSize(2);
    assertThat(t.segments().get(0).words())
        .containsExactly(
            new TextSpan.Word("please", 190, 550), new TextSpan.Word("call", 560, 800),
            new TextSpan.Word("me", 910, 1000), new TextSpan.Word("back", 1010, 1300));
    assertThat(t.segments().get(0).confidence())
        .isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(t.segments().get(1).startMs()).isEqualTo(1910);
    assertThat(t.durationMs()).isEqualTo(2500);
  }

  @Test
  void wordErrorRateCountsSubstitutionsInsertionsAndDeletions() {
    assertThat(WordErrorRate.of(List.of("a", "b", "c", "d"), List.of("a", "x", "c", "d", "e")))
        .isEqualTo(0.5);
    assertThat(WordErrorRate.of(List.of("a", "b"), List.of("a", "b"))).isZero();
    assertThat(WordErrorRate.of(List.of("a", "b"), List.of())).isEqualTo(1.0);
  }
}
