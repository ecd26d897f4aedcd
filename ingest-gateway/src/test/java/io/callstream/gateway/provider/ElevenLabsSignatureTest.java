package io.callstream.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.gateway.provider.elevenlabs.ElevenLabsSignature;
import io.callstream.gateway.support.Signers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The senders' ElevenLabs signer agrees with the tests' independent one, and with nothing else. */
class ElevenLabsSignatureTest {
  private static final byte[] BODY =
      "{\"type\":\"post_call_transcription\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void itSignsAsTheIndependentSignerDoes() {
    assertThat(ElevenLabsSignature.of(Signers.ELEVENLABS_SECRET, 1_764_000_000L, BODY))
        .isEqualTo(Signers.elevenLabs(BODY, 1_764_000_000L));
  }

  @Test
  void anotherTimeOrBodyOrSecretSignsDifferently() {
    String signed = ElevenLabsSignature.of(Signers.ELEVENLABS_SECRET, 1_764_000_000L, BODY);
    assertThat(ElevenLabsSignature.of(Signers.ELEVENLABS_SECRET, 1_764_000_001L, BODY))
        .isNotEqualTo(signed);
    assertThat(
            ElevenLabsSignature.of(
                Signers.ELEVENLABS_SECRET, 1_764_000_000L, "{}".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(signed);
    assertThat(ElevenLabsSignature.of("another secret", 1_764_000_000L, BODY)).isNotEqualTo(signed);
  }
}
