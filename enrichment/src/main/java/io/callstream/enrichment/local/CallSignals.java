package io.callstream.enrichment.local;

import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import java.util.List;

/**
 * What the rules see in a call, as counts the classifier weighs: the customer's emotional words and
 * complaints, outcomes the call reached or was refused, and signs that nobody was reached.
 */
record CallSignals(
    int positive, int negative, int complaints, int reached, int refused, int unreached) {

  static CallSignals of(Conversation conversation) {
    List<String> all =
        conversation.utterances().stream().map(Conversation.Utterance::text).toList();
    List<String> customer =
        conversation.utterances().stream()
            .filter(u -> u.speaker() == Speaker.USER)
            .map(Conversation.Utterance::text)
            .toList();
    SentimentLexicon.Score score =
        customer.stream()
            .map(SentimentLexicon::score)
            .reduce(new SentimentLexicon.Score(0, 0), SentimentLexicon.Score::plus);
    return new CallSignals(
        score.positive(),
        score.negative(),
        customer.stream().mapToInt(SentimentLexicon::complaints).sum(),
        all.stream().mapToInt(OutcomeRules::reached).sum(),
        all.stream().mapToInt(OutcomeRules::refused).sum(),
        all.stream().mapToInt(OutcomeRules::unreached).sum());
  }

  double[] values() {
    return new double[] {positive, negative, complaints, reached, refused, unreached};
  }
}
