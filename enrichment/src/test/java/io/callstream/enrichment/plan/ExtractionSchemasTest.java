package io.callstream.enrichment.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.enrichment.AnalysisPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionSchemasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER =
      """
      {"type": "object", "required": ["order_id"], "properties": {"order_id": {"type": "string"}}}
      """;

  @Test
  void refusesWhatIsNotAnObjectJsonSchemaInPlainWords() {
    assertThat(ExtractionSchemas.problems(ORDER)).isEmpty();
    assertThat(ExtractionSchemas.problems("{\"type\": "))
        .singleElement()
        .asString()
        .startsWith("it is not JSON");
    assertThat(ExtractionSchemas.problems("[1, 2]")).containsExactly("it is not a JSON object");
    assertThat(ExtractionSchemas.problems("{\"type\": 5}")).isNotEmpty();
    assertThat(ExtractionSchemas.problems("{\"properties\": {\"a\": {\"minLength\": -1}}}"))
        .isNotEmpty();
    assertThat(ExtractionSchemas.problems("{\"type\": \"string\"}"))
        .containsExactly("its type must be object: extracted data is a JSON object");
  }

  @Test
  void dataFieldsJoinTheSchemaAndDataIsValidatedAgainstBoth() throws Exception {
    AnalysisPlan plan =
        AnalysisPlan.of(
            ORDER,
            null,
            List.of(new AnalysisPlan.DataField("refund", "boolean", "refunded?")),
            List.of());
    var schema = ExtractionSchemas.of(plan);

    assertThat(
            ExtractionSchemas.violations(
                schema, JSON.readTree("{\"order_id\": \"A1\", \"refund\": true}")))
        .isEmpty();
    assertThat(
            ExtractionSchemas.violations(
                schema, JSON.readTree("{\"order_id\": \"A1\", \"refund\": \"yes\"}")))
        .singleElement()
        .asString()
        .contains("refund");
    assertThat(ExtractionSchemas.violations(schema, JSON.readTree("{}")))
        .singleElement()
        .asString()
        .contains("order_id");
    assertThat(ExtractionSchemas.of(AnalysisPlan.of(null, "booked", List.of(), List.of())))
        .isNull();
  }

  @Test
  void aPlansVersionChangesWithItsContentOnly() {
    AnalysisPlan plan =
        AnalysisPlan.of(
            ORDER, "paid", List.of(), List.of(new AnalysisPlan.Criterion("paid", "paid")));
    assertThat(
            AnalysisPlan.of(
                    ORDER, "paid", List.of(), List.of(new AnalysisPlan.Criterion("paid", "paid")))
                .version())
        .isEqualTo(plan.version())
        .startsWith("plan-");
    assertThat(
            AnalysisPlan.of(ORDER, "paid in full", List.of(), plan.evaluationCriteria()).version())
        .isNotEqualTo(plan.version());
    assertThat(
            AnalysisPlan.of(
                    ORDER,
                    "paid",
                    List.of(),
                    List.of(new AnalysisPlan.Criterion("paid", "in full")))
                .version())
        .isNotEqualTo(plan.version());
  }
}
