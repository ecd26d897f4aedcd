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

  /**
   * Written apart from {@link #TABLE}, as customers put it: ordinal dates, meals and parts of the
   * day, relative periods; and what is not a request: phone and other numbers read as times, the
   * customer's own promise to call, a call back promised in the past. Said by the customer.
   */
  private static final String CUSTOMER_TABLE =
      """
      Could you call me back on the 20th?                        | 2026-11-20T10:00
      Call me back on the 3rd                                    | 2026-12-03T10:00
      Please ring me on the 25th in the afternoon                | 2026-11-25T14:00
      Call me on the 1st of December at 11am                     | 2026-12-01T11:00
      Can you call me back December 2nd                          | 2026-12-02T10:00
      Call me back on 30 November at 4pm                         | 2026-11-30T16:00
      Call me back on Tuesday the 24th                           | 2026-11-24T10:00
      I'd appreciate a callback on the 23rd at 9am               | 2026-11-23T09:00
      Call me back after breakfast tomorrow                      | 2026-11-19T09:30
      Ring me tomorrow before lunch                              | 2026-11-19T11:00
      Call me back at lunchtime on Friday                        | 2026-11-20T12:00
      Could you call me back after dinner                        | 2026-11-18T19:30
      Phone me back around dinner time                           | 2026-11-18T18:00
      Try me again at suppertime tomorrow                        | 2026-11-19T18:00
      Call me back mid-morning tomorrow                          | 2026-11-19T10:30
      Call me back late afternoon                                | 2026-11-18T16:00
      Call me back tomorrow in the late morning                  | 2026-11-19T11:00
      Could you ring me early evening on Monday                  | 2026-11-23T17:30
      Call me back after the weekend                             | 2026-11-23T10:00
      Can you call me back early next week?                      | 2026-11-23T10:00
      Call me back later this week                               | 2026-11-20T10:00
      Call me back at the end of the week                        | 2026-11-20T10:00
      Call me back in the middle of next week                    | 2026-11-25T10:00
      Give me a ring next month                                  | 2026-12-01T10:00
      Call me back in a couple of days                           | 2026-11-20T14:30
      Call me back in a fortnight                                | 2026-12-02T14:30
      A call back in about an hour would be great                | 2026-11-18T15:30
      Can you get someone to call me back tomorrow at ten thirty? | 2026-11-19T10:30
      Please call me back Thursday around 3:15                   | 2026-11-19T15:15
      Could somebody phone me back in forty minutes              | 2026-11-18T15:10
      Give us a ring on Saturday morning                         | 2026-11-21T09:00
      Call me back any time after 4pm today                      | 2026-11-18T16:00
      Ring me back at 8 tomorrow                                 | 2026-11-19T08:00
      Call me back first thing Monday                            | 2026-11-23T09:00
      Call me after 7 in the evening                             | 2026-11-18T19:00
      Please call me back tomorrow, not today                    | 2026-11-19T10:00
      Can you call me back next Thursday afternoon?              | 2026-11-26T14:00
      Please call me back at 4 on 0161 496 0000                  | 2026-11-18T16:00
      Call me back on 0161 496 0000                              | default
      Please call me at 020 7946 0958                            | default
      Call me back at +44 7700 900123                            | default
      You can call me back on 555-0199                           | default
      Call me back, my number is 415 555 0132                    | default
      My order number is 48213, please call me back              | default
      Call me back about invoice 2024-118                        | default
      Call me back at extension 2214                             | default
      My account number is 20 31 44.                             | none
      I'll call you back tomorrow.                               | none
      Let me call you back in ten minutes.                       | none
      I will ring you back after lunch.                          | none
      I can call you back later today.                           | none
      I'm going to call you back on Monday.                      | none
      I'll give you a call tomorrow.                             | none
      I'll call back later.                                      | none
      Let me get back to you on Friday.                          | none
      You said you would call me back yesterday.                 | none
      Someone was supposed to call me back on Monday.            | none
      I was promised a call back last week.                      | none
      Your colleague promised to ring me back this morning and never did. | none
      Nobody called me back last time.                           | none
      They were meant to phone me back two days ago.             | none
      """;

  @Test
  void resolvesEveryPhraseInTheTable() {
    assertThat(check(TABLE, parser::find)).isEmpty();
  }

  @Test
  void resolvesEveryPhraseCustomersSayAndRefusesWhatIsNoRequest() {
    assertThat(check(CUSTOMER_TABLE, parser::findCustomerRequest)).isEmpty();
  }

  @Test
  void anAgentsPromiseToCallIsACallBackTheCustomersIsNot() {
    assertThat(parser.find("I'll call you back tomorrow at 3pm.", ENDED)).isPresent();
    assertThat(parser.findCustomerRequest("I'll call you back tomorrow at 3pm.", ENDED)).isEmpty();
  }

  /** The rows of {@code table} that {@code finder} resolves otherwise than expected. */
  private static List<String> check(
      String table,
      java.util.function.BiFunction<String, ZonedDateTime, Optional<CallbackRequest>> finder) {
    List<String> wrong = new ArrayList<>();
    int rows = 0;
    for (String row : table.strip().split("\n")) {
      String[] cells = row.split("\\|");
      String phrase = cells[0].trim();
      String expected = cells[1].trim();
      rows++;
      Optional<CallbackRequest> found = finder.apply(phrase, ENDED);
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
    return wrong;
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
