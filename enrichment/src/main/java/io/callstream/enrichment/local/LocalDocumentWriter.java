package io.callstream.enrichment.local;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.DocumentWriter;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.outcome.Usage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * The offline document writer: the local analyzer's findings laid out as markdown, with the
 * conversation itself as the last section. Extractive, like the analyzer: every sentence in it was
 * said on the call.
 */
public final class LocalDocumentWriter implements DocumentWriter {
  private static final Pattern DECISION =
      Pattern.compile(
          "\\b(agreed|decided|booked|confirmed|scheduled|cancell?ed|approved|we'll go with|let's go with|that works)\\b",
          Pattern.CASE_INSENSITIVE);

  private final LocalAnalyzer analyzer = new LocalAnalyzer(Duration.ofHours(1));

  @Override
  public String model() {
    return LocalAnalyzer.MODEL;
  }

  @Override
  public String promptVersion() {
    return "local-document-v1";
  }

  @Override
  public CompletionStage<Outcome<Document>> write(Conversation conversation) {
    Analysis analysis = analyzer.analyzeNow(conversation);
    StringBuilder md = new StringBuilder();
    md.append("# ").append(analysis.title()).append("\n\n");
    md.append("## Summary\n\n")
        .append(
            analysis.summary().isEmpty() ? "Nothing of substance was said." : analysis.summary())
        .append("\n\n");
    section(md, "Key points", List.of(Summarizer.summary(conversation, 5).split("(?<=[.!?])\\s+")));
    section(
        md,
        "Decisions",
        conversation.utterances().stream()
            .map(Conversation.Utterance::text)
            .filter(t -> DECISION.matcher(t).find())
            .toList());
    section(md, "Action items", analysis.actionItems());
    if (analysis.callback() != null) {
      md.append("## Callback\n\nDue ")
          .append(analysis.callback().dueAt())
          .append(
              analysis.callback().reason() == null ? "" : ", to " + analysis.callback().reason())
          .append(".\n\n");
    }
    md.append("## Conversation\n\n");
    for (Conversation.Utterance utterance : conversation.utterances()) {
      md.append("**")
          .append(utterance.speaker() == Conversation.Speaker.AGENT ? "Agent" : "Caller")
          .append(":** ")
          .append(utterance.text())
          .append("\n\n");
    }
    return CompletableFuture.completedFuture(
        Outcome.success(
            new Document(analysis.title(), md.toString().strip() + "\n", model(), promptVersion()),
            Usage.NONE));
  }

  private static void section(StringBuilder md, String heading, List<String> items) {
    List<String> present = items.stream().filter(item -> !item.isBlank()).toList();
    if (present.isEmpty()) {
      return;
    }
    md.append("## ").append(heading).append("\n\n");
    present.forEach(item -> md.append("- ").append(item.strip()).append('\n'));
    md.append('\n');
  }
}
