package io.callstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.CallChunk;
import io.callstream.events.CallEnded;
import io.callstream.events.EnrichedCall;
import io.callstream.events.SpeakerRole;
import io.callstream.events.Stage;
import io.callstream.events.TranscriptTurn;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.support.Events;
import io.callstream.topology.support.TopologyHarness;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call whose work grows larger than a Kafka record may be (here a small limit stands in for the
 * real one) is dead-lettered with its reason before any record of the stage that grew it is
 * written, and the calls behind it on the same partition go on.
 */
class OversizedWorkTest {
  private static final Instant T0 = Instant.parse("2026-03-10T14:00:00Z");
  private static final int LIMIT = 48 * 1024;
  private final TopologyHarness topology = new TopologyHarness(TopologyHarness.config(), T0, LIMIT);

  @AfterEach
  void close() {
    topology.close();
  }

  @Test
  void chunksTooLargeToKeepDeadLetterTheCallAndTheNextCallCompletes() {
    // about 30 KB of words: the call fits, its chunks (the words again, overlapping) do not
    CallEnded large = Events.call("conv-large", T0).setTurns(turns(30 * 1024)).build();
    CallEnded next = Events.call("conv-next", T0).build();
    topology.calls.pipeInput(large.getCallId().toString(), large, T0);
    topology.calls.pipeInput(next.getCallId().toString(), next, T0);

    WorkItem dead = topology.workItems(Topics.CALLS_DLT).readValue();
    assertThat(dead.getCallId()).isEqualTo(large.getCallId());
    assertThat(dead.getDeadLetterReason()).isEqualTo("too_large");
    assertThat(dead.getStage()).isEqualTo(Stage.CHUNK);
    assertThat(dead.getErrors()).hasSize(1);
    assertThat(dead.getErrors().get(0).getMessage())
        .contains("more than the " + LIMIT + " bytes of a Kafka record");
    assertThat(dead.getSourceTopic()).isEqualTo(Topics.CALLS_ENDED);
    assertThat(topology.workItems(Topics.CALLS_DLT).isEmpty()).isTrue();

    // the analysis was written before the chunks grew too large; no chunk of it was
    assertThat(topology.enriched().readValuesToList())
        .extracting(EnrichedCall::getCallId)
        .containsExactly(large.getCallId(), next.getCallId());
    List<UUID> chunked =
        topology.chunks().readValuesToList().stream().map(CallChunk::getCallId).distinct().toList();
    assertThat(chunked).containsExactly(next.getCallId());
  }

  @Test
  void aCallTooLargeToKeepAtAllIsDeadLetteredWithoutItsBulk() {
    CallEnded huge = Events.call("conv-huge", T0).setTurns(turns(LIMIT + 1024)).build();
    CallEnded next = Events.call("conv-after", T0).build();
    topology.calls.pipeInput(huge.getCallId().toString(), huge, T0);
    topology.calls.pipeInput(next.getCallId().toString(), next, T0);

    WorkItem dead = topology.workItems(Topics.CALLS_DLT).readValue();
    assertThat(dead.getCallId()).isEqualTo(huge.getCallId());
    assertThat(dead.getDeadLetterReason()).isEqualTo("too_large");
    assertThat(dead.getCall().getTurns()).isEmpty(); // they stay in calls.ended.v1, at its offset
    assertThat(dead.getSourceOffset()).isZero();
    assertThat(topology.enriched().readValuesToList())
        .extracting(EnrichedCall::getCallId)
        .containsExactly(next.getCallId());
    assertThat(topology.ai.count("analyze:")).isEqualTo(1); // the huge call reached no AI
  }

  private static List<TranscriptTurn> turns(int bytes) {
    List<TranscriptTurn> turns = new ArrayList<>();
    int size = 0;
    for (int i = 0; size < bytes; i++) {
      String text =
          "Turn "
              + i
              + " of a long call about the order, the delivery, the refund and the invoice again.";
      turns.add(Events.turn(i % 2 == 0 ? SpeakerRole.AGENT : SpeakerRole.USER, text));
      size += text.length();
    }
    return turns;
  }
}
