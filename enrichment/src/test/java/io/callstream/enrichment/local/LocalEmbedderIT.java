package io.callstream.enrichment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.outcome.Outcome;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalEmbedderIT {
  private static LocalEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = new LocalEmbedder(2);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void embedsNormalisedVectorsInOrderAndSimilarMeaningsLandClose() {
    List<String> texts =
        List.of(
            "Can you call me back tomorrow afternoon?",
            "Please return my call tomorrow after lunch.",
            "The water heater in the garage is leaking.",
            "There is water all over the floor from the boiler.",
            "What is the price of a new dishwasher?");
    List<float[]> vectors = success(embedder.embed(texts).toCompletableFuture().join());

    assertThat(vectors).hasSize(5).allSatisfy(v -> assertThat(v).hasSize(384));
    assertThat(norm(vectors.get(0))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(cosine(vectors.get(0), vectors.get(1)))
        .isGreaterThan(cosine(vectors.get(0), vectors.get(2)));
    assertThat(cosine(vectors.get(2), vectors.get(3)))
        .isGreaterThan(cosine(vectors.get(2), vectors.get(4)));
    // Order is kept across workers: embedding one text alone gives the same vector.
    float[] alone =
        success(embedder.embed(List.of(texts.get(3))).toCompletableFuture().join()).get(0);
    assertThat(cosine(alone, vectors.get(3))).isGreaterThan(0.9999);
  }

  @Test
  void anEmptyBatchIsAnEmptySuccess() {
    assertThat(success(embedder.embed(List.of()).toCompletableFuture().join())).isEmpty();
    assertThat(embedder.dimensions()).isEqualTo(384);
    assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2-q");
  }

  private static List<float[]> success(Outcome<List<float[]>> outcome) {
    assertThat(outcome).isInstanceOf(Outcome.Success.class);
    return ((Outcome.Success<List<float[]>>) outcome).result();
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }

  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }
}
