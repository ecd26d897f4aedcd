package io.callstream.enrichment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalAnalyzerTest {
  private final LocalAnalyzer analyzer = new LocalAnalyzer(Duration.ofHours(1));
  private static final Instant ENDED = Instant.parse("2026-11-18T13:30:00Z"); // 14:30 in Berlin

  private static Conversation conversation(Utterance... utterances) {
    return new Conversation("call-1", List.of(utterances), ENDED, ZoneId.of("Europe/Berlin"));
  }

  private static Utterance agent(String text) {
    return new Utterance(Speaker.AGENT, text, null, null);
  }

  private static Utterance user(String text) {
    return new Utterance(Speaker.USER, text, null, null);
  }

  @Test
  void aBookedRepairWithACallbackRequest() {
    Conversation call =
        conversation(
            agent("Hi, thanks for calling Northwind Plumbing. How can I help you today?"),
            user(
                "Hello. My water heater started leaking this morning and the garage floor is wet."),
            agent(
                "I'm sorry to hear that. Is the water heater leaking from the valve at the bottom?"),
            user("Yes, the valve at the bottom of the water heater is dripping steadily."),
            agent("I can send a technician tomorrow between nine and eleven to replace the valve."),
            user("That works, thank you so much, that's a great help."),
            agent("You're booked. I'll send you a text message with the technician's name."),
            user("Can someone also call me back tomorrow at 3pm to confirm the price?"),
            agent("Of course. Have a great day!"));

    Analysis analysis = analyzer.analyzeNow(call);

    assertThat(analysis.analyzer()).isEqualTo("local");
    assertThat(analysis.model()).isEqualTo("callstream-heuristics");
    assertThat(analysis.summary())
        .contains("water heater")
        .doesNotContain("thanks for calling")
        .doesNotContain("Have a great day");
    assertThat(analysis.topics()).contains("water", "heater");
    assertThat(analysis.title()).containsIgnoringCase("water");
    assertThat(analysis.sentiment()).isEqualTo(Analysis.Sentiment.POSITIVE);
    assertThat(analysis.speakerScores().get(Speaker.USER)).isPositive();
    assertThat(analysis.success()).isEqualTo(Analysis.Success.SUCCESSFUL);
    assertThat(analysis.callback()).isNotNull();
    assertThat(analysis.callback().dueAt())
        .isEqualTo(Instant.parse("2026-11-19T14:00:00Z")); // 15:00 Berlin
    assertThat(analysis.callback().reason()).isEqualTo("confirm the price");
    assertThat(analysis.actionItems())
        .anySatisfy(item -> assertThat(item).startsWith("I'll send you a text message"));
    // Deterministic: the same call gives the same analysis.
    assertThat(analyzer.analyzeNow(call)).isEqualTo(analysis);
  }

  @Test
  void anAngryCancellation() {
    Conversation call =
        conversation(
            agent("Thank you for calling, how can I help?"),
            user(
                "I've been waiting two weeks for the refund and nobody calls me. This is ridiculous and I am really frustrated."),
            agent("I understand, let me check the account for you."),
            user(
                "No. I'm not happy with this service at all, please cancel my subscription today."),
            agent("I have cancelled the subscription."));

    Analysis analysis = analyzer.analyzeNow(call);

    assertThat(analysis.sentiment()).isEqualTo(Analysis.Sentiment.NEGATIVE);
    assertThat(analysis.sentimentScore()).isNegative();
    assertThat(analysis.success()).isEqualTo(Analysis.Success.UNSUCCESSFUL);
    assertThat(analysis.successReason()).contains("cancel my");
    assertThat(analysis.callback()).isNull();
  }

  @Test
  void negationTurnsPraiseAround() {
    assertThat(SentimentLexicon.score("I am not happy").value()).isNegative();
    assertThat(SentimentLexicon.score("I am happy").value()).isPositive();
    assertThat(SentimentLexicon.score("the pipe is leaking and broken").value()).isZero();
  }

  @Test
  void anEmptyCallHasAnUnknownOutcomeAndNeutralSentiment() {
    Analysis analysis = analyzer.analyzeNow(conversation());
    assertThat(analysis.sentiment()).isEqualTo(Analysis.Sentiment.NEUTRAL);
    assertThat(analysis.success()).isEqualTo(Analysis.Success.UNKNOWN);
    assertThat(analysis.summary()).isEmpty();
    assertThat(analysis.title()).isEqualTo("Call");
  }
}
