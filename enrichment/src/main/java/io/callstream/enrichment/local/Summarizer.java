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
 * Extractive summaries: the sentence that says why the call was made and the one that says how it
 * ended, each with its speaker; otherwise the conversation's most informative sentences (those
 * whose content words recur most), skipping greetings, thanks and goodbyes. Keywords are the most
 * frequent content words that are not names.
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
                      + "one two three four five six seven eight nine ten today tomorrow morning afternoon evening call back speaking "
                      + "calling ringing customer care need wanted want like i'd we'd he's she's they're they'll we've you've "
                      + "it'll that'll could would let's oh ha hi hey sorry afraid")
                  .split(" ")));

  private static final Pattern CALLING =
      Pattern.compile(
          "\\b((i'?m|we'?re|i am|we are|it'?s|is) (\\w+ )?(calling|ringing|following up|trying to reach)|calling (about|regarding|for|to)"
              + "|returning a|this is [\\w ]+? (about|regarding|with a|calling))\\b",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern INTRODUCTION =
      Pattern.compile("\\b(this is|it'?s) \\w+( \\w+)? from\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern INTENT =
      Pattern.compile(
          "\\b(i'?d (like|love)|i would like|i (want|need|wanted)|can (i|you)|could (you|i)|do (you|i)|is (this|that|there|\\w+ \\w+ing)"
              + "|how (long|do|much)|when (will|is|does)|i'?ve been|i was|i have|i just|i got|my \\w+|our \\w+|you'?ve|your \\w+"
              + "|the \\w+ (i|you|we)|there'?s)\\b",
          Pattern.CASE_INSENSITIVE);

  /** One leading piece a title leaves out; removed repeatedly. */
  private static final Pattern TITLE_PREFIX =
      Pattern.compile(
          "^(?:(?:hi|hello|hey|yes|oh|well|ha|good (?:morning|afternoon|evening))(?: [A-Z]\\w*)?"
              + "|(?:this is|it'?s) [\\w ]+?(?: from [\\w ]+?)?(?: calling| following up)?(?: (?:about|regarding|to|for|with))?(?=,)"
              + "|(?:this is|it'?s) [\\w ]+?(?: from [\\w ]+?)?(?: calling| following up)?(?: (?:about|regarding|to|for|with))"
              + "|(?:i'?m|we'?re|i am|we are) (?:just )?(?:calling|ringing|following up|trying to reach|returning)(?: back)?(?: from [\\w ]+? (?:about|regarding|to|for|on)| (?:about|regarding|to|for|on))?"
              + "|(?:i'?d|i would) (?:like|love) to|i (?:just )?(?:want|need|wanted)(?: to)?|(?:i'?ve|i have) been|i'?m|i am|i was|i'?ve|i have"
              + "|(?:can|could|do) (?:i|you)(?: tell me)?|is (?:this|that|there)|my|our|the|your)(?![\\w'])[,.!]?",
          Pattern.CASE_INSENSITIVE);

  private static final Set<String> TITLE_TAIL =
      Set.of(
          "a", "an", "the", "and", "or", "but", "for", "to", "of", "on", "in", "at", "with",
          "after", "before", "from", "by", "my", "your", "our", "i", "it", "is", "was", "that",
          "this");
  private static final Pattern CLAUSE_END =
      Pattern.compile("[,;:.?!]| because | so | but | and then ");
  private static final Pattern LOWERCASE = Pattern.compile("\\b[a-z][a-z']+");
  private static final Pattern CAPITALISED = Pattern.compile("(?<=[a-z,] )[A-Z][a-z']+");

  private record Sentence(int position, String text, Set<String> words) {}

  /** A sentence and who said it. */
  record Said(Conversation.Speaker speaker, String text) {
    String attributed() {
      return switch (speaker) {
            case AGENT -> "Agent: ";
            case USER -> "Customer: ";
            case UNKNOWN -> "";
          }
          + text;
    }
  }

  /**
   * The sentence that says why the call was made: the caller's "I'm calling about ..." or "this is
   * ... from ..." early in the call, else, in the customer's first turn of substance, the first
   * sentence that asks, wants or complains, or its first sentence. Null when nothing of substance
   * was said.
   */
  static Said reason(Conversation conversation) {
    List<Conversation.Utterance> turns = conversation.utterances();
    List<Conversation.Utterance> opening = turns.subList(0, Math.min(3, turns.size()));
    for (Pattern caller : List.of(CALLING, INTRODUCTION)) {
      for (Conversation.Utterance turn : opening) {
        for (String text : SENTENCE.split(turn.text().trim())) {
          if (caller.matcher(text).find() && substantive(text)) {
            return new Said(turn.speaker(), text.trim());
          }
        }
      }
    }
    Said fallback = null;
    for (Conversation.Utterance turn : turns) {
      List<String> texts =
          List.of(SENTENCE.split(turn.text().trim())).stream()
              .filter(Summarizer::substantive)
              .toList();
      if (texts.isEmpty()) {
        continue;
      }
      if (turn.speaker() != Conversation.Speaker.AGENT) {
        for (String text : texts) {
          if (INTENT.matcher(text).find() || SentimentLexicon.complaints(text) > 0) {
            return new Said(turn.speaker(), text.trim());
          }
        }
        return new Said(turn.speaker(), texts.getFirst().trim());
      }
      if (fallback == null) {
        fallback = new Said(turn.speaker(), texts.getFirst().trim());
      }
    }
    return fallback;
  }

  private static boolean substantive(String text) {
    int words = contentWords(text).size();
    return words >= 3 || (words >= 2 && !SMALL_TALK.matcher(text.trim()).matches());
  }

  /**
   * The sentence that says how the call ended: the last that states an outcome (done, refused,
   * nobody reached) in the last four turns, else the last sentence that is not small talk.
   */
  static Said ending(Conversation conversation) {
    List<Conversation.Utterance> turns = conversation.utterances();
    Said last = null;
    for (Conversation.Utterance turn : turns.subList(Math.max(0, turns.size() - 4), turns.size())) {
      for (String text : SENTENCE.split(turn.text().trim())) {
        String sentence = text.trim();
        if (OutcomeRules.reached(sentence)
                    + OutcomeRules.refused(sentence)
                    + OutcomeRules.unreached(sentence)
                > 0
            && contentWords(sentence).size() >= 2) {
          last = new Said(turn.speaker(), sentence);
        }
      }
    }
    if (last != null) {
      return last;
    }
    for (int i = turns.size() - 1; i >= 0; i--) {
      List<String> texts = List.of(SENTENCE.split(turns.get(i).text().trim()));
      for (int j = texts.size() - 1; j >= 0; j--) {
        String sentence = texts.get(j).trim();
        if (!SMALL_TALK.matcher(sentence).matches() && contentWords(sentence).size() >= 2) {
          return new Said(turns.get(i).speaker(), sentence);
        }
      }
    }
    return null;
  }

  /**
   * A short phrase of {@code reason}: without greetings, who is calling, or "I'd like to", up to
   * the end of its first clause, at most eight words.
   */
  static String title(String reason) {
    String phrase = reason.trim();
    for (String previous = null; !phrase.equals(previous); ) {
      previous = phrase;
      phrase = TITLE_PREFIX.matcher(phrase).replaceFirst("").trim();
    }
    var end = CLAUSE_END.matcher(phrase);
    if (end.find() && end.start() > 0) {
      phrase = phrase.substring(0, end.start());
    }
    List<String> words = new ArrayList<>(List.of(phrase.trim().split("\\s+")));
    if (words.size() > 8) {
      words = new ArrayList<>(words.subList(0, 8));
    }
    // a phrase cut short does not end on "and", "for the" or "on a"
    while (words.size() > 1 && TITLE_TAIL.contains(words.getLast().toLowerCase(Locale.ROOT))) {
      words.removeLast();
    }
    phrase = String.join(" ", words).trim();
    if (phrase.isEmpty()) {
      return "Call";
    }
    return phrase.substring(0, 1).toUpperCase(Locale.ROOT) + phrase.substring(1);
  }

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

  /**
   * The most frequent content words, most frequent first (ties in order of appearance), leaving out
   * names: words written with a capital inside a sentence or in the agent's greeting, and never
   * without one.
   */
  static List<String> keywords(Conversation conversation, int count) {
    Map<String, Integer> frequency = frequencies(sentences(conversation));
    frequency.keySet().removeAll(names(conversation));
    return frequency.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(count)
        .map(Map.Entry::getKey)
        .toList();
  }

  private static Set<String> names(Conversation conversation) {
    Set<String> names = new HashSet<>();
    boolean greeting = true;
    for (Conversation.Utterance turn : conversation.utterances()) {
      var m = CAPITALISED.matcher(turn.text());
      while (m.find()) {
        names.addAll(contentWords(m.group()));
      }
      if (greeting && turn.speaker() == Conversation.Speaker.AGENT) {
        for (String word : turn.text().split("[^A-Za-z']+")) {
          if (!word.isEmpty() && Character.isUpperCase(word.charAt(0))) {
            names.addAll(contentWords(word));
          }
        }
        greeting = false;
      }
    }
    for (Conversation.Utterance turn : conversation.utterances()) {
      var lower = LOWERCASE.matcher(turn.text());
      while (lower.find()) {
        names.removeAll(contentWords(lower.group()));
      }
    }
    return names;
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
        words.add(singular(word));
      }
    }
    return words;
  }

  /** "batteries" as "battery", "glasses" as "glass", "son's" as "son": one form per word. */
  private static String singular(String word) {
    String bare =
        word.endsWith("'s") ? word.substring(0, word.length() - 2) : word.replaceAll("'$", "");
    if (bare.length() > 4 && bare.endsWith("ies")) {
      return bare.substring(0, bare.length() - 3) + "y";
    }
    if (bare.length() > 4 && bare.matches(".*(ss|sh|ch|x)es")) {
      return bare.substring(0, bare.length() - 2);
    }
    if (bare.length() > 4 && bare.endsWith("s") && !bare.endsWith("ss") && !bare.endsWith("us")) {
      return bare.substring(0, bare.length() - 1);
    }
    return bare;
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
