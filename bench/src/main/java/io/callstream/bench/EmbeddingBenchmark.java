package io.callstream.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.local.LocalEmbedder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Local embeddings per second for 64-word texts, against the bare ONNX runtime on the same inputs
 * with the same threads (one single-threaded session per worker): tokenizer, session run, mean
 * pooling and normalisation, nothing else. Judged by local / bare (target >= 0.9).
 */
public final class EmbeddingBenchmark {
  private static final int WORKERS = 2;

  public static void main(String[] args) throws Exception {
    int texts = Integer.getInteger("texts", 512);
    int rounds = Integer.getInteger("rounds", 5);
    List<String> inputs = texts(texts, 64);
    try (LocalEmbedder embedder = new LocalEmbedder(WORKERS);
        Bare bare = new Bare(WORKERS)) {
      // warm up both
      embedder.embed(inputs.subList(0, 64)).toCompletableFuture().join();
      bare.embed(inputs.subList(0, 64));
      List<Double> local = new ArrayList<>();
      List<Double> raw = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        embedder.embed(inputs).toCompletableFuture().join();
        local.add(inputs.size() / ((System.nanoTime() - t0) / 1e9));
        long t1 = System.nanoTime();
        bare.embed(inputs);
        raw.add(inputs.size() / ((System.nanoTime() - t1) / 1e9));
      }
      double localRate = median(local);
      double bareRate = median(raw);
      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("benchmark", "local-embeddings");
      line.put("model", LocalEmbedder.MODEL);
      line.put("words_per_text", 64);
      line.put("texts_per_round", inputs.size());
      line.put("workers", WORKERS);
      line.put("local_per_s", Math.round(localRate));
      line.put("bare_onnx_per_s", Math.round(bareRate));
      line.put("ratio", Math.round(localRate / bareRate * 1000) / 1000.0);
      line.put("target_ratio", 0.9);
      line.put("pass", localRate / bareRate >= 0.9);
      System.out.println(line);
    }
  }

  /** The same model run directly: tokenizer, ONNX session, mean pooling, L2 normalisation. */
  private static final class Bare implements AutoCloseable {
    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final List<OrtSession> sessions = new ArrayList<>();
    private final HuggingFaceTokenizer tokenizer;
    private final ExecutorService threads = Executors.newFixedThreadPool(WORKERS);

    Bare(int workers) throws Exception {
      byte[] model;
      try (InputStream in = LocalEmbedder.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
        model = in.readAllBytes();
      }
      for (int i = 0; i < workers; i++) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        sessions.add(environment.createSession(model, options));
      }
      try (InputStream in =
          LocalEmbedder.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
        tokenizer =
            HuggingFaceTokenizer.newInstance(
                in, Map.of("padding", "false", "truncation", "true", "maxLength", "512"));
      }
    }

    void embed(List<String> texts) throws Exception {
      int size = (texts.size() + WORKERS - 1) / WORKERS;
      List<Future<?>> parts = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        OrtSession session = sessions.get(w);
        List<String> part =
            texts.subList(Math.min(texts.size(), w * size), Math.min(texts.size(), (w + 1) * size));
        parts.add(
            threads.submit(
                () -> {
                  for (String text : part) {
                    embedOne(session, text);
                  }
                  return null;
                }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    }

    private float[] embedOne(OrtSession session, String text) throws Exception {
      Encoding encoding = tokenizer.encode(text);
      long[][] ids = {encoding.getIds()};
      long[][] mask = {encoding.getAttentionMask()};
      long[][] types = {encoding.getTypeIds()};
      try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, ids);
          OnnxTensor maskTensor = OnnxTensor.createTensor(environment, mask);
          OnnxTensor typeTensor = OnnxTensor.createTensor(environment, types);
          OrtSession.Result result =
              session.run(
                  Map.of(
                      "input_ids",
                      idTensor,
                      "attention_mask",
                      maskTensor,
                      "token_type_ids",
                      typeTensor))) {
        float[][] hidden = ((float[][][]) result.get(0).getValue())[0];
        float[] pooled = new float[hidden[0].length];
        for (float[] token : hidden) {
          for (int d = 0; d < pooled.length; d++) {
            pooled[d] += token[d] / hidden.length;
          }
        }
        double norm = 0;
        for (float x : pooled) {
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int d = 0; d < pooled.length; d++) {
          pooled[d] /= (float) norm;
        }
        return pooled;
      }
    }

    @Override
    public void close() throws Exception {
      threads.shutdown();
      for (OrtSession session : sessions) {
        session.close();
      }
      tokenizer.close();
    }
  }

  /** Call-centre-like texts of {@code words} words from a fixed vocabulary and seed. */
  static List<String> texts(int count, int words) {
    String[] vocabulary =
        ("the caller said water heater leaking garage floor technician tomorrow morning price quote "
                + "appointment confirm cancel reschedule billing invoice account payment refund insurance "
                + "policy claim address street delivery order package late damaged replacement warranty "
                + "please call back afternoon evening monday tuesday friday urgent help thanks again agent")
            .split(" ");
    Random random = new Random(42);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < words; w++) {
        text.append(w == 0 ? "" : " ").append(vocabulary[random.nextInt(vocabulary.length)]);
      }
      texts.add(text.append('.').toString());
    }
    return texts;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
