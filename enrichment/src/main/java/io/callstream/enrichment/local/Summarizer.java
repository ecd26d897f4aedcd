package io.callstream.enrichment.local;

import io.callstream.enrichment.Conversation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Extractive summaries: the conversation's most informative sentences (those whose content words
 * recur most), skipping greetings, thanks and goodbyes, never two that say nearly the same, in the
 * order they were said. Keywords are the most frequent content words.
 */
final class Summarizer {
  private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+");
  private static final Pattern SMALL_TALK =
      Pattern.compile(
          "^(hi|hello|hey|good (morning|afternoon|evening)|thanks? (you )?for (calling|your call|holding)|thank you|thanks|"
              + "bye|goodbye|have a (nice|good|great|lovely) (day|one|evening|weekend)|is there anything else|you're welcome|"
              + "no problem|okay|ok|alright|all right|sure|great|perfect|yes|yeah|no|of course)\\b[^.!?]{0,40}[.!?]?$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern WORD = Pattern.compile("[a-z][a-z']+");
  static final Set<String> STOPWORDS =
      Set.copyOf(
          List.of(
              ("a an and are as at be been but by can could did do does for from had has have he her hers him his how i i'd i'll "
                      + "i'm i've if in into is it it's its just me my no not of on or our ours please so some than that that's the "
                      + "their them then there these they this those to too up us very was we we'll we're were what when where which "
                      + "who why will with would you you'll you're your yours yes yeah okay ok hi hello thanks thank also there's "
                      + "about all any been being both each few more most other same should only own again further once here off out "
                      + "over under can't don't won't didn't isn't wasn't like get got going know think want well sure right really "
                      + "one two three four five six seven eight nine ten today tomorrow morning afternoon evening call back")
                  .split(" ")));

  private record Sentence(int position, String text, Set<String> words) {}

  private Summarizer() {}

  /** Up to {@code count} sentences, in the order spoken. */
  static String summary(Conversation conversation, int count) {
    List<Sentence> sentences = sentences(conversation);
    Map<String, Integer> frequency = frequencies(sentences);
    List<Sentence> ranked = new ArrayList<>(sentences);
    ranked.sort(
        Comparator.comparingDouble((Sentence s) -> -score(s, frequency))
            .thenComparingInt(Sentence::position));
    List<Sentence> chosen = new ArrayList<>();
    for (Sentence candidate : ranked) {
      if (chosen.size() == count) {
        break;
      }
      if (chosen.stream().noneMatch(c -> jaccard(c.words(), candidate.words()) >= 0.5)) {
        chosen.add(candidate);
      }
    }
    chosen.sort(Comparator.comparingInt(Sentence::position));
    return String.join(" ", chosen.stream().map(Sentence::text).toList());
  }

  /** The most frequent content words, most frequent first (ties in order of appearance). */
  static List<String> keywords(Conversation conversation, int count) {
    Map<String, Integer> frequency = frequencies(sentences(conversation));
    return frequency.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(count)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static List<Sentence> sentences(Conversation conversation) {
    List<Sentence> sentences = new ArrayList<>();
    for (Conversation.Utterance utterance : conversation.utterances()) {
      for (String text : SENTENCE.split(utterance.text().trim())) {
        Set<String> words = contentWords(text);
        if (words.size() >= 3 && !SMALL_TALK.matcher(text.trim()).matches()) {
          sentences.add(new Sentence(sentences.size(), text.trim(), words));
        }
      }
    }
    return sentences;
  }

  static Set<String> contentWords(String text) {
    Set<String> words = new HashSet<>();
    var m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String word = m.group();
      if (!STOPWORDS.contains(word) && word.length() > 2) {
        words.add(
            word.endsWith("s") && word.length() > 4 && !word.endsWith("ss")
                ? word.substring(0, word.length() - 1)
                : word);
      }
    }
    return words;
  }

  private static Map<String, Integer> frequencies(List<Sentence> sentences) {
    Map<String, Integer> frequency = new LinkedHashMap<>();
    sentences.forEach(s -> s.words().forEach(w -> frequency.merge(w, 1, Integer::sum)));
    return frequency;
  }

  private static double score(Sentence sentence, Map<String, Integer> frequency) {
    double sum = 0;
    for (String word : sentence.words()) {
      sum += frequency.getOrDefault(word, 0);
    }
    return sum / Math.sqrt(sentence.words().size());
  }

  private static double jaccard(Set<String> a, Set<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    if (union.isEmpty()) {
      return 0;
    }
    Map<String, Boolean> shared = new HashMap<>();
    a.stream().filter(b::contains).forEach(w -> shared.put(w, true));
    return (double) shared.size() / union.size();
  }
}
