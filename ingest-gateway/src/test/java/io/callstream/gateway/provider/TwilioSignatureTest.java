package io.callstream.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.gateway.provider.twilio.TwilioSignature;
import io.callstream.gateway.support.Signers;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The senders' Twilio signer agrees with the tests' independent one, and with nothing else. */
class TwilioSignatureTest {
  private static final String URL = "https://hooks.example.test/v1/webhooks/twilio";

  // deliberately out of name order: the signer sorts
  private static final Map<String, String> PARAMS = new LinkedHashMap<>();

  static {
    PARAMS.put("To", "+14155550100");
    PARAMS.put("CallSid", "CA0123456789abcdef");
    PARAMS.put("From", "+442075550123");
    PARAMS.put("CallStatus", "completed");
  }

  @Test
  void itSignsAsTheIndependentSignerDoes() {
    String form =
        PARAMS.entrySet().stream()
            .map(
                p ->
                    URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    assertThat(TwilioSignature.of(Signers.TWILIO_AUTH_TOKEN, URL, PARAMS))
        .isEqualTo(Signers.twilio(URL, form));
  }

  @Test
  void anotherUrlOrParameterOrTokenSignsDifferently() {
    String signed = TwilioSignature.of(Signers.TWILIO_AUTH_TOKEN, URL, PARAMS);
    assertThat(TwilioSignature.of(Signers.TWILIO_AUTH_TOKEN, URL + "?x=1", PARAMS))
        .isNotEqualTo(signed);
    Map<String, String> changed = new LinkedHashMap<>(PARAMS);
    changed.put("CallStatus", "busy");
    assertThat(TwilioSignature.of(Signers.TWILIO_AUTH_TOKEN, URL, changed)).isNotEqualTo(signed);
    assertThat(TwilioSignature.of("another token", URL, PARAMS)).isNotEqualTo(signed);
  }
}
