package io.callstream.gateway.provider;

import static io.callstream.gateway.provider.AdapterTesting.NOW;
import static io.callstream.gateway.provider.AdapterTesting.accepted;
import static io.callstream.gateway.provider.AdapterTesting.problem;
import static io.callstream.gateway.provider.AdapterTesting.request;
import static io.callstream.gateway.support.Signers.ELEVENLABS_SECRET;
import static io.callstream.gateway.support.Signers.elevenLabs;
import static io.callstream.gateway.support.Signers.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.events.AudioFormat;
import io.callstream.events.CallEnded;
import io.callstream.events.CallStatus;
import io.callstream.events.Direction;
import io.callstream.events.Party;
import io.callstream.events.PartyRole;
import io.callstream.events.Provider;
import io.callstream.events.RecordingUploaded;
import io.callstream.events.SpeakerRole;
import io.callstream.events.TranscriptTurn;
import io.callstream.gateway.blob.FileBlobStore;
import io.callstream.gateway.provider.elevenlabs.ElevenLabsAdapter;
import io.callstream.gateway.source.Source;
import io.callstream.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElevenLabsAdapterTest {
  @TempDir Path blobs;

  private final Source source = AdapterTesting.source(Provider.ELEVENLABS, "acme", null);

  private ElevenLabsAdapter adapter() {
    return new ElevenLabsAdapter();
  }

  private FileBlobStore blobStore() {
    return new FileBlobStore(blobs);
  }

  @Test
  void acceptsTheDocumentedSignature() {
    byte[] body = fixture("elevenlabs-post_call_transcription.json");
    long now = NOW.getEpochSecond();
    adapter()
        .verify(
            request("u", body, "ElevenLabs-Signature", elevenLabs(body, now - 60)),
            source,
            ELEVENLABS_SECRET,
            NOW);
  }

  @Test
  void rejectsATamperedBodyAMissingHeaderAndAStaleTimestamp() {
    byte[] body = fixture("elevenlabs-post_call_transcription.json");
    String signature = elevenLabs(body, NOW.getEpochSecond());
    byte[] tampered =
        new String(body, StandardCharsets.UTF_8)
            .replace("84", "85")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(
            problem(
                    () ->
                        adapter()
                            .verify(
                                request("u", tampered, "ElevenLabs-Signature", signature),
                                source,
                                ELEVENLABS_SECRET,
                                NOW))
                .detail())
        .isEqualTo("ElevenLabs-Signature does not match the body");
    assertThat(
            problem(() -> adapter().verify(request("u", body), source, ELEVENLABS_SECRET, NOW))
                .status())
        .isEqualTo(401);
    assertThat(
            problem(
                    () ->
                        adapter()
                            .verify(
                                request("u", body, "ElevenLabs-Signature", "v0=abc"),
                                source,
                                ELEVENLABS_SECRET,
                                NOW))
                .detail())
        .contains("must be t=<unix seconds>,v0=<hex HMAC-SHA256>");
    String stale = elevenLabs(body, NOW.getEpochSecond() - 31 * 60);
    assertThat(
            problem(
                    () ->
                        adapter()
                            .verify(
                                request("u", body, "ElevenLabs-Signature", stale),
                                source,
                                ELEVENLABS_SECRET,
                                NOW))
                .detail())
        .isEqualTo("ElevenLabs-Signature timestamp is 1860 s old; at most 1800 s is accepted");
  }

  @Test
  void mapsATranscriptionToACallWithTurnsPartiesAndAnalysis() {
    byte[] body = fixture("elevenlabs-post_call_transcription.json");
    IngestEvent event = accepted(adapter(), request("u", body), source, blobStore());

    assertThat(event.topic()).isEqualTo(Topics.CALLS_ENDED);
    assertThat(event.eventId())
        .isEqualTo("elevenlabs:conv_5501k9a8c3gmf8k9x1r2t7ew4b:post_call_transcription");
    CallEnded call = (CallEnded) event.value();
    assertThat(call.getCallId())
        .isEqualTo(CallIds.of(Provider.ELEVENLABS, "conv_5501k9a8c3gmf8k9x1r2t7ew4b"))
        .isEqualTo(event.callId());
    assertThat(call.getTenantId()).isEqualTo("acme");
    assertThat(call.getAgentId()).isEqualTo("agent_8401k4xqpz3ef0tbm6zy2ds7qc");
    assertThat(call.getDirection()).isEqualTo(Direction.INBOUND);
    assertThat(call.getStatus()).isEqualTo(CallStatus.COMPLETED);
    assertThat(call.getStartedAt()).isEqualTo(Instant.ofEpochSecond(1763647320));
    assertThat(call.getEndedAt()).isEqualTo(Instant.ofEpochSecond(1763647320 + 84));
    assertThat(call.getDurationMs()).isEqualTo(84_000L);
    assertThat(call.getParties())
        .containsExactly(
            new Party(PartyRole.CALLER, "+14155550123", null),
            new Party(PartyRole.CALLEE, "+14155550100", null));
    assertThat(call.getTurns())
        .containsExactly(
            new TranscriptTurn(
                SpeakerRole.AGENT,
                "Hi, thanks for calling Northwind Plumbing. How can I help you today?",
                0L,
                4_000L),
            new TranscriptTurn(
                SpeakerRole.USER,
                "Hi, my water heater started leaking this morning and I need someone to take a look.",
                4_000L,
                11_000L),
            new TranscriptTurn(
                SpeakerRole.AGENT,
                "I can have a technician there tomorrow between 9 and 11. Does that work?",
                12_000L,
                18_000L),
            new TranscriptTurn(
                SpeakerRole.USER,
                "That works. Can someone also call me back this afternoon at 3pm to confirm the price?",
                18_000L,
                84_000L));
    assertThat(call.getProviderAnalysis().getSummary())
        .startsWith("The caller reported a leaking water heater");
    assertThat(call.getProviderAnalysis().getSuccessful()).isTrue();
    assertThat(call.getProviderAnalysis().getData()).containsKey("issue");
    assertThat(call.getMetadata()).containsEntry("customer_name", "Dana Whitfield");
    assertThat(call.getTerminationReason()).isEqualTo("end_call tool was called.");
    assertThat(call.getRawPayload()).isEqualTo(new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void storesPostCallAudioAndPublishesOnlyItsUrl() throws Exception {
    byte[] body = fixture("elevenlabs-post_call_audio.json");
    IngestEvent event = accepted(adapter(), request("u", body), source, blobStore());

    assertThat(event.topic()).isEqualTo(Topics.RECORDINGS_UPLOADED);
    RecordingUploaded recording = (RecordingUploaded) event.value();
    assertThat(recording.getCallId())
        .isEqualTo(CallIds.of(Provider.ELEVENLABS, "conv_5501k9a8c3gmf8k9x1r2t7ew4b"));
    assertThat(recording.getFormat()).isEqualTo(AudioFormat.MP3);
    Path stored = Path.of(java.net.URI.create(recording.getAudioUrl()));
    assertThat(stored).startsWith(blobs);
    byte[] audio = Files.readAllBytes(stored);
    assertThat(new String(audio, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("ID3");
    assertThat(recording.getSizeBytes()).isEqualTo(audio.length);
  }

  @Test
  void mapsAnInitiationFailureToAFailedCall() {
    CallEnded call =
        (CallEnded)
            accepted(
                    adapter(),
                    request("u", fixture("elevenlabs-call_initiation_failure.json")),
                    source,
                    blobStore())
                .value();
    assertThat(call.getStatus()).isEqualTo(CallStatus.BUSY);
    assertThat(call.getTerminationReason()).isEqualTo("busy");
    assertThat(call.getEndedAt()).isEqualTo(Instant.ofEpochSecond(1763647500));
    assertThat(call.getTurns()).isEmpty();
  }

  @Test
  void namesTheMissingFieldAndIgnoresUnknownTypes() {
    byte[] missing =
        "{\"type\":\"post_call_transcription\",\"data\":{\"agent_id\":\"a\"}}"
            .getBytes(StandardCharsets.UTF_8);
    var problem = problem(() -> adapter().map(request("u", missing), source));
    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.field()).isEqualTo("data.conversation_id");

    byte[] badAudio =
        "{\"type\":\"post_call_audio\",\"data\":{\"conversation_id\":\"c\",\"full_audio\":\"***\"}}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(problem(() -> adapter().map(request("u", badAudio), source)).field())
        .isEqualTo("data.full_audio");

    Mapping other =
        adapter()
            .map(
                request(
                    "u",
                    "{\"type\":\"conversation_started\",\"data\":{}}"
                        .getBytes(StandardCharsets.UTF_8)),
                source);
    assertThat(other)
        .isEqualTo(
            new Mapping.Ignored(
                "ElevenLabs event type 'conversation_started' is not one callstream ingests"));
    assertThat(List.of(blobs.toFile().list())).isEmpty();
  }
}
