package io.callstream.enrichment.local;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One all-MiniLM-L6-v2 session: tokenize (at most 512 tokens; longer text is truncated, chunks are
 * far shorter), run the model, mean-pool the token vectors over the attention mask and normalise to
 * unit length. Used by one thread at a time.
 */
final class MiniLmSession implements AutoCloseable {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;

  MiniLmSession(OrtEnvironment environment, byte[] model, InputStream tokenizerJson)
      throws OrtException, IOException {
    this.environment = environment;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      this.session = environment.createSession(model, options);
    }
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            tokenizerJson, Map.of("padding", "false", "truncation", "true", "maxLength", "512"));
  }

  float[] embed(String text) throws OrtException {
    Encoding encoding = tokenizer.encode(text);
    long[] mask = encoding.getAttentionMask();
    try (OnnxTensor ids = OnnxTensor.createTensor(environment, new long[][] {encoding.getIds()});
        OnnxTensor attention = OnnxTensor.createTensor(environment, new long[][] {mask});
        OnnxTensor types =
            OnnxTensor.createTensor(environment, new long[][] {encoding.getTypeIds()});
        OrtSession.Result result =
            session.run(
                Map.of("input_ids", ids, "attention_mask", attention, "token_type_ids", types))) {
      float[][] tokens = ((float[][][]) result.get(0).getValue())[0];
      float[] pooled = new float[tokens[0].length];
      long counted = 0;
      for (int t = 0; t < tokens.length; t++) {
        if (mask[t] == 0) {
          continue;
        }
        counted++;
        for (int d = 0; d < pooled.length; d++) {
          pooled[d] += tokens[t][d];
        }
      }
      double norm = 0;
      for (int d = 0; d < pooled.length; d++) {
        pooled[d] /= Math.max(1, counted);
        norm += pooled[d] * pooled[d];
      }
      float scale = (float) (1 / Math.max(1e-12, Math.sqrt(norm)));
      for (int d = 0; d < pooled.length; d++) {
        pooled[d] *= scale;
      }
      return pooled;
    }
  }

  @Override
  public void close() throws OrtException {
    tokenizer.close();
    session.close();
  }
}
