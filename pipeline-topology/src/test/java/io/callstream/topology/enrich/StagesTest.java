package io.callstream.topology.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.enrichment.text.Chunker;
import io.callstream.events.Stage;
import io.callstream.topology.support.ScriptedAi;
import io.callstream.topology.tenant.TenantPolicies;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class StagesTest {
  private final Stages stages =
      new Stages(
          new ScriptedAi().enrichers(),
          new Chunker(200, 20),
          new TenantPolicies(tenant -> false),
          Clock.systemUTC());

  @Test
  void recordingsStartWithTranscriptionAndCallsWithAnalysis() {
    assertThat(Stages.first(true)).isEqualTo(Stage.TRANSCRIBE);
    assertThat(Stages.first(false)).isEqualTo(Stage.ANALYZE);
  }

  @Test
  void stagesRunInOrderToDone() {
    assertThat(stages.next(Stage.TRANSCRIBE)).isEqualTo(Stage.ANALYZE);
    assertThat(stages.next(Stage.ANALYZE)).isEqualTo(Stage.CHUNK);
    assertThat(stages.next(Stage.CHUNK)).isEqualTo(Stage.EMBED);
    assertThat(stages.next(Stage.EMBED)).isEqualTo(Stage.DONE);
  }

  @Test
  void eachStageIsItsOwnObjectNamingItsStage() {
    for (Stage stage : new Stage[] {Stage.TRANSCRIBE, Stage.ANALYZE, Stage.CHUNK, Stage.EMBED}) {
      assertThat(stages.of(stage).stage()).isEqualTo(stage);
    }
  }

  @Test
  void nothingFollowsDoneNorTheStagesBeforeEnrichment() {
    assertThatThrownBy(() -> stages.next(Stage.DONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no stage follows DONE");
    // an item held at ROUTE (its agent unmapped) restarts at Stages.first once mapped
    assertThatThrownBy(() -> stages.next(Stage.ROUTE))
        .hasMessageContaining("no stage follows ROUTE");
  }
}
