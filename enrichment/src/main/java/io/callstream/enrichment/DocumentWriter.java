package io.callstream.enrichment;

import io.callstream.enrichment.outcome.Outcome;
import java.util.concurrent.CompletionStage;

/**
 * Writes a structured markdown document from a conversation. The stage always completes normally.
 */
public interface DocumentWriter {

  String model();

  String promptVersion();

  CompletionStage<Outcome<Document>> write(Conversation conversation);
}
