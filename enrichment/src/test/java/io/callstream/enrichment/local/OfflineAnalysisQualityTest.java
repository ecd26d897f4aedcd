package io.callstream.enrichment.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.Analysis.Sentiment;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.outcome.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline analyzer measured on the held-out part of the labelled corpus, which it never learned
 * from, against the targets: sentiment macro-F1 at least 0.80 with NEGATIVE recall at least 0.80,
 * success accuracy at least 0.75.
 */
class OfflineAnalysisQualityTest {
  private static LocalEmbedder embedder;
  private static LocalAnalyzer analyzer;

  @BeforeAll
  static void start() {
    embedder = new LocalEmbedder(2);
    analyzer = new LocalAnalyzer(Duration.ofHours(1), embedder);
  }

  @AfterAll
  static void stop() {
    embedder.close();
  }

  static List<LabelledCall> heldOut() throws IOException {
    try (InputStream in =
        OfflineAnalysisQualityTest.class.getResourceAsStream("held-out-calls.txt")) {
      return LabelledCall.read(in);
    }
  }

  @Test
  void theCorpusHoldsAtLeast150CallsAcrossDomainsWithAHeldOutPartNeverTunedOn() throws IOException {
    List<LabelledCall> tuning = LabelledCall.tuningPart();
    List<LabelledCall> heldOut = heldOut();
    assertThat(tuning.size() + heldOut.size()).isGreaterThanOrEqualTo(150);
    assertThat(heldOut.size()).isGreaterThanOrEqualTo(45);
    Set<String> tuningIds = tuning.stream().map(LabelledCall::id).collect(Collectors.toSet());
    Set<String> tuningReasons =
        tuning.stream().map(LabelledCall::reason).collect(Collectors.toSet());
    assertThat(heldOut).noneMatch(call -> tuningIds.contains(call.id()));
    assertThat(heldOut).noneMatch(call -> tuningReasons.contains(call.reason()));
    Set<String> domains =
        heldOut.stream()
            .map(call -> call.id().replaceAll("-\\d+$", ""))
            .collect(Collectors.toSet());
    assertThat(domains)
        .contains("retail", "utility", "health", "solar", "collect", "voicemail", "wrong");
    assertThat(heldOut.stream().map(LabelledCall::sentiment).distinct())
        .containsExactlyInAnyOrder(Sentiment.NEGATIVE, Sentiment.NEUTRAL, Sentiment.POSITIVE);
  }

  @Test
  void onTheHeldOutPartItMeetsItsTargets() throws IOException {
    AnalysisScores scores = AnalysisScores.of(analyzer, heldOut());

    assertThat(scores.sentimentMacroF1()).as(scores.toString()).isGreaterThanOrEqualTo(0.80);
    assertThat(scores.recall().get(Sentiment.NEGATIVE))
        .as(scores.toString())
        .isGreaterThanOrEqualTo(0.80);
    assertThat(scores.successAccuracy()).as(scores.toString()).isGreaterThanOrEqualTo(0.75);
  }

  @Test
  void theRulesAloneFallShortOfWhatTheClassifierReaches() throws IOException {
    List<LabelledCall> calls = heldOut();
    AnalysisScores learned = AnalysisScores.of(analyzer, calls);
    AnalysisScores rules = AnalysisScores.of(new LocalAnalyzer(Duration.ofHours(1)), calls);

    assertThat(learned.sentimentMacroF1()).isGreaterThan(rules.sentimentMacroF1());
    assertThat(learned.successAccuracy()).isGreaterThan(rules.successAccuracy());
  }

  @Test
  void complaintsAboutAFaultADelayOrABrokenPromiseAreNegativeWithoutAnEmotionalWord() {
    List<Conversation> complaints =
        List.of(
            call(
                "Good morning, Homestore, Kate speaking.",
                "The kettle I bought on Saturday is broken. The switch doesn't work. I want my money"
                    + " back, the full price.",
                "Could I take the order number?",
                "It's on the receipt I emailed you. I expect a refund today."),
            call(
                "Thank you for holding, this is Dev.",
                "I've been on hold for forty minutes. Forty minutes to ask about my own account.",
                "I apologise for the wait. How can I help?",
                "I need the balance on my loan."),
            call(
                "Parcel services, Amy here.",
                "My delivery never came. It was due on Monday and the tracking says delivered, but"
                    + " there is nothing here.",
                "I'll check with the driver.",
                "You said that yesterday."));
    for (Conversation complaint : complaints) {
      assertThat(analysis(complaint).sentiment())
          .as(complaint.asText())
          .isEqualTo(Sentiment.NEGATIVE);
    }
  }

  @Test
  void theSummarySaysWhyTheCustomerCalledAndHowItEndedAndTheTitleIsAShortPhraseOfTheReason() {
    Analysis analysis =
        analysis(
            call(
                "Thanks for calling Brightmart, this is Sam speaking. How can I help?",
                "Hi Sam. The toaster I ordered last week arrived with a bent lever.",
                "I'm sorry about that. I've sent a replacement toaster by express delivery.",
                "Okay, thanks."));

    assertThat(analysis.summary())
        .startsWith("Customer: The toaster I ordered last week arrived with a bent lever.")
        .contains("Agent: I've sent a replacement toaster by express delivery.")
        .doesNotContain("Thanks for calling");
    assertThat(analysis.title()).isEqualTo("Toaster I ordered last week arrived");
    assertThat(analysis.topics()).contains("toaster").doesNotContain("brightmart", "sam");
  }

  private static Analysis analysis(Conversation conversation) {
    Outcome<Analysis> outcome = analyzer.analyze(conversation).toCompletableFuture().join();
    assertThat(outcome).isInstanceOf(Outcome.Success.class);
    return ((Outcome.Success<Analysis>) outcome).result();
  }

  /** Turns alternating agent, customer, agent, ... */
  private static Conversation call(String... turns) {
    List<Utterance> utterances =
        java.util.stream.IntStream.range(0, turns.length)
            .mapToObj(
                i -> new Utterance(i % 2 == 0 ? Speaker.AGENT : Speaker.USER, turns[i], null, null))
            .toList();
    return new Conversation("call", utterances, LabelledCall.ENDED, LabelledCall.ZONE);
  }
}
