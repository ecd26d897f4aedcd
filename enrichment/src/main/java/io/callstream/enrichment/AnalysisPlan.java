package io.callstream.enrichment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a tenant wants from the analysis of its calls: data extracted against its JSON Schema,
 * values collected by name, what success means in words, and criteria each call is judged by.
 *
 * @param version a digest of the content: equal plans have equal versions, and a changed plan a new
 *     one, which is part of the AI result cache key
 * @param extractionSchema a JSON Schema as JSON text, or null
 * @param successCriteria what success means, in words, or null
 */
public record AnalysisPlan(
    String version,
    String extractionSchema,
    String successCriteria,
    List<DataField> dataCollection,
    List<Criterion> evaluationCriteria) {

  /** One value to collect: {@code type} is string, number, integer or boolean. */
  public record DataField(String name, String type, String description) {}

  /** One criterion a call is judged by. */
  public record Criterion(String name, String description) {}

  public static final List<String> FIELD_TYPES = List.of("string", "number", "integer", "boolean");

  public AnalysisPlan {
    dataCollection = List.copyOf(dataCollection);
    evaluationCriteria = List.copyOf(evaluationCriteria);
  }

  /** The plan with these contents, versioned by their digest. */
  public static AnalysisPlan of(
      String extractionSchema,
      String successCriteria,
      List<DataField> dataCollection,
      List<Criterion> evaluationCriteria) {
    StringBuilder content = new StringBuilder();
    content.append("schema\0").append(extractionSchema).append('\0');
    content.append("success\0").append(successCriteria).append('\0');
    dataCollection.forEach(
        f ->
            content
                .append("field\0")
                .append(f.name())
                .append('\0')
                .append(f.type())
                .append('\0')
                .append(f.description())
                .append('\0'));
    evaluationCriteria.forEach(
        c ->
            content
                .append("criterion\0")
                .append(c.name())
                .append('\0')
                .append(c.description())
                .append('\0'));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(content.toString().getBytes(StandardCharsets.UTF_8));
      return new AnalysisPlan(
          "plan-" + HexFormat.of().formatHex(digest, 0, 6),
          extractionSchema,
          successCriteria,
          dataCollection,
          evaluationCriteria);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the plan asks for extracted data (a schema or data-collection fields). */
  public boolean extracts() {
    return extractionSchema != null || !dataCollection.isEmpty();
  }
}
