package io.callstream.topology.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.callstream.events.Stage;
import org.junit.jupiter.api.Test;

class StagesTest {

  @Test
  void recordingsStartWithTranscriptionAndCallsWithAnalysis() {
    assertThat(Stages.first(true)).isEqualTo(Stage.TRANSCRIBE);
    assertThat(Stages.first(false)).isEqualTo(Stage.ANALYZE);
  }

  @Test
  void stagesRunInOrderToDone() {
    assertThat(Stages.next(Stage.TRANSCRIBE)).isEqualTo(Stage.ANALYZE);
    assertThat(Stages.next(Stage.ANALYZE)).isEqualTo(Stage.CHUNK);
    assertThat(Stages.next(Stage.CHUNK)).isEqualTo(Stage.EMBED);
    assertThat(Stages.next(Stage.EMBED)).isEqualTo(Stage.DONE);
    assertThat(Stages.next(Stage.ROUTE)).isEqualTo(Stage.ANALYZE);
  }

  @Test
  void nothingFollowsDone() {
    assertThatThrownBy(() -> Stages.next(Stage.DONE)).isInstanceOf(IllegalArgumentException.class);
  }
}
