package io.callstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.postgres.PostgresCluster;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.postgresql.PGConnection;

/**
 * How the chunk table's vector storage and HNSW build parameters trade build time, insert rate,
 * index size and recall, on one Postgres in one run: 384-d vectors clustered like sentence
 * embeddings, {@code rows} loaded then indexed, then {@code inserts} more inserted one by one into
 * the indexed table (the sink's steady state), then tenant-free top-10 queries compared with the
 * exact answer computed in Java. Prints one JSON line with a figure set per variant.
 */
public final class HnswStudy {
  private static final int DIMENSIONS = 384;
  private static final int K = 10;

  record Variant(String name, String type, String ops, int m, int efConstruction) {}

  private static final List<Variant> VARIANTS =
      List.of(
          new Variant("vector_m16_ef64", "vector", "vector_cosine_ops", 16, 64),
          new Variant("halfvec_m16_ef64", "halfvec", "halfvec_cosine_ops", 16, 64),
          new Variant("vector_m8_ef32", "vector", "vector_cosine_ops", 8, 32),
          new Variant("halfvec_m8_ef32", "halfvec", "halfvec_cosine_ops", 8, 32));

  public static void main(String[] args) throws Exception {
    int rows = Integer.getInteger("rows", 50_000);
    int inserts = Integer.getInteger("inserts", 2_000);
    int queries = Integer.getInteger("queries", 100);
    Random random = new Random(7);
    float[][] centers = new float[256][];
    for (int c = 0; c < centers.length; c++) {
      centers[c] = unit(gaussian(random, 1.0f));
    }
    float[][] data = new float[rows + inserts][];
    for (int i = 0; i < data.length; i++) {
      data[i] = near(centers[random.nextInt(centers.length)], random);
    }
    float[][] asked = new float[queries][];
    for (int q = 0; q < queries; q++) {
      asked[q] = near(centers[random.nextInt(centers.length)], random);
    }
    List<Set<Integer>> exact = new ArrayList<>();
    for (float[] query : asked) {
      exact.add(nearest(data, query));
    }

    ArrayNode results = new ObjectMapper().createArrayNode();
    try (PostgresCluster postgres = PostgresCluster.startTemporary();
        Connection connection =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
        statement.execute("SET maintenance_work_mem = '512MB'");
      }
      for (Variant variant : VARIANTS) {
        results.add(measure(connection, variant, data, rows, asked, exact));
      }
    }
    ObjectNode line = new ObjectMapper().createObjectNode();
    line.put("benchmark", "hnsw-study");
    line.put("rows", rows);
    line.put("inserts", inserts);
    line.put("dimensions", DIMENSIONS);
    line.put("queries", queries);
    line.put("ef_search", 40);
    line.set("variants", results);
    System.out.println(line);
  }

  private static ObjectNode measure(
      Connection connection,
      Variant variant,
      float[][] data,
      int rows,
      float[][] asked,
      List<Set<Integer>> exact)
      throws Exception {
    String table = "study_" + variant.name();
    String column = variant.type() + "(" + DIMENSIONS + ")";
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE " + table + " (id int PRIMARY KEY, embedding " + column + ")");
    }
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      csv.append(i).append(",\"").append(text(data[i])).append("\"\n");
      if (csv.length() > 8_000_000 || i == rows - 1) {
        connection
            .unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY " + table + " (id, embedding) FROM STDIN WITH (FORMAT csv)",
                new StringReader(csv.toString()));
        csv.setLength(0);
      }
    }
    long build = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE INDEX "
              + table
              + "_hnsw ON "
              + table
              + " USING hnsw (embedding "
              + variant.ops()
              + ") WITH (m = "
              + variant.m()
              + ", ef_construction = "
              + variant.efConstruction()
              + ")");
    }
    double buildSeconds = (System.nanoTime() - build) / 1e9;
    long insert = System.nanoTime();
    connection.setAutoCommit(true);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO " + table + " (id, embedding) VALUES (?, ?::" + column + ")")) {
      for (int i = rows; i < data.length; i++) {
        statement.setInt(1, i);
        statement.setString(2, text(data[i]));
        statement.executeUpdate();
      }
    }
    double insertsPerSecond = (data.length - rows) / ((System.nanoTime() - insert) / 1e9);
    long indexBytes;
    long tableBytes;
    try (Statement statement = connection.createStatement();
        ResultSet sizes =
            statement.executeQuery(
                "SELECT pg_relation_size('" + table + "_hnsw'), pg_table_size('" + table + "')")) {
      sizes.next();
      indexBytes = sizes.getLong(1);
      tableBytes = sizes.getLong(2);
    }
    double recall = 0;
    List<Double> millis = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET hnsw.ef_search = 40");
    }
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id FROM " + table + " ORDER BY embedding <=> ?::" + column + " LIMIT " + K)) {
      for (int q = 0; q < asked.length; q++) {
        statement.setString(1, text(asked[q]));
        long t0 = System.nanoTime();
        Set<Integer> found = new HashSet<>();
        try (ResultSet ids = statement.executeQuery()) {
          while (ids.next()) {
            found.add(ids.getInt(1));
          }
        }
        millis.add((System.nanoTime() - t0) / 1e6);
        found.retainAll(exact.get(q));
        recall += found.size() / (double) K;
      }
    }
    millis.sort(Double::compare);
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE " + table);
    }
    ObjectNode result = new ObjectMapper().createObjectNode();
    result.put("variant", variant.name());
    result.put("build_s", Math.round(buildSeconds * 10) / 10.0);
    result.put("inserts_per_s", Math.round(insertsPerSecond));
    result.put("index_mb", Math.round(indexBytes / 1e5) / 10.0);
    result.put("table_mb", Math.round(tableBytes / 1e5) / 10.0);
    result.put("recall_at_10", Math.round(recall / asked.length * 1000) / 1000.0);
    result.put("query_p50_ms", Math.round(millis.get(millis.size() / 2) * 100) / 100.0);
    return result;
  }

  /** The ids of the {@code K} rows nearest {@code query} by cosine distance (vectors are unit). */
  private static Set<Integer> nearest(float[][] data, float[] query) {
    Integer[] ids = new Integer[data.length];
    double[] similarity = new double[data.length];
    for (int i = 0; i < data.length; i++) {
      ids[i] = i;
      double dot = 0;
      for (int d = 0; d < DIMENSIONS; d++) {
        dot += data[i][d] * query[d];
      }
      similarity[i] = dot;
    }
    Arrays.sort(ids, (a, b) -> Double.compare(similarity[b], similarity[a]));
    return new HashSet<>(Arrays.asList(ids).subList(0, K));
  }

  private static float[] near(float[] center, Random random) {
    float[] noise = gaussian(random, 0.6f / (float) Math.sqrt(DIMENSIONS));
    float[] point = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      point[d] = center[d] + noise[d];
    }
    return unit(point);
  }

  private static float[] gaussian(Random random, float scale) {
    float[] vector = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      vector[d] = (float) random.nextGaussian() * scale;
    }
    return vector;
  }

  private static float[] unit(float[] vector) {
    double norm = 0;
    for (float value : vector) {
      norm += value * value;
    }
    float[] unit = new float[vector.length];
    for (int d = 0; d < vector.length; d++) {
      unit[d] = (float) (vector[d] / Math.sqrt(norm));
    }
    return unit;
  }

  private static String text(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 11).append('[');
    for (int d = 0; d < vector.length; d++) {
      if (d > 0) {
        text.append(',');
      }
      text.append(vector[d]);
    }
    return text.append(']').toString();
  }
}
