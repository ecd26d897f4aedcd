package io.callstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
  static final Path README = Path.of("..", "README.md");

  @Test
  void everyVariableTheConfigRecordsReadHasAMeaningAndNoMeaningIsLeftOver() {
    assertThat(ConfigReference.rows())
        .filteredOn(row -> row.meaning().isBlank())
        .extracting(ConfigReference.Row::variable)
        .as("variables read without a meaning in ConfigReference")
        .isEmpty();
    assertThat(ConfigReference.MEANINGS.keySet())
        .as("meanings of variables nothing reads")
        .isSubsetOf(ConfigReference.componentVariables());
  }

  @Test
  void theDefaultsAreTheOnesTheRecordsFallBackTo() {
    assertThat(ConfigReference.rows())
        .anySatisfy(
            row -> {
              assertThat(row.variable()).isEqualTo("CALLSTREAM_DEDUPE_TTL");
              assertThat(row.fallback()).isEqualTo("7d");
            })
        .anySatisfy(
            row -> {
              assertThat(row.variable()).isEqualTo("KAFKA_BOOTSTRAP_SERVERS");
              assertThat(row.component()).isEqualTo("gateway, topology, query-api, commands");
              assertThat(row.required()).isTrue();
            });
  }

  @Test
  void theReadmeCarriesTheGeneratedReference() throws Exception {
    String readme = Files.readString(README);
    String begin = "<!-- config:begin (generated: ./callstream config --markdown) -->\n";
    String end = "<!-- config:end -->";
    int from = readme.indexOf(begin);
    int to = readme.indexOf(end);
    assertThat(from).as("README has the generated configuration block").isPositive();
    assertThat(readme.substring(from + begin.length(), to))
        .as("README's configuration table is stale: paste ./callstream config --markdown")
        .isEqualTo(ConfigReference.markdown());
  }
}
