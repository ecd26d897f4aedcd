package io.callstream.enrichment;

import io.callstream.enrichment.local.LocalAnalyzer;
import io.callstream.enrichment.local.LocalDocumentWriter;
import io.callstream.enrichment.local.LocalEmbedder;
import io.callstream.enrichment.local.PocketsphinxTranscriber;
import io.callstream.enrichment.openai.OpenAiAnalyzer;
import io.callstream.enrichment.openai.OpenAiClient;
import io.callstream.enrichment.openai.OpenAiDocumentWriter;
import io.callstream.enrichment.openai.OpenAiEmbedder;
import io.callstream.enrichment.openai.OpenAiTranscriber;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The AI behind the enrichment stages: one model or service for each, and whatever must be closed
 * with them (worker pools, HTTP clients).
 */
public record Enrichers(
    Transcriber transcriber,
    Analyzer analyzer,
    DocumentWriter documents,
    Embedder embedder,
    List<AutoCloseable> resources)
    implements AutoCloseable {

  public Enrichers {
    resources = List.copyOf(resources);
  }

  public Enrichers(
      Transcriber transcriber, Analyzer analyzer, DocumentWriter documents, Embedder embedder) {
    this(transcriber, analyzer, documents, embedder, List.of());
  }

  /** The offline models: pocketsphinx, the heuristic analyzer, MiniLM embeddings. */
  public static Enrichers local(int workers, Duration defaultCallbackDelay) {
    LocalEmbedder embedder = new LocalEmbedder(workers);
    PocketsphinxTranscriber transcriber = new PocketsphinxTranscriber(workers);
    return new Enrichers(
        transcriber,
        new LocalAnalyzer(defaultCallbackDelay, embedder),
        new LocalDocumentWriter(),
        embedder,
        List.of(embedder, transcriber));
  }

  /** An OpenAI-compatible endpoint for every stage, sharing one client and its limits. */
  public static Enrichers openAi(OpenAiClient client, OpenAiModels models) {
    return new Enrichers(
        new OpenAiTranscriber(client, models.transcription(), models.audioPricePerMinute()),
        models.analyzePromptFile() == null
            ? new OpenAiAnalyzer(
                client,
                models.chat(),
                models.inputPricePerMillion(),
                models.outputPricePerMillion())
            : OpenAiAnalyzer.withPromptFile(
                client,
                models.chat(),
                models.analyzePromptFile(),
                models.inputPricePerMillion(),
                models.outputPricePerMillion()),
        new OpenAiDocumentWriter(
            client, models.chat(), models.inputPricePerMillion(), models.outputPricePerMillion()),
        new OpenAiEmbedder(
            client,
            models.embedding(),
            models.embeddingDimensions(),
            models.embeddingBatchInputs(),
            models.embeddingBatchTokens()),
        List.of(client));
  }

  /**
   * The models and prices used on an OpenAI-compatible endpoint, and the analysis prompt: a file
   * versioned by its name, or the built-in one when null.
   */
  public record OpenAiModels(
      String chat,
      String embedding,
      int embeddingDimensions,
      String transcription,
      double inputPricePerMillion,
      double outputPricePerMillion,
      double audioPricePerMinute,
      int embeddingBatchInputs,
      int embeddingBatchTokens,
      Path analyzePromptFile) {

    public static OpenAiModels defaults() {
      return new OpenAiModels(
          "gpt-4o-mini",
          "text-embedding-3-small",
          1536,
          "whisper-1",
          0.15,
          0.60,
          0.006,
          256,
          8000,
          null);
    }
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }
}
