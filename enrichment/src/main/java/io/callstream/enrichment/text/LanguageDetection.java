package io.callstream.enrichment.text;

import com.google.common.base.Optional;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The language a transcript is in, as a BCP 47 tag ({@code en}, {@code es}), by character n-gram
 * profiles (optimaize language-detector); none when the text is too short or too mixed to say.
 * Knows the languages the voice platforms serve most; loaded once, safe to share between threads.
 */
public final class LanguageDetection {
  /** The languages told apart. */
  static final List<String> LANGUAGES =
      List.of(
          "en", "es", "fr", "de", "it", "pt", "nl", "pl", "sv", "da", "no", "fi", "cs", "ro", "hu",
          "tr", "el", "ru", "uk", "ar", "hi", "ja", "ko", "zh-CN", "vi", "id");

  private static final LanguageDetection INSTANCE = new LanguageDetection();

  private final LanguageDetector detector;
  private final TextObjectFactory texts = CommonTextObjectFactories.forDetectingOnLargeText();

  private LanguageDetection() {
    try {
      detector =
          LanguageDetectorBuilder.create(NgramExtractors.standard())
              .withProfiles(
                  new LanguageProfileReader()
                      .readBuiltIn(LANGUAGES.stream().map(LdLocale::fromString).toList()))
              .minimalConfidence(0.9)
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException("the language profiles are missing from the classpath", e);
    }
  }

  public static LanguageDetection get() {
    return INSTANCE;
  }

  /** The language of {@code text}, or null when it cannot be told with confidence. */
  public String of(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Optional<LdLocale> found = detector.detect(texts.forText(text));
    return found.isPresent() ? found.get().toString() : null;
  }
}
