package io.callstream.gateway.provider;

import static io.callstream.gateway.provider.AdapterTesting.NOW;
import static io.callstream.gateway.provider.AdapterTesting.accepted;
import static io.callstream.gateway.provider.AdapterTesting.problem;
import static io.callstream.gateway.provider.AdapterTesting.request;
import static io.callstream.gateway.support.Signers.TWILIO_AUTH_TOKEN;
import static io.callstream.gateway.support.Signers.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.gateway.provider.telnyx.TelnyxAdapter;
import io.callstream.gateway.provider.twilio.TwilioAdapter;
import io.callstream.gateway.source.Source;
import io.callstream.gateway.support.Signers;
import io.callstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwilioTelnyxAdapterTest {
  private static final String URL = "https://hooks.example.test/v1/webhooks/twilio";
  private final TwilioAdapter twilio = new TwilioAdapter();
  private final TelnyxAdapter telnyx = new TelnyxAdapter();
  private final Source twilioSource = AdapterTesting.source(Provider.TWILIO, "acme", null);
  private final Source telnyxSource = AdapterTesting.source(Provider.TELNYX, null, null);
  private final String telnyxKey = Signers.env().get("TELNYX_PUBLIC_KEY");

  @Test
  void twilioSignsTheFullUrlAndTheSortedParameters() {
    String form = new String(fixture("twilio-status-completed.form"), StandardCharsets.UTF_8);
    String signature = Signers.twilio(URL, form);
    twilio.verify(
        request(URL, form.getBytes(StandardCharsets.UTF_8), "X-Twilio-Signature", signature),
        twilioSource,
        TWILIO_AUTH_TOKEN,
        NOW);

    // The same body signed for another URL (a proxy rewrote it) does not verify.
    String elsewhere = Signers.twilio("https://other.example.test/v1/webhooks/twilio", form);
    assertThat(
            problem(
                    () ->
                        twilio.verify(
                            request(
                                URL,
                                form.getBytes(StandardCharsets.UTF_8),
                                "X-Twilio-Signature",
                                elsewhere),
                            twilioSource,
                            TWILIO_AUTH_TOKEN,
                            NOW))
                .detail())
        .contains("does not match the URL and parameters");
    byte[] changed =
        form.replace("CallDuration=84", "CallDuration=85").getBytes(StandardCharsets.UTF_8);
    assertThat(
            problem(
                    () ->
                        twilio.verify(
                            request(URL, changed, "X-Twilio-Signature", signature),
                            twilioSource,
                            TWILIO_AUTH_TOKEN,
                            NOW))
                .status())
        .isEqualTo(401);
  }

  @Test
  void twilioCompletedCallAndRecordingShareTheCallId() {
    CallEnded call =
        (CallEnded)
            accepted(twilio, request(URL, fixture("twilio-status-completed.form")), twilioSource)
                .value();
    IngestEvent recordingEvent =
        accepted(twilio, request(URL, fixture("twilio-recording-completed.form")), twilioSource);
    RecordingUploaded recording = (RecordingUploaded) recordingEvent.value();

    assertThat(call.getCallId())
        .isEqualTo(recording.getCallId())
        .isEqualTo(CallIds.of(Provider.TWILIO, "CA8f1b2c3d4e5f60718293a4b5c6d7e8f9"));
    assertThat(call.getStatus()).isEqualTo(CallStatus.COMPLETED);
    assertThat(call.getDirection()).isEqualTo(Direction.INBOUND);
    assertThat(call.getAgentId()).isEqualTo("+14155550100");
    assertThat(call.getEndedAt()).isEqualTo(Instant.parse("2026-11-20T14:03:27Z"));
    assertThat(call.getDurationMs()).isEqualTo(84_000L);
    assertThat(call.getTenantId()).isEqualTo("acme");
    assertThat(recordingEvent.topic()).isEqualTo(Topics.RECORDINGS_UPLOADED);
    assertThat(recording.getAudioUrl())
        .isEqualTo(
            "https://api.twilio.com/2010-04-01/Accounts/ACa1b2c3d4e5f60718293a4b5c6d7e8f90/Recordings/RE0a1b2c3d4e5f60718293a4b5c6d7e8f");
    assertThat(recording.getFormat()).isEqualTo(AudioFormat.WAV);
    assertThat(recording.getDurationMs()).isEqualTo(83_000L);
    assertThat(recording.getRecordedAt()).isEqualTo(Instant.parse("2026-11-20T14:02:04Z"));
  }

  @Test
  void twilioProgressIsIgnoredAndMissingSidIsNamed() {
    byte[] ringing = "CallSid=CA1&CallStatus=ringing".getBytes(StandardCharsets.UTF_8);
    assertThat(twilio.map(request(URL, ringing), twilioSource)).isInstanceOf(Mapping.Ignored.class);
    assertThat(
            problem(
                    () ->
                        twilio.map(
                            request(URL, "CallStatus=completed".getBytes(StandardCharsets.UTF_8)),
                            twilioSource))
                .field())
        .isEqualTo("CallSid");
    assertThat(
            problem(
                    () ->
                        twilio.map(
                            request(URL, "CallSid=%zz".getBytes(StandardCharsets.UTF_8)),
                            twilioSource))
                .status())
        .isEqualTo(400);
  }

  @Test
  void telnyxVerifiesTheEd25519SignatureAndTheTimestamp() {
    byte[] body = fixture("telnyx-call.hangup.json");
    long ts = NOW.getEpochSecond() - 100;
    telnyx.verify(
        request(
            "u",
            body,
            "telnyx-signature-ed25519",
            Signers.telnyx(body, ts),
            "telnyx-timestamp",
            Long.toString(ts)),
        telnyxSource,
        telnyxKey,
        NOW);

    // The signature covers the timestamp: changing it breaks the signature.
    assertThat(
            problem(
                    () ->
                        telnyx.verify(
                            request(
                                "u",
                                body,
                                "telnyx-signature-ed25519",
                                Signers.telnyx(body, ts),
                                "telnyx-timestamp",
                                Long.toString(ts + 1)),
                            telnyxSource,
                            telnyxKey,
                            NOW))
                .detail())
        .isEqualTo("telnyx-signature-ed25519 does not verify with the source's public key");
    long old = NOW.getEpochSecond() - 301;
    assertThat(
            problem(
                    () ->
                        telnyx.verify(
                            request(
                                "u",
                                body,
                                "telnyx-signature-ed25519",
                                Signers.telnyx(body, old),
                                "telnyx-timestamp",
                                Long.toString(old)),
                            telnyxSource,
                            telnyxKey,
                            NOW))
                .detail())
        .isEqualTo("telnyx-timestamp timestamp is 301 s old; at most 300 s is accepted");
    assertThat(
            problem(
                    () ->
                        telnyx.verify(
                            request("u", body, "telnyx-timestamp", Long.toString(ts)),
                            telnyxSource,
                            telnyxKey,
                            NOW))
                .detail())
        .isEqualTo("telnyx-signature-ed25519 header is missing");
  }

  @Test
  void telnyxHangupAndRecordingShareTheSessionsCallId() {
    IngestEvent hangup =
        accepted(telnyx, request("u", fixture("telnyx-call.hangup.json")), telnyxSource);
    IngestEvent saved =
        accepted(telnyx, request("u", fixture("telnyx-call.recording.saved.json")), telnyxSource);
    CallEnded call = (CallEnded) hangup.value();
    RecordingUploaded recording = (RecordingUploaded) saved.value();

    assertThat(hangup.eventId()).isEqualTo("telnyx:0ccc7b54-4df3-4bca-a65a-3da1ecc777f0");
    assertThat(call.getCallId()).isEqualTo(recording.getCallId());
    assertThat(call.getAgentId()).isEqualTo("1684641123236054244");
    assertThat(call.getDirection()).isEqualTo(Direction.INBOUND);
    assertThat(call.getDurationMs()).isEqualTo(84_380L);
    assertThat(recording.getAudioUrl()).endsWith("f7a1c2b3.mp3");
    assertThat(recording.getChannels()).isEqualTo(2);
    assertThat(recording.getDurationMs()).isEqualTo(83_000L);
  }
}
