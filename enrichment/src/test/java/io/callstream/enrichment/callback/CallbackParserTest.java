package io.callstream.enrichment.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallbackParserTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  /** The call ended on Wednesday 18 November 2026 at 14:30 in the tenant's zone. */
  private static final ZonedDateTime ENDED = ZonedDateTime.of(2026, 11, 18, 14, 30, 0, 0, BERLIN);

  private final CallbackParser parser = new CallbackParser(Duration.ofHours(1));

  /**
   * phrase | expected local due time, "default" (a request naming no time) or "none" (no request).
   */
  private static final String TABLE =
      """
      Can you call me back tomorrow at 3pm?                      | 2026-11-19T15:00
      Call me back tomorrow at 3 pm please.                      | 2026-11-19T15:00
      Could someone ring me Monday after lunch?                  | 2026-11-23T13:00
      Try me again in two hours.                                 | 2026-11-18T16:30
      Try me again in 2 hours                                    | 2026-11-18T16:30
      Please call me back in 30 minutes.                         | 2026-11-18T15:00
      Call me back in twenty minutes                             | 2026-11-18T14:50
      Call me back in an hour                                    | 2026-11-18T15:30
      Call me back in half an hour                               | 2026-11-18T15:00
      Call me back in an hour and a half                         | 2026-11-18T16:00
      Give me a call in three days.                              | 2026-11-21T14:30
      Can you call me back next week?                            | 2026-11-23T10:00
      Call me back on Friday at 10am.                            | 2026-11-20T10:00
      Call me back Friday morning.                               | 2026-11-20T09:00
      Please call us back this afternoon.                        | 2026-11-18T15:30
      Please call me back this evening                           | 2026-11-18T18:00
      Call me tonight at 8                                       | 2026-11-18T20:00
      Call me back at 9 tomorrow morning                         | 2026-11-19T09:00
      Can you call me back at half past four?                    | 2026-11-18T16:30
      Ring me back at quarter to five                            | 2026-11-18T16:45
      Call me back at 15:30                                      | 2026-11-18T15:30
      Call me back at 9:15                                       | 2026-11-19T09:15
      Call me back at 11                                         | 2026-11-19T11:00
      Could you call me back around four?                        | 2026-11-18T16:00
      Call me back after 5                                       | 2026-11-18T17:00
      Call me back before noon tomorrow                          | 2026-11-19T11:00
      Call me back tomorrow at noon                              | 2026-11-19T12:00
      Call me back the day after tomorrow                        | 2026-11-20T10:00
      Have someone call me on Thursday                           | 2026-11-19T10:00
      Call me back next Tuesday at 2pm                           | 2026-11-24T14:00
      Call me back next Friday                                   | 2026-11-27T10:00
      Call me back this Friday                                   | 2026-11-20T10:00
      Call me back on the weekend                                | 2026-11-21T10:00
      Could you give me a ring tomorrow afternoon?               | 2026-11-19T14:00
      Please have someone call me back first thing tomorrow      | 2026-11-19T09:00
      Call me back at 3 o'clock                                  | 2026-11-18T15:00
      Call me at five p.m. tomorrow                              | 2026-11-19T17:00
      Can you phone me back at 4:45pm                            | 2026-11-18T16:45
      Call me back at seven thirty in the evening                | 2026-11-18T19:30
      Call me back end of day                                    | 2026-11-18T17:00
      Call me back in a few minutes                              | 2026-11-18T14:33
      Call me back in a couple of hours                          | 2026-11-18T16:30
      Call me back in two days                                   | 2026-11-20T14:30
      Call me back in a week                                     | 2026-11-25T14:30
      Call me back in the morning                                | 2026-11-19T09:00
      I'd like a call back tomorrow.                             | 2026-11-19T10:00
      Can someone from billing get back to me tomorrow morning?  | 2026-11-19T09:00
      Reach me on my cell after 6 tonight                        | 2026-11-18T18:00
      Call me back Monday at 9                                   | 2026-11-23T09:00
      Ring me Sunday evening                                     | 2026-11-22T18:00
      Try us again on Thursday around 2                          | 2026-11-19T14:00
      Call me back at 10 in the morning next Wednesday           | 2026-11-25T10:00
      We will call you back at 5.                                | 2026-11-18T17:00
      Call me back in forty-five minutes                         | 2026-11-18T15:15
      Call me back later                                         | default
      Please call me back.                                       | default
      Yes, a callback would be great.                            | default
      Don't call me back.                                        | none
      Please do not call me again.                               | none
      No need to call back, thanks.                              | none
      You called me back yesterday.                              | none
      I already got a callback from your colleague.              | none
      My back hurts when I call my mom.                          | none
      I called the call center twice.                            | none
      Thanks for calling Acme Plumbing.                          | none
      I'll call the pharmacy tomorrow.                           | none
      Stop calling me.                                           | none
      The technician will be there tomorrow at 3pm.              | none
      Back in 2019 I called you twice.                           | none
      I don't want a callback.                                   | none
      """;

  @Test
  void resolvesEveryPhraseInTheTable() {
    List<String> wrong = new ArrayList<>();
    int rows = 0;
    for (String row : TABLE.strip().split("\n")) {
      String[] cells = row.split("\\|");
      String phrase = cells[0].trim();
      String expected = cells[1].trim();
      rows++;
      Optional<CallbackRequest> found = parser.find(phrase, ENDED);
      String actual =
          found
              .map(
                  c ->
                      c.timeStated()
                          ? LocalDateTime.ofInstant(c.dueAt(), BERLIN).toString()
                          : "default")
              .orElse("none");
      if (!actual.equals(expected)) {
        wrong.add(phrase + " -> " + actual + ", expected " + expected);
      }
    }
    assertThat(rows).isGreaterThanOrEqualTo(60);
    assertThat(wrong).isEmpty();
  }

  @Test
  void aRequestWithoutATimeIsDueTheDefaultDelayAfterTheCall() {
    CallbackRequest request = parser.find("Please call me back.", ENDED).orElseThrow();
    assertThat(request.timeStated()).isFalse();
    assertThat(request.dueAt()).isEqualTo(ENDED.plusHours(1).toInstant());
  }

  @Test
  void resolvesInTheTenantsZoneAcrossADaylightSavingChange() {
    // Europe/Berlin leaves summer time at 03:00 on 25 October 2026.
    ZonedDateTime saturdayEvening = ZonedDateTime.of(2026, 10, 24, 18, 0, 0, 0, BERLIN);
    CallbackRequest request =
        parser.find("Call me back tomorrow at 9am", saturdayEvening).orElseThrow();
    assertThat(request.dueAt()).isEqualTo(Instant.parse("2026-10-25T08:00:00Z"));
    CallbackRequest newYork =
        parser
            .find(
                "Call me back tomorrow at 9am",
                saturdayEvening.withZoneSameInstant(ZoneId.of("America/New_York")))
            .orElseThrow();
    assertThat(newYork.dueAt()).isEqualTo(Instant.parse("2026-10-25T13:00:00Z"));
  }

  @Test
  void findsTheRequestInsideATurnAndTheLastTimeWins() {
    String turn =
        "Hi, my water heater is leaking. Can someone call me back tomorrow at 3pm to confirm the price? "
            + "Actually, call me back Monday at 10am instead, I'm busy tomorrow.";
    CallbackRequest request = parser.find(turn, ENDED).orElseThrow();
    assertThat(LocalDateTime.ofInstant(request.dueAt(), BERLIN))
        .isEqualTo(LocalDateTime.parse("2026-11-23T10:00"));
    assertThat(request.phrase()).startsWith("Actually, call me back Monday");
  }

  @Test
  void saysWhatTheCallbackIsAbout() {
    CallbackRequest request =
        parser.find("Call me back tomorrow at 3pm to confirm the price.", ENDED).orElseThrow();
    assertThat(request.reason()).isEqualTo("confirm the price");
    assertThat(parser.find("Call me back tomorrow.", ENDED).orElseThrow().reason()).isNull();
  }
}
