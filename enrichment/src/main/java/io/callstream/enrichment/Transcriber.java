package io.callstream.enrichment;

import io.callstream.enrichment.outcome.Outcome;
import java.net.URI;
import java.util.concurrent.CompletionStage;

/** Turns recorded speech into text with word times. The stage always completes normally. */
public interface Transcriber {

  /** The recogniser's id, stored with every transcript it makes. */
  String model();

  /** Transcribes the audio at {@code audio} (a file: or http(s): URL). */
  CompletionStage<Outcome<Transcription>> transcribe(URI audio);
}
