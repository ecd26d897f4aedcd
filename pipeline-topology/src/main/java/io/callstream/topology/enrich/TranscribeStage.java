package io.callstream.topology.enrich;

import static io.callstream.topology.enrich.StageResults.NO_PROMPT;

import io.callstream.enrichment.Transcriber;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.outcome.Usage;
import io.callstream.enrichment.text.LanguageDetection;
import io.callstream.events.Stage;
import io.callstream.events.StageResult;
import io.callstream.events.Transcript;
import io.callstream.events.TranscriptSegment;
import io.callstream.events.TranscriptWord;
import io.callstream.events.WorkItem;
import io.callstream.schemas.topics.Topics;
import io.callstream.topology.Routed;
import io.callstream.topology.intake.CallView;
import io.callstream.topology.tenant.TenantPolicies;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** TRANSCRIBE, for recordings: speech to text, with times per segment and word. */
record TranscribeStage(Transcriber transcriber, Clock clock) implements EnrichmentStage {

  @Override
  public Stage stage() {
    return Stage.TRANSCRIBE;
  }

  @Override
  public Stage next() {
    return Stage.ANALYZE;
  }

  @Override
  public StageCall call(WorkItem item) {
    String model = transcriber.model();
    String audio = item.getRecording().getAudioUrl();
    return new StageCall(
        StageResults.cacheKey(Stage.TRANSCRIBE, model, NO_PROMPT, audio),
        () ->
            transcriber
                .transcribe(URI.create(audio))
                .thenApply(
                    outcome ->
                        StageResults.map(
                            outcome,
                            (transcription, usage) ->
                                StageResults.result(
                                        Stage.TRANSCRIBE, model, NO_PROMPT, usage, clock.instant())
                                    .setTranscript(transcript(item, transcription, usage)))));
  }

  @Override
  public WorkItem write(WorkItem item, StageResult result, boolean cached) {
    Transcript transcript =
        cached
            ? CallView.of(item).stamp(Transcript.newBuilder(result.getTranscript())).build()
            : result.getTranscript();
    return WorkItem.newBuilder(item).setTranscript(transcript).build();
  }

  @Override
  public List<Routed> outputs(WorkItem item) {
    return List.of(Routed.to(Topics.CALLS_TRANSCRIBED, item.getTranscript()));
  }

  private Transcript transcript(WorkItem item, Transcription transcription, Usage usage) {
    List<TranscriptSegment> segments = new ArrayList<>();
    for (Transcription.Segment segment : transcription.segments()) {
      List<TranscriptWord> words = new ArrayList<>();
      segment
          .words()
          .forEach(w -> words.add(new TranscriptWord(w.text(), w.startMs(), w.endMs(), null)));
      segments.add(
          new TranscriptSegment(
              segment.index(),
              null,
              segment.text(),
              segment.startMs(),
              segment.endMs(),
              segment.confidence(),
              words));
    }
    return CallView.of(item)
        .stamp(
            Transcript.newBuilder()
                // a transcriber that does not say its language has it detected from the words
                .setLanguage(
                    TenantPolicies.language(item) != null
                        ? TenantPolicies.language(item)
                        : transcription.language() != null
                            ? transcription.language()
                            : LanguageDetection.get().of(transcription.text()))
                .setDurationMs(transcription.durationMs())
                .setText(transcription.text())
                .setSegments(segments)
                .setModel(transcription.model())
                .setUsage(StageResults.usage(usage))
                .setTranscribedAt(clock.instant()))
        .build();
  }
}
