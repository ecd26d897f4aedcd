package io.callstream.enrichment.local;

import java.util.List;

/**
 * Multinomial logistic regression over standardised features, trained by full-batch gradient
 * descent from zero weights: the same examples always give the same model.
 */
final class SoftmaxModel {
  private static final int ITERATIONS = 400;
  private static final double RATE = 0.5;

  private final double[] mean;
  private final double[] scale;
  private final double[][] weights; // per class: one weight per feature, then the bias

  private SoftmaxModel(double[] mean, double[] scale, double[][] weights) {
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
  }

  /**
   * Learns {@code classes} classes from {@code examples} (feature vectors of one length) labelled
   * {@code labels}, with L2 penalty {@code l2} against over-fitting a small set of examples.
   */
  static SoftmaxModel train(List<double[]> examples, int[] labels, int classes, double l2) {
    int n = examples.size();
    int d = examples.getFirst().length;
    double[] mean = new double[d];
    double[] scale = new double[d];
    for (double[] x : examples) {
      for (int j = 0; j < d; j++) {
        mean[j] += x[j] / n;
      }
    }
    for (double[] x : examples) {
      for (int j = 0; j < d; j++) {
        scale[j] += (x[j] - mean[j]) * (x[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      scale[j] = scale[j] > 1e-12 ? 1 / Math.sqrt(scale[j]) : 0;
    }
    SoftmaxModel model = new SoftmaxModel(mean, scale, new double[classes][d + 1]);
    double[][] standardised = examples.stream().map(model::standardise).toArray(double[][]::new);
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      double[][] gradient = new double[classes][d + 1];
      for (int i = 0; i < n; i++) {
        double[] p = model.softmax(standardised[i]);
        for (int c = 0; c < classes; c++) {
          double error = p[c] - (labels[i] == c ? 1 : 0);
          for (int j = 0; j < d; j++) {
            gradient[c][j] += error * standardised[i][j] / n;
          }
          gradient[c][d] += error / n;
        }
      }
      for (int c = 0; c < classes; c++) {
        for (int j = 0; j <= d; j++) {
          double penalty = j < d ? l2 * model.weights[c][j] : 0;
          model.weights[c][j] -= RATE * (gradient[c][j] + penalty);
        }
      }
    }
    return model;
  }

  /** The probability of each class for {@code features}. */
  double[] probabilities(double[] features) {
    return softmax(standardise(features));
  }

  private double[] standardise(double[] x) {
    double[] z = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      z[j] = (x[j] - mean[j]) * scale[j];
    }
    return z;
  }

  private double[] softmax(double[] z) {
    int d = z.length;
    double[] logits = new double[weights.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < weights.length; c++) {
      double sum = weights[c][d];
      for (int j = 0; j < d; j++) {
        sum += weights[c][j] * z[j];
      }
      logits[c] = sum;
      max = Math.max(max, sum);
    }
    double total = 0;
    for (int c = 0; c < logits.length; c++) {
      logits[c] = Math.exp(logits[c] - max);
      total += logits[c];
    }
    for (int c = 0; c < logits.length; c++) {
      logits[c] /= total;
    }
    return logits;
  }
}
