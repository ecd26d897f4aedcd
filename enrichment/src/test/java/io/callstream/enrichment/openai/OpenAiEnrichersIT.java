package io.callstream.enrichment.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.enrichment.Analysis;
import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.Conversation;
import io.callstream.enrichment.Conversation.Speaker;
import io.callstream.enrichment.Conversation.Utterance;
import io.callstream.enrichment.Document;
import io.callstream.enrichment.Transcription;
import io.callstream.enrichment.outcome.Outcome;
import io.callstream.enrichment.simulator.AiSimulator;
import io.callstream.enrichment.simulator.AiSimulator.Faults;
import io.callstream.enrichment.simulator.AiSimulator.Latency;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transcription, documents and tenant extraction over the OpenAI-compatible API, against the
 * simulator.
 */
class OpenAiEnrichersIT {
  private static final Conversation CALL =
      new Conversation(
          "call-2",
          List.of(
              new Utterance(Speaker.AGENT, "Bright Smile Dental, this is Riley.", 0L, 2_000L),
              new Utterance(
                  Speaker.USER,
                  "I need to move my cleaning to next Tuesday. We agreed on ten in the morning, right?",
                  2_500L,
                  7_000L),
              new Utterance(
                  Speaker.AGENT,
                  "Yes, you're booked for Tuesday at ten. I'll send you a confirmation email.",
                  7_500L,
                  11_000L)),
          Instant.parse("2026-11-18T13:30:00Z"),
          ZoneId.of("America/New_York"));

  @TempDir Path dir;
  private AiSimulator simulator;
  private OpenAiClient client;

  @BeforeEach
  void start() {
    simulator = AiSimulator.start(0, Latency.NONE, Faults.NONE);
    client =
        new OpenAiClient(
            simulator.baseUrl(),
            "sk-test",
            new OpenAiLimits(8, 60_000, 1_000_000, Duration.ofSeconds(5), Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  @Test
  void transcribesWithWordAndSegmentTimesAndPricesTheMinutes() throws Exception {
    Path audio = Files.write(dir.resolve("call.wav"), new byte[64_000]);
    Outcome<Transcription> outcome =
        new OpenAiTranscriber(client, "whisper-1", 0.006)
            .transcribe(audio.toUri())
            .toCompletableFuture()
            .join();

    Outcome.Success<Transcription> success = (Outcome.Success<Transcription>) outcome;
    Transcription transcription = success.result();
    assertThat(transcription.model()).isEqualTo("whisper-1");
    // The simulator times the upload by its size: 64 000 bytes of 16 kHz 16-bit audio and the form
    // around it.
    assertThat(transcription.durationMs()).isBetween(2_000L, 2_100L);
    assertThat(transcription.segments()).hasSize(1);
    assertThat(transcription.segments().get(0).words()).hasSize(13);
    assertThat(transcription.segments().get(0).words().get(0).text()).isEqualTo("this");
    assertThat(success.usage().audioMillis()).isEqualTo(transcription.durationMs());
    assertThat(success.usage().costUsd()).isEqualTo(transcription.durationMs() / 60_000.0 * 0.006);
    assertThat(simulator.requests(AiSimulator.TRANSCRIPTIONS)).isEqualTo(1);
  }

  @Test
  void audioThatCannotBeFetchedIsNamed() {
    Outcome<Transcription> outcome =
        new OpenAiTranscriber(client, "whisper-1", 0)
            .transcribe(java.net.URI.create("s3://bucket/call.wav"))
            .toCompletableFuture()
            .join();
    assertThat(outcome)
        .isInstanceOfSatisfying(
            Outcome.Permanent.class, p -> assertThat(p.reason()).contains("s3: URL"));
  }

  @Test
  void writesADocumentWithItsPromptVersion() {
    Outcome<Document> outcome =
        new OpenAiDocumentWriter(client, "gpt-4o-mini", 0.15, 0.6)
            .write(CALL)
            .toCompletableFuture()
            .join();
    Document document = ((Outcome.Success<Document>) outcome).result();
    assertThat(document.promptVersion()).isEqualTo("document-v1");
    assertThat(document.markdown()).startsWith("# ").contains("## Summary");
  }

  @Test
  void extractsDataAgainstTheTenantsSchema() throws Exception {
    String schema =
        """
        {"type": "object", "additionalProperties": false, "required": ["new_day", "confirmed", "visits"],
         "properties": {"new_day": {"type": "string", "enum": ["monday", "tuesday"]}, "confirmed": {"type": "boolean"}, "visits": {"type": "integer"}}}
        """;
    Outcome<Analysis> outcome =
        new OpenAiAnalyzer(client, "gpt-4o-mini", 0, 0)
            .analyze(CALL, AnalysisPlan.of(schema, null, List.of(), List.of()))
            .toCompletableFuture()
            .join();
    Analysis analysis = ((Outcome.Success<Analysis>) outcome).result();
    var extracted = new ObjectMapper().readTree(analysis.extractedJson());
    assertThat(extracted.path("new_day").asText()).isEqualTo("monday");
    assertThat(extracted.path("confirmed").isBoolean()).isTrue();
    assertThat(extracted.path("visits").isNumber()).isTrue();
    assertThat(
            new OpenAiAnalyzer(client, "gpt-4o-mini", 0, 0)
                .analyze(CALL)
                .toCompletableFuture()
                .join())
        .isInstanceOfSatisfying(
            Outcome.Success.class,
            s -> assertThat(((Analysis) s.result()).extractedJson()).isNull());
  }

  @Test
  void followsATenantsPlanItsDataFieldsCriteriaAndSuccess() throws Exception {
    AnalysisPlan plan =
        AnalysisPlan.of(
            """
            {"type": "object", "properties": {"new_day": {"type": "string"}}, "required": ["new_day"]}
            """,
            "the appointment was moved to a day the customer confirmed",
            List.of(new AnalysisPlan.DataField("visits", "integer", "how many visits were booked")),
            List.of(
                new AnalysisPlan.Criterion("rebooked", "the appointment has a new day"),
                new AnalysisPlan.Criterion("polite", "the agent was courteous")));

    Analysis analysis =
        ((Outcome.Success<Analysis>)
                new OpenAiAnalyzer(client, "gpt-4o-mini", 0, 0)
                    .analyze(CALL, plan)
                    .toCompletableFuture()
                    .join())
            .result();

    var extracted = new ObjectMapper().readTree(analysis.extractedJson());
    assertThat(extracted.has("new_day")).isTrue();
    assertThat(extracted.path("visits").isNumber()).isTrue();
    assertThat(analysis.evaluations())
        .extracting(Analysis.CriterionResult::name)
        .containsExactly("rebooked", "polite");
    assertThat(analysis.evaluations())
        .allSatisfy(result -> assertThat(result.rationale()).isNotBlank());
    assertThat(OpenAiAnalyzer.planPrompt(plan))
        .contains("visits (integer): how many visits were booked")
        .contains("succeeded when: the appointment was moved")
        .contains("rebooked: the appointment has a new day");
  }

  @Test
  void anExtractionThatDoesNotFitIsRepairedOnceThenAPermanentFailureWithTheValidationError() {
    AnalysisPlan plan =
        AnalysisPlan.of(
            null,
            null,
            List.of(new AnalysisPlan.DataField("visits", "integer", "visits")),
            List.of());
    OpenAiAnalyzer analyzer = new OpenAiAnalyzer(client, "gpt-4o-mini", 0, 0);

    long before = simulator.requests(AiSimulator.CHAT);
    simulator.breakExtractions(1);
    assertThat(analyzer.analyze(CALL, plan).toCompletableFuture().join())
        .isInstanceOf(Outcome.Success.class);
    assertThat(simulator.requests(AiSimulator.CHAT) - before).isEqualTo(2);

    simulator.breakExtractions(2);
    assertThat(analyzer.analyze(CALL, plan).toCompletableFuture().join())
        .isInstanceOfSatisfying(
            Outcome.Permanent.class,
            p ->
                assertThat(p.reason())
                    .contains("after a repair attempt")
                    .contains("extracted does not fit the tenant's schema")
                    .contains("object"));
  }
}
