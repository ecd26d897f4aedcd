package io.callstream.enrichment.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.Tokens;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Embeddings from an OpenAI-compatible {@code /embeddings} endpoint, in batches of at most {@code
 * maxInputs} texts and {@code maxTokens} tokens per request, sent at once and put back in order. If
 * any batch fails, the whole call fails the same way (transient before permanent). Vectors are
 * asked for base64-encoded (little-endian float32), as OpenAI's own clients do: a quarter of the
 * bytes of decimal text, and decoded without parsing a number per dimension; a server that ignores
 * {@code encoding_format} and answers arrays of numbers is read too.
 */
public final class OpenAiEmbedder implements Embedder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiClient client;
  private final String model;
  private final int dimensions;
  private final int maxInputs;
  private final int maxTokens;

  public OpenAiEmbedder(
      OpenAiClient client, String model, int dimensions, int maxInputs, int maxTokens) {
    this.client = client;
    this.model = model;
    this.dimensions = dimensions;
    this.maxInputs = maxInputs;
    this.maxTokens = maxTokens;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public CompletionStage<Outcome<List<float[]>>> embed(List<String> texts) {
    List<CompletableFuture<Outcome<List<float[]>>>> batches = new ArrayList<>();
    for (List<String> batch : batches(texts)) {
      batches.add(send(batch));
    }
    return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<float[]> vectors = new ArrayList<>(texts.size());
              Usage usage = Usage.NONE;
              Outcome<List<float[]>> failure = null;
              for (CompletableFuture<Outcome<List<float[]>>> batch : batches) {
                switch (batch.join()) {
                  case Outcome.Success<List<float[]>> s -> {
                    vectors.addAll(s.result());
                    usage = usage.plus(s.usage());
                  }
                  case Outcome.Transient<List<float[]>> t -> failure = t;
                  case Outcome.Permanent<List<float[]>> p ->
                      failure = failure instanceof Outcome.Transient<?> ? failure : p;
                }
              }
              return failure != null ? failure : Outcome.success(vectors, usage);
            });
  }

  /** The texts split so no request exceeds either limit. */
  List<List<String>> batches(List<String> texts) {
    List<List<String>> batches = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int tokens = 0;
    for (String text : texts) {
      int count = Tokens.count(text);
      if (!current.isEmpty() && (current.size() == maxInputs || tokens + count > maxTokens)) {
        batches.add(current);
        current = new ArrayList<>();
        tokens = 0;
      }
      current.add(text);
      tokens += count;
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  private CompletableFuture<Outcome<List<float[]>>> send(List<String> batch) {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", model);
    request.put("dimensions", dimensions);
    request.put("encoding_format", "base64");
    batch.forEach(request.putArray("input")::add);
    int tokens = batch.stream().mapToInt(Tokens::count).sum();
    return client
        .postJson("/embeddings", request, tokens)
        .thenApply(
            outcome ->
                switch (outcome) {
                  case Outcome.Success<JsonNode> s -> vectors(s.result(), batch.size(), s.usage());
                  case Outcome.Transient<JsonNode> t ->
                      Outcome.transientFailure(t.reason(), t.retryAfter());
                  case Outcome.Permanent<JsonNode> p -> Outcome.permanentFailure(p.reason());
                });
  }

  private Outcome<List<float[]>> vectors(JsonNode body, int expected, Usage usage) {
    JsonNode data = body.path("data");
    if (data.size() != expected) {
      return Outcome.transientFailure(
          "the embeddings answer has " + data.size() + " vectors for " + expected + " texts",
          java.time.Duration.ZERO);
    }
    float[][] vectors = new float[expected][];
    for (JsonNode item : data) {
      float[] vector = vector(item.path("embedding"));
      if (vector.length != dimensions) {
        return Outcome.permanentFailure(
            "the model returned "
                + vector.length
                + " dimensions, "
                + dimensions
                + " were configured");
      }
      vectors[item.path("index").asInt()] = vector;
    }
    return Outcome.success(List.of(vectors), usage);
  }

  /** A vector as base64 of little-endian float32s, or as an array of numbers. */
  private static float[] vector(JsonNode embedding) {
    if (embedding.isTextual()) {
      FloatBuffer floats =
          ByteBuffer.wrap(Base64.getDecoder().decode(embedding.asText()))
              .order(ByteOrder.LITTLE_ENDIAN)
              .asFloatBuffer();
      float[] vector = new float[floats.remaining()];
      floats.get(vector);
      return vector;
    }
    float[] vector = new float[embedding.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) embedding.get(i).asDouble();
    }
    return vector;
  }
}
