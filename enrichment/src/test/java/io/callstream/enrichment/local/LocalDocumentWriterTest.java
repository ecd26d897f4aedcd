package io.callstream.enrichment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.outcome.Outcome;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalDocumentWriterTest {
  @Test
  void laysTheCallOutInSections() {
    Conversation call =
        new Conversation(
            "call-3",
            List.of(
                new Utterance(Speaker.AGENT, "Northwind Plumbing, how can I help?", null, null),
                new Utterance(
                    Speaker.USER,
                    "The water heater in the garage is leaking from the drain valve.",
                    null,
                    null),
                new Utterance(
                    Speaker.AGENT,
                    "A technician is booked for tomorrow at nine to replace the drain valve. I'll send you a confirmation text.",
                    null,
                    null),
                new Utterance(
                    Speaker.USER,
                    "Great, and please call me back this afternoon about the price.",
                    null,
                    null)),
            Instant.parse("2026-11-18T10:00:00Z"),
            ZoneId.of("Europe/Berlin"));

    Document document =
        ((Outcome.Success<Document>)
                new LocalDocumentWriter().write(call).toCompletableFuture().join())
            .result();

    assertThat(document.markdown())
        .startsWith("# ")
        .contains(
            "## Summary",
            "## Key points",
            "## Decisions",
            "## Action items",
            "## Callback",
            "## Conversation")
        .contains("- A technician is booked for tomorrow at nine")
        .contains("**Caller:** The water heater in the garage is leaking");
    assertThat(document.promptVersion()).isEqualTo("local-document-v1");
  }
}
