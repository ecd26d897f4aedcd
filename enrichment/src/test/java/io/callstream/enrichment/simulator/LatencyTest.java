package io.callstream.enrichment.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.simulator.AiSimulator.Latency;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyTest {
  @Test
  void samplesHaveTheConfiguredMedianAndP99() {
    Latency latency = new Latency(Duration.ofMillis(500), Duration.ofSeconds(2));
    Random random = new Random(7);
    long[] samples = new long[20_000];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = AiSimulator.sample(latency, random).toMillis();
    }
    Arrays.sort(samples);
    assertThat(samples[samples.length / 2]).isBetween(475L, 525L);
    assertThat(samples[(int) (samples.length * 0.99)]).isBetween(1_800L, 2_200L);
  }

  @Test
  void noLatencyMeansNoWait() {
    assertThat(AiSimulator.sample(Latency.NONE, new Random(1))).isZero();
  }
}
