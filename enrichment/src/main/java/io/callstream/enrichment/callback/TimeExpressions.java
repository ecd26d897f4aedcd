package io.callstream.enrichment.callback;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the time a sentence names ("tomorrow at 3pm", "Monday after lunch", "in two hours",
 * "this evening", "at half past four") to an instant after {@code reference}, in the reference's
 * time zone. Hours without am/pm are read as business hours: 1 to 7 are afternoon, 8 to 11 morning.
 * "next Friday" is the Friday of next week when this week's Friday is still to come.
 */
final class TimeExpressions {
  private static final String NUMBER = SpokenNumbers.PATTERN;
  private static final Pattern RELATIVE =
      Pattern.compile(
          "\\bin\\s+(?:(?:about|around|roughly|maybe|approximately)\\s+)?(?:(half an|half a)\\s+(hour)|("
              + NUMBER
              + ")\\s+(?:and a half\\s+)?(minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?)(\\s+and a half)?)\\b"
              + "|\\b("
              + NUMBER
              + ")\\s+(minutes?|mins?|hours?|hrs?)\\s+from now\\b");
  private static final Pattern CLOCK =
      Pattern.compile("\\b(\\d{1,2})(?::|\\.)(\\d{2})\\s*(a\\.?m\\.?|p\\.?m\\.?)?(?![\\d])");
  private static final Pattern HOUR_MERIDIEM =
      Pattern.compile("\\b(" + NUMBER + ")\\s*(a\\.?m\\b\\.?|p\\.?m\\b\\.?|o'?clock\\b)");
  private static final Pattern PAST_TO =
      Pattern.compile(
          "\\b(half|quarter|ten|twenty|five|twenty-five)\\s+(past|after|to|before)\\s+("
              + NUMBER
              + ")\\b");
  private static final Pattern AT_HOUR =
      Pattern.compile(
          "\\b(at|around|about|after|before|by|for)\\s+("
              + NUMBER
              + ")(?:\\s+(fifteen|thirty|forty-five|o'?clock))?\\b(?!\\s*(?:minutes?|mins?|hours?|days?|weeks?|people|of))");

  /**
   * Phone numbers, order and invoice numbers, extensions and years: digits that never name a time
   * of day, so that "call me at 020 7946 0958" is not read as 8pm.
   */
  private static final Pattern DIGIT_STRING =
      Pattern.compile("\\+?\\d[\\d ()\\-]{5,}\\d|\\b\\d+-\\d+\\b|\\b\\d{3,}\\b");

  private static final String MONTHS =
      "january|february|march|april|may|june|july|august|september|october|november|december";

  /** "on the 20th", "the 3rd of December", "30 November", "December 2nd". */
  private static final Pattern DATE =
      Pattern.compile(
          "\\b(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+("
              + MONTHS
              + ")\\b|\\b("
              + MONTHS
              + ")\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\b|\\bthe\\s+(\\d{1,2})(?:st|nd|rd|th)\\b");

  private static final Pattern SPOKEN_ORDINAL =
      Pattern.compile(
          "\\bthe\\s+(?:(twenty|thirty)[\\s-]+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth"
              + "|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\\b");
  private static final List<String> ORDINALS =
      List.of(
          "first",
          "second",
          "third",
          "fourth",
          "fifth",
          "sixth",
          "seventh",
          "eighth",
          "ninth",
          "tenth",
          "eleventh",
          "twelfth",
          "thirteenth",
          "fourteenth",
          "fifteenth",
          "sixteenth",
          "seventeenth",
          "eighteenth",
          "nineteenth",
          "twentieth");

  private TimeExpressions() {}

  /** "the twenty first" as "the 21st", which {@link #DATE} reads. */
  private static String spokenOrdinals(String text) {
    return SPOKEN_ORDINAL
        .matcher(text)
        .replaceAll(
            m -> {
              int tens = m.group(1) == null ? 0 : m.group(1).equals("twenty") ? 20 : 30;
              int unit = m.group(2).equals("thirtieth") ? 30 : ORDINALS.indexOf(m.group(2)) + 1;
              return "the " + (tens + unit) + "th";
            });
  }

  static Optional<ZonedDateTime> resolve(String sentence, ZonedDateTime reference) {
    String text =
        spokenOrdinals(
            DIGIT_STRING
                .matcher(sentence.toLowerCase(Locale.ROOT).replace('’', '\''))
                .replaceAll(" "));
    Optional<Duration> relative = relative(text);
    if (relative.isPresent()) {
      return Optional.of(reference.plus(relative.get()));
    }
    Optional<LocalDate> day = day(text, reference);
    PartOfDay part = PartOfDay.in(text);
    Optional<LocalTime> time = clockTime(text, part);
    if (time.isEmpty() && part != null) {
      time = Optional.of(part.defaultTime);
    }
    LocalDate date;
    if (day.isPresent()) {
      date = day.get();
    } else if (time.isPresent()) {
      date = reference.toLocalDate();
      if (!reference.with(time.get()).isAfter(reference)
          && !text.contains("today")
          && part != PartOfDay.TONIGHT) {
        date = date.plusDays(1);
      }
    } else {
      return Optional.empty();
    }
    if (time.isEmpty()) {
      if (date.equals(reference.toLocalDate())) {
        return Optional.of(reference.plusHours(1).truncatedTo(ChronoUnit.MINUTES));
      }
      time = Optional.of(LocalTime.of(10, 0));
    }
    ZonedDateTime resolved = date.atTime(time.get()).atZone(reference.getZone());
    if (!resolved.isAfter(reference)) {
      // "this afternoon" said at 4pm: as soon as reasonable rather than in the past.
      return date.equals(reference.toLocalDate())
          ? Optional.of(reference.plusHours(1).truncatedTo(ChronoUnit.MINUTES))
          : Optional.empty();
    }
    return Optional.of(resolved);
  }

  private static Optional<Duration> relative(String text) {
    Matcher m = RELATIVE.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    if (m.group(1) != null) {
      return Optional.of(Duration.ofMinutes(30));
    }
    String amount = m.group(3) != null ? m.group(3) : m.group(6);
    String unit = m.group(3) != null ? m.group(4) : m.group(7);
    OptionalInt n = SpokenNumbers.parse(amount);
    if (n.isEmpty()) {
      return Optional.empty();
    }
    boolean andAHalf = m.group(0).contains("and a half");
    Duration base =
        switch (unit.charAt(0)) {
          case 'm' -> Duration.ofMinutes(1);
          case 'h' -> Duration.ofHours(1);
          case 'd' -> Duration.ofDays(1);
          case 'f' -> Duration.ofDays(14);
          default -> Duration.ofDays(7);
        };
    Duration total = base.multipliedBy(n.getAsInt());
    return Optional.of(andAHalf ? total.plus(base.dividedBy(2)) : total);
  }

  /** The day named first in the sentence: "Monday ... I'm busy tomorrow" means Monday. */
  private static Optional<LocalDate> day(String text, ZonedDateTime reference) {
    LocalDate today = reference.toLocalDate();
    LocalDate day = null;
    int at = Integer.MAX_VALUE;
    for (DayWord word : DayWord.values()) {
      Matcher m = word.pattern.matcher(text);
      if (m.find() && m.start() < at) {
        at = m.start();
        day = word == DayWord.WEEKDAY ? weekday(m, today) : word.resolve(today);
      }
    }
    Matcher date = DATE.matcher(text);
    if (date.find() && date.start() < at) {
      day = date(date, today);
    }
    return Optional.ofNullable(day);
  }

  /** The next date with the day (and month) said, today or later; null for no such date. */
  private static LocalDate date(Matcher date, LocalDate today) {
    String dayOfMonth =
        date.group(1) != null
            ? date.group(1)
            : date.group(4) != null ? date.group(4) : date.group(5);
    String month = date.group(2) != null ? date.group(2) : date.group(3);
    int day = Integer.parseInt(dayOfMonth);
    for (int ahead = 0; ahead <= 12; ahead++) {
      LocalDate candidate = today.withDayOfMonth(1).plusMonths(ahead);
      boolean monthMatches = month == null || candidate.getMonth().name().equalsIgnoreCase(month);
      if (monthMatches && day >= 1 && day <= candidate.lengthOfMonth()) {
        LocalDate found = candidate.withDayOfMonth(day);
        if (!found.isBefore(today)) {
          return found;
        }
      }
    }
    return null;
  }

  private static LocalDate weekday(Matcher weekday, LocalDate today) {
    DayOfWeek target = DayOfWeek.valueOf(weekday.group(2).toUpperCase(Locale.ROOT));
    LocalDate upcoming = today.with(TemporalAdjusters.next(target));
    if ("this".equals(weekday.group(1)) && today.getDayOfWeek() == target) {
      return today;
    }
    if ("next".equals(weekday.group(1)) && sameWeek(today, upcoming)) {
      return upcoming.plusWeeks(1);
    }
    return upcoming;
  }

  /** Words that name a day, each with the date it stands for. */
  private enum DayWord {
    DAY_AFTER_TOMORROW("\\bday after tomorrow\\b", 2),
    AFTER_THE_WEEKEND("\\bafter the weekend\\b", -4),
    MIDDLE_OF_NEXT_WEEK("\\b(?:middle of|mid-?)\\s*next week\\b", -5),
    LATER_THIS_WEEK("\\blater (?:this|in the) week\\b", -6),
    END_OF_THE_WEEK("\\bend of (?:the|this) week\\b", -7),
    NEXT_MONTH("\\bnext month\\b", -8),
    TOMORROW("\\b(?<!after )(?:tomorrow|tmrw|tomorow)\\b", 1),
    TODAY("\\b(?:today|tonight|this (?:morning|afternoon|evening))\\b", 0),
    NEXT_WEEK("\\bnext week\\b", -1),
    WEEKEND("\\bweekend\\b", -2),
    WEEKDAY(
        "\\b(next|this|coming|on)?\\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\\b",
        -3);

    private final Pattern pattern;
    private final int offset;

    DayWord(String regex, int offset) {
      this.pattern = Pattern.compile(regex);
      this.offset = offset;
    }

    LocalDate resolve(LocalDate today) {
      return switch (this) {
        case NEXT_WEEK, AFTER_THE_WEEKEND -> today.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
        case MIDDLE_OF_NEXT_WEEK ->
            today.with(TemporalAdjusters.next(DayOfWeek.MONDAY)).plusDays(2);
        case LATER_THIS_WEEK, END_OF_THE_WEEK -> {
          LocalDate friday = today.with(TemporalAdjusters.nextOrSame(DayOfWeek.FRIDAY));
          LocalDate later = this == LATER_THIS_WEEK ? today.plusDays(2) : friday;
          // said at the end of the week: the next working day
          yield today.getDayOfWeek().getValue() >= DayOfWeek.FRIDAY.getValue()
              ? today.with(TemporalAdjusters.next(DayOfWeek.MONDAY))
              : later.isAfter(friday) ? friday : later;
        }
        case NEXT_MONTH -> {
          LocalDate first = today.withDayOfMonth(1).plusMonths(1);
          yield first.getDayOfWeek().getValue() >= DayOfWeek.SATURDAY.getValue()
              ? first.with(TemporalAdjusters.next(DayOfWeek.MONDAY))
              : first;
        }
        case WEEKEND -> today.with(TemporalAdjusters.nextOrSame(DayOfWeek.SATURDAY));
        default -> today.plusDays(offset);
      };
    }
  }

  private static boolean sameWeek(LocalDate a, LocalDate b) {
    return a.with(DayOfWeek.MONDAY).equals(b.with(DayOfWeek.MONDAY));
  }

  private static Optional<LocalTime> clockTime(String text, PartOfDay part) {
    if (text.matches(".*\\b(noon|midday)\\b.*")
        && !text.contains("afternoon")
        && !text.matches(".*\\bbefore (noon|midday)\\b.*")) {
      return Optional.of(LocalTime.NOON);
    }
    if (text.matches(".*\\bbefore (noon|midday)\\b.*")) {
      return Optional.of(LocalTime.of(11, 0));
    }
    Matcher clock = CLOCK.matcher(text);
    if (clock.find()) {
      int minute = Integer.parseInt(clock.group(2));
      return hour(Integer.parseInt(clock.group(1)), clock.group(3), part)
          .filter(h -> minute < 60)
          .map(h -> LocalTime.of(h, minute));
    }
    Matcher pastTo = PAST_TO.matcher(text);
    if (pastTo.find()) {
      OptionalInt hourNumber = SpokenNumbers.parse(pastTo.group(3));
      int minutes =
          switch (pastTo.group(1)) {
            case "half" -> 30;
            case "quarter" -> 15;
            case "ten" -> 10;
            case "twenty" -> 20;
            case "twenty-five" -> 25;
            default -> 5;
          };
      boolean before = pastTo.group(2).equals("to") || pastTo.group(2).equals("before");
      if (hourNumber.isPresent()) {
        Optional<Integer> h = hour(hourNumber.getAsInt(), meridiemAfter(text, pastTo.end()), part);
        return h.map(
            value ->
                before
                    ? LocalTime.of(value, 0).minusMinutes(minutes)
                    : LocalTime.of(value, minutes));
      }
    }
    Matcher meridiem = HOUR_MERIDIEM.matcher(text);
    if (meridiem.find()) {
      OptionalInt n = SpokenNumbers.parse(meridiem.group(1));
      String marker = meridiem.group(2).startsWith("o") ? null : meridiem.group(2);
      if (n.isPresent()) {
        Optional<LocalTime> time = hour(n.getAsInt(), marker, part).map(h -> LocalTime.of(h, 0));
        if (time.isPresent()) {
          return shifted(text, meridiem.start(), time.get());
        }
      }
    }
    Matcher at = AT_HOUR.matcher(text);
    while (at.find()) {
      OptionalInt n = SpokenNumbers.parse(at.group(2));
      if (n.isEmpty() || n.getAsInt() > 23 || at.group(2).matches("a|an")) {
        continue;
      }
      int minute =
          at.group(3) == null || at.group(3).contains("clock")
              ? 0
              : SpokenNumbers.parse(at.group(3).replace("-", " ")).orElse(0);
      if (at.group(3) != null && at.group(3).equals("forty-five")) {
        minute = 45;
      }
      int finalMinute = minute;
      Optional<LocalTime> time =
          hour(n.getAsInt(), meridiemAfter(text, at.end()), part)
              .map(h -> LocalTime.of(h, finalMinute));
      if (time.isPresent()) {
        return at.group(1).equals("before") ? Optional.of(time.get().minusHours(1)) : time;
      }
    }
    return Optional.empty();
  }

  /** "before 5pm" asks for a time before the one named. */
  private static Optional<LocalTime> shifted(String text, int start, LocalTime time) {
    String before = text.substring(Math.max(0, start - 8), start);
    return Optional.of(before.matches(".*\\bbefore\\s*$") ? time.minusHours(1) : time);
  }

  private static String meridiemAfter(String text, int from) {
    Matcher m = Pattern.compile("^\\s*(a\\.?m\\.?|p\\.?m\\.?)").matcher(text.substring(from));
    return m.find() ? m.group(1) : null;
  }

  /** The 24-hour hour for a spoken hour, its am/pm marker (or null) and the part of day said. */
  private static Optional<Integer> hour(int spoken, String marker, PartOfDay part) {
    if (spoken > 23) {
      return Optional.empty();
    }
    if (marker != null) {
      if (spoken < 1 || spoken > 12) {
        return Optional.empty();
      }
      boolean pm = marker.startsWith("p");
      return Optional.of(spoken % 12 + (pm ? 12 : 0));
    }
    if (spoken == 0 || spoken > 12) {
      return Optional.of(spoken);
    }
    if (part != null) {
      return Optional.of(part.afternoon ? (spoken % 12) + 12 : spoken % 12);
    }
    return Optional.of(spoken == 12 ? 12 : spoken <= 7 ? spoken + 12 : spoken);
  }

  /** Parts of the day people name, with the time each stands for when no clock time is given. */
  enum PartOfDay {
    FIRST_THING("first thing", LocalTime.of(9, 0), false),
    AFTER_BREAKFAST("after breakfast", LocalTime.of(9, 30), false),
    MID_MORNING("mid-?morning", LocalTime.of(10, 30), false),
    LATE_MORNING("late morning", LocalTime.of(11, 0), false),
    MORNING("morning", LocalTime.of(9, 0), false),
    BEFORE_LUNCH("before lunch", LocalTime.of(11, 0), false),
    AFTER_LUNCH("after lunch", LocalTime.of(13, 0), true),
    LUNCH("lunch ?time|lunch", LocalTime.of(12, 0), true),
    END_OF_DAY("end of (?:the )?(?:day|business)|close of business", LocalTime.of(17, 0), true),
    LATE_AFTERNOON("late afternoon", LocalTime.of(16, 0), true),
    AFTERNOON("afternoon", LocalTime.of(14, 0), true),
    EARLY_EVENING("early evening", LocalTime.of(17, 30), true),
    AFTER_DINNER("after (?:dinner|supper)", LocalTime.of(19, 30), true),
    DINNER("(?:dinner|supper) ?time|dinner|supper", LocalTime.of(18, 0), true),
    EVENING("evening", LocalTime.of(18, 0), true),
    TONIGHT("tonight|at night", LocalTime.of(19, 0), true);

    private final Pattern pattern;
    private final LocalTime defaultTime;
    private final boolean afternoon;

    PartOfDay(String words, LocalTime defaultTime, boolean afternoon) {
      this.pattern = Pattern.compile("\\b(?:" + words + ")\\b");
      this.defaultTime = defaultTime;
      this.afternoon = afternoon;
    }

    static PartOfDay in(String text) {
      for (PartOfDay part : values()) {
        if (part.pattern.matcher(text).find()) {
          return part;
        }
      }
      return null;
    }
  }
}
