package io.callstream.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.enrichment.local.LocalEmbedder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The search benchmark's corpus: support-call sentences and questions worded apart from them,
 * tenants of very different sizes, and chunks of a few sentences each loaded with COPY.
 */
final class SearchCorpus {
  static final int TENANTS = 100;
  private static final double LARGEST_SHARE = 0.32;

  /** No tenant has fewer chunks than a search asks for. */
  private static final int SMALLEST = 10;

  private static final int CHUNKS_PER_CALL = 20;
  private static final int SENTENCES_PER_CHUNK = 3;
  private static final float NOISE = 0.01f;

  private SearchCorpus() {}

  private static final List<String> THINGS =
      List.of(
          "blender",
          "fridge",
          "washing machine",
          "dishwasher",
          "oven",
          "microwave",
          "kettle",
          "toaster",
          "vacuum cleaner",
          "air conditioner",
          "heat pump",
          "solar inverter",
          "boiler",
          "router",
          "television",
          "laptop",
          "phone",
          "printer",
          "coffee machine",
          "dryer");
  private static final List<String> WHEN =
      List.of(
          "yesterday",
          "last week",
          "two days ago",
          "on Monday",
          "this morning",
          "last month",
          "on Friday",
          "three weeks ago");
  private static final List<String> COMPLAINTS =
      List.of(
          "My %s stopped working %s and I am not happy about it.",
          "I would like a refund for the %s I bought %s.",
          "The delivery of my %s was promised %s and it still has not come.",
          "I was charged twice for the %s I ordered %s.",
          "Can you move the repair visit for my %s that I booked %s?",
          "The %s has been making a loud rattling noise since %s.",
          "I need a replacement part for the %s I ordered %s.",
          "How do I reset the %s, it showed an error %s.",
          "Please cancel the order for the %s I placed %s.",
          "The technician who was meant to fix my %s %s never turned up.");
  private static final List<String> ANSWERS =
      List.of(
          "I am sorry about the %s, let me check the order from %s.",
          "I have opened a ticket for your %s, logged %s.",
          "Our engineer can look at the %s, the earliest slot is %s.");
  private static final List<String> ASKS =
      List.of(
          "customer says the %s is broken and wants the money back",
          "caller reports the %s arrived damaged in the box",
          "a client was billed the wrong amount for a %s",
          "someone needs an engineer to repair their %s at home",
          "the %s is missing from the parcel that came",
          "user sees a blinking warning light on the %s");

  static List<String> sentences() {
    List<String> sentences = new ArrayList<>();
    for (List<String> templates : List.of(COMPLAINTS, ANSWERS)) {
      for (String template : templates) {
        for (String thing : THINGS) {
          for (String when : WHEN) {
            sentences.add(template.formatted(thing, when));
          }
        }
      }
    }
    return sentences;
  }

  static List<String> questions(int count) {
    List<String> questions = new ArrayList<>();
    for (String ask : ASKS) {
      for (String thing : THINGS) {
        questions.add(ask.formatted(thing));
      }
    }
    Collections.shuffle(questions, new Random(3));
    return questions.subList(0, Math.min(count, questions.size()));
  }

  /** Rows per tenant: the largest {@link #LARGEST_SHARE}, the rest shrinking by 5% a step. */
  static int[] tenantSizes(int chunks) {
    double[] weights = new double[TENANTS];
    double rest = 0;
    for (int t = 1; t < TENANTS; t++) {
      weights[t] = Math.pow(0.95, t - 1);
      rest += weights[t];
    }
    int[] sizes = new int[TENANTS];
    sizes[0] = (int) Math.round(chunks * LARGEST_SHARE);
    int left = chunks - sizes[0];
    int given = 0;
    for (int t = 1; t < TENANTS; t++) {
      sizes[t] = Math.max(SMALLEST, (int) Math.floor(left * weights[t] / rest));
      given += sizes[t];
    }
    sizes[1] += left - given;
    return sizes;
  }

  static String tenant(int index) {
    return String.format("t%03d", index);
  }

  /**
   * Loads the corpus with COPY into call_chunks with its indexes dropped, then builds them again
   * exactly as the migrations define them.
   */
  static void load(
      PostgresCluster postgres,
      List<String> sentences,
      List<float[]> bases,
      int[] sizes,
      ObjectNode figures)
      throws Exception {
    try (Connection connection =
        DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "")) {
      List<String> indexes = new ArrayList<>();
      try (Statement statement = connection.createStatement();
          var rs =
              statement.executeQuery(
                  "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'call_chunks'"
                      + " AND indexname <> 'call_chunks_pkey'")) {
        while (rs.next()) {
          indexes.add(rs.getString(2));
          try (Statement drop = connection.createStatement()) {
            drop.execute("DROP INDEX " + rs.getString(1));
          }
        }
      }
      long start = System.nanoTime();
      CopyIn copy =
          connection
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY call_chunks (call_id, chunk_index, tenant_id, text, start_ms, end_ms,"
                      + " speaker, source, model, embedding) FROM STDIN");
      Random random = new Random(17);
      StringBuilder row = new StringBuilder(4_096);
      StringBuilder text = new StringBuilder(512);
      float[] vector = new float[LocalEmbedder.DIMENSIONS];
      for (int t = 0; t < sizes.length; t++) {
        for (int i = 0; i < sizes[t]; i++) {
          // a chunk is a few turns: their sentences' embeddings summed, moved a little by noise
          text.setLength(0);
          java.util.Arrays.fill(vector, 0);
          for (int s = 0; s < SENTENCES_PER_CHUNK; s++) {
            int base = random.nextInt(sentences.size());
            text.append(s == 0 ? "" : " ").append(sentences.get(base));
            float[] embedded = bases.get(base);
            for (int d = 0; d < vector.length; d++) {
              vector[d] += embedded[d];
            }
          }
          double norm = 0;
          for (int d = 0; d < vector.length; d++) {
            vector[d] += (float) random.nextGaussian() * NOISE;
            norm += vector[d] * vector[d];
          }
          float scale = (float) (1 / Math.sqrt(norm));
          int index = i % CHUNKS_PER_CALL;
          row.setLength(0);
          row.append(new UUID(t, i / CHUNKS_PER_CALL))
              .append('\t')
              .append(index)
              .append('\t')
              .append(tenant(t))
              .append('\t')
              .append(text)
              .append('\t')
              .append(index * 8_000L)
              .append('\t')
              .append(index * 8_000L + 7_500)
              .append('\t')
              .append(index % 2 == 0 ? "agent" : "user")
              .append("\ttranscript\t")
              .append(LocalEmbedder.MODEL)
              .append("\t[");
          for (int d = 0; d < vector.length; d++) {
            if (d > 0) {
              row.append(',');
            }
            fixed4(row, vector[d] * scale);
          }
          row.append("]\n");
          byte[] bytes = row.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
        }
      }
      copy.endCopy();
      figures.put("copy_s", (System.nanoTime() - start) / 1e9);
      try (Statement statement = connection.createStatement()) {
        for (String index : indexes) {
          long built = System.nanoTime();
          statement.execute(index);
          figures.put(
              index.replaceAll(".*INDEX (\\S+) .*", "$1") + "_s",
              (System.nanoTime() - built) / 1e9);
        }
        statement.execute("VACUUM ANALYZE call_chunks");
      }
    }
  }

  /** {@code value} with four decimals, without the cost of a formatter. */
  private static void fixed4(StringBuilder out, float value) {
    int scaled = Math.round(value * 10_000);
    if (scaled < 0) {
      out.append('-');
      scaled = -scaled;
    }
    out.append(scaled / 10_000).append('.');
    int fraction = scaled % 10_000;
    if (fraction < 1_000) {
      out.append('0');
    }
    if (fraction < 100) {
      out.append('0');
    }
    if (fraction < 10) {
      out.append('0');
    }
    out.append(fraction);
  }
}
