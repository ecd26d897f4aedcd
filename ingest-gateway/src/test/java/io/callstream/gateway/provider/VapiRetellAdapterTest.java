package io.callstream.gateway.provider;

import static io.callstream.gateway.provider.AdapterTesting.NOW;
import static io.callstream.gateway.provider.AdapterTesting.accepted;
import static io.callstream.gateway.provider.AdapterTesting.problem;
import static io.callstream.gateway.provider.AdapterTesting.request;
import static io.callstream.gateway.support.Signers.RETELL_API_KEY;
import static io.callstream.gateway.support.Signers.VAPI_SECRET;
import static io.callstream.gateway.support.Signers.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import io.callstream.gateway.provider.retell.RetellAdapter;
import io.callstream.gateway.provider.vapi.VapiAdapter;
import io.callstream.gateway.source.Source;
import io.callstream.gateway.support.Signers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VapiRetellAdapterTest {
  private final VapiAdapter vapi = new VapiAdapter();
  private final RetellAdapter retell = new RetellAdapter();

  @Test
  void vapiChecksTheSharedSecretOrTheHmacAsTheSourceSays() {
    byte[] body = fixture("vapi-end-of-call-report.json");
    Source secretSource = AdapterTesting.source(Provider.VAPI, null, "secret");
    Source hmacSource = AdapterTesting.source(Provider.VAPI, null, "hmac");

    vapi.verify(request("u", body, "X-Vapi-Secret", VAPI_SECRET), secretSource, VAPI_SECRET, NOW);
    vapi.verify(
        request("u", body, "X-Vapi-Signature", Signers.vapiHmac(body)),
        hmacSource,
        VAPI_SECRET,
        NOW);

    assertThat(
            problem(
                    () ->
                        vapi.verify(
                            request("u", body, "X-Vapi-Secret", "wrong"),
                            secretSource,
                            VAPI_SECRET,
                            NOW))
                .detail())
        .isEqualTo("X-Vapi-Secret does not match the source's secret");
    // A valid secret does not pass a source that wants the HMAC.
    assertThat(
            problem(
                    () ->
                        vapi.verify(
                            request("u", body, "X-Vapi-Secret", VAPI_SECRET),
                            hmacSource,
                            VAPI_SECRET,
                            NOW))
                .detail())
        .isEqualTo("X-Vapi-Signature header is missing");
    byte[] other = "{\"message\":{}}".getBytes(StandardCharsets.UTF_8);
    assertThat(
            problem(
                    () ->
                        vapi.verify(
                            request("u", other, "X-Vapi-Signature", Signers.vapiHmac(body)),
                            hmacSource,
                            VAPI_SECRET,
                            NOW))
                .status())
        .isEqualTo(401);
  }

  @Test
  void vapiEndOfCallReportBecomesACall() {
    IngestEvent event =
        accepted(
            vapi,
            request("u", fixture("vapi-end-of-call-report.json")),
            AdapterTesting.source(Provider.VAPI, null, "secret"));
    CallEnded call = (CallEnded) event.value();
    assertThat(event.eventId())
        .isEqualTo("vapi:0d3f2a6e-4b8c-4e21-9f3a-6c7d8e9f0a1b:end-of-call-report");
    assertThat(call.getAgentId()).isEqualTo("7f1e3d5c-9b2a-4c6e-8d0f-2a4b6c8d0e1f");
    assertThat(call.getTenantId()).isNull();
    assertThat(call.getDirection()).isEqualTo(Direction.INBOUND);
    assertThat(call.getStartedAt()).isEqualTo(Instant.parse("2026-11-20T14:02:11.200Z"));
    assertThat(call.getEndedAt()).isEqualTo(Instant.parse("2026-11-20T14:03:26.900Z"));
    assertThat(call.getDurationMs()).isEqualTo(75_700L);
    assertThat(call.getParties())
        .containsExactly(
            new Party(PartyRole.CALLER, "+14155550142", "Jordan Lee"),
            new Party(PartyRole.CALLEE, "+14155550100", null));
    assertThat(call.getTurns())
        .containsExactly(
            new TranscriptTurn(
                SpeakerRole.AGENT,
                "Hi, this is Riley from Bright Smile Dental. How can I help?",
                900L,
                4_400L),
            new TranscriptTurn(
                SpeakerRole.USER,
                "I need to move my cleaning to next Tuesday if possible.",
                5_800L,
                9_200L),
            new TranscriptTurn(
                SpeakerRole.AGENT, "Done, you're booked for Tuesday at 10am.", 10_800L, 13_400L));
    assertThat(call.getRecordingUrl()).isEqualTo("https://storage.vapi.ai/0d3f2a6e-mono.wav");
    assertThat(call.getProviderAnalysis().getSuccessful()).isTrue();
    assertThat(call.getProviderAnalysis().getData())
        .containsEntry("new_day", "Tuesday")
        .containsEntry("appointment_moved", "true");
    assertThat(
            vapi.map(
                request(
                    "u",
                    "{\"message\":{\"type\":\"status-update\"}}".getBytes(StandardCharsets.UTF_8)),
                AdapterTesting.source(Provider.VAPI, null, "secret")))
        .isInstanceOf(Mapping.Ignored.class);
  }

  @Test
  void retellVerifiesBodyPlusTimestampWithinFiveMinutes() {
    byte[] body = fixture("retell-call_analyzed.json");
    Source source = AdapterTesting.source(Provider.RETELL, null, null);
    retell.verify(
        request(
            "u", body, "x-retell-signature", Signers.retell(body, NOW.toEpochMilli() - 4 * 60_000)),
        source,
        RETELL_API_KEY,
        NOW);

    String stale = Signers.retell(body, NOW.toEpochMilli() - 6 * 60_000);
    assertThat(
            problem(
                    () ->
                        retell.verify(
                            request("u", body, "x-retell-signature", stale),
                            source,
                            RETELL_API_KEY,
                            NOW))
                .detail())
        .isEqualTo("x-retell-signature timestamp is 360 s old; at most 300 s is accepted");
    String future = Signers.retell(body, NOW.toEpochMilli() + 6 * 60_000);
    assertThat(
            problem(
                    () ->
                        retell.verify(
                            request("u", body, "x-retell-signature", future),
                            source,
                            RETELL_API_KEY,
                            NOW))
                .detail())
        .contains("in the future");
    String wrongKey = Signers.retell(body, NOW.toEpochMilli()).replace("d=", "d=0");
    assertThat(
            problem(
                    () ->
                        retell.verify(
                            request("u", body, "x-retell-signature", wrongKey),
                            source,
                            RETELL_API_KEY,
                            NOW))
                .status())
        .isEqualTo(401);
  }

  @Test
  void retellCallAnalyzedBecomesACallWithItsAnalysis() {
    IngestEvent event =
        accepted(
            retell,
            request("u", fixture("retell-call_analyzed.json")),
            AdapterTesting.source(Provider.RETELL, null, null));
    CallEnded call = (CallEnded) event.value();
    assertThat(event.eventId()).isEqualTo("retell:Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6:call_analyzed");
    assertThat(call.getAgentId()).isEqualTo("oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD");
    assertThat(call.getDurationMs()).isEqualTo(88_512L);
    assertThat(call.getStatus()).isEqualTo(CallStatus.COMPLETED);
    assertThat(call.getTurns())
        .containsExactly(
            new TranscriptTurn(
                SpeakerRole.AGENT, "Hi, this is Ava from Acme Insurance.", 700L, 3_600L),
            new TranscriptTurn(
                SpeakerRole.USER,
                "Hi Ava, try me again in two hours, I'm driving.",
                4_200L,
                7_800L));
    assertThat(call.getProviderAnalysis().getSuccessful()).isFalse();
    assertThat(call.getProviderAnalysis().getSentiment()).isEqualTo("Neutral");
    assertThat(call.getMetadata())
        .containsEntry("crm_id", "lead-2291")
        .containsEntry("customer_name", "John Doe");
  }
}
