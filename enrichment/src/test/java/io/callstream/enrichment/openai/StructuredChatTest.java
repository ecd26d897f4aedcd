package io.callstream.enrichment.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.enrichment.outcome.Outcome;
import java.io.IOException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StructuredChatTest {
  private final MockWebServer server = new MockWebServer();
  private OpenAiClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client =
        new OpenAiClient(
            server.url("/v1").toString(),
            "sk",
            new OpenAiLimits(2, 60_000, 1_000_000, Duration.ofSeconds(5), Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aRefusalIsPermanentAndNotRetried() {
    server.enqueue(
        new MockResponse.Builder()
            .code(200)
            .body(
                "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3}}")
            .build());
    Outcome<String> outcome =
        new StructuredChat(client, "m", 0, 0)
            .ask(
                "system",
                "user",
                "x",
                StructuredChat.json("{\"type\":\"object\"}"),
                json -> json.toString())
            .join();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Permanent.class,
            p -> assertThat(p.reason()).isEqualTo("refused: I can't help with that."));
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aBadAnswerIsRepairedOnceAndTheUsageOfBothCallsIsCounted() {
    server.enqueue(chat("not json", 10, 2));
    server.enqueue(chat("{\"ok\":true}", 20, 4));
    Outcome<String> outcome =
        new StructuredChat(client, "m", 1_000_000, 1_000_000)
            .ask("s", "u", "x", StructuredChat.json("{}"), json -> json.path("ok").asText())
            .join();
    Outcome.Success<String> success = (Outcome.Success<String>) outcome;
    assertThat(success.result()).isEqualTo("true");
    assertThat(success.usage().inputTokens()).isEqualTo(30);
    assertThat(success.usage().outputTokens()).isEqualTo(6);
    assertThat(success.usage().costUsd()).isEqualTo(36.0);
  }

  private static MockResponse chat(String content, int in, int out) {
    String escaped = content.replace("\"", "\\\"");
    return new MockResponse.Builder()
        .code(200)
        .body(
            "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\""
                + escaped
                + "\"}}],\"usage\":{\"prompt_tokens\":"
                + in
                + ",\"completion_tokens\":"
                + out
                + "}}")
        .build();
  }
}
