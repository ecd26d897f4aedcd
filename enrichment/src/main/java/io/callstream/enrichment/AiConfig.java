package io.callstream.enrichment;

import io.callstream.config.EnvironmentReader;
import io.callstream.enrichment.openai.OpenAiClient;
import io.callstream.enrichment.openai.OpenAiLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which AI the stages use, read from the environment: the offline {@code local} models unless
 * {@code OPENAI_BASE_URL} names an OpenAI-compatible endpoint.
 *
 * @param openAiBaseUrl {@code OPENAI_BASE_URL} (ending in /v1); null for the local models
 * @param openAiApiKey {@code OPENAI_API_KEY}
 * @param models {@code OPENAI_CHAT_MODEL}, {@code OPENAI_EMBEDDING_MODEL}, {@code
 *     OPENAI_EMBEDDING_DIMENSIONS}, {@code OPENAI_TRANSCRIPTION_MODEL}, and {@code
 *     OPENAI_ANALYZE_PROMPT_FILE}, the user's own analysis prompt, whose file name (without {@code
 *     .txt}) is its version: a new name re-enriches replayed calls
 * @param limits {@code OPENAI_MAX_CONCURRENCY} (default 64), {@code OPENAI_REQUESTS_PER_MINUTE}
 *     (3000), {@code OPENAI_TOKENS_PER_MINUTE} (1000000), {@code OPENAI_TIMEOUT} (60s)
 * @param localWorkers {@code CALLSTREAM_LOCAL_AI_WORKERS}: threads for the local models, default 2
 * @param defaultCallbackDelay {@code CALLSTREAM_DEFAULT_CALLBACK_DELAY}: when to call back a caller
 *     who named no time, default 1h
 */
public record AiConfig(
    String openAiBaseUrl,
    String openAiApiKey,
    Enrichers.OpenAiModels models,
    OpenAiLimits limits,
    int localWorkers,
    Duration defaultCallbackDelay) {

  public static AiConfig fromEnv(Function<String, String> env) {
    List<String> problems = new ArrayList<>();
    EnvironmentReader read = new EnvironmentReader(env, problems);
    Enrichers.OpenAiModels defaults = Enrichers.OpenAiModels.defaults();
    OpenAiLimits limits = OpenAiLimits.defaults();
    AiConfig config =
        new AiConfig(
            read.url("OPENAI_BASE_URL", false),
            read.text("OPENAI_API_KEY", ""),
            new Enrichers.OpenAiModels(
                read.text("OPENAI_CHAT_MODEL", defaults.chat()),
                read.text("OPENAI_EMBEDDING_MODEL", defaults.embedding()),
                (int)
                    read.number(
                        "OPENAI_EMBEDDING_DIMENSIONS", defaults.embeddingDimensions(), 1, 16_384),
                read.text("OPENAI_TRANSCRIPTION_MODEL", defaults.transcription()),
                defaults.inputPricePerMillion(),
                defaults.outputPricePerMillion(),
                defaults.audioPricePerMinute(),
                defaults.embeddingBatchInputs(),
                defaults.embeddingBatchTokens(),
                read.optionalFile("OPENAI_ANALYZE_PROMPT_FILE")),
            new OpenAiLimits(
                (int) read.number("OPENAI_MAX_CONCURRENCY", limits.maxConcurrency(), 1, 100_000),
                read.number(
                    "OPENAI_REQUESTS_PER_MINUTE",
                    (long) limits.requestsPerMinute(),
                    1,
                    100_000_000),
                read.number(
                    "OPENAI_TOKENS_PER_MINUTE",
                    (long) limits.tokensPerMinute(),
                    1,
                    10_000_000_000L),
                read.duration("OPENAI_TIMEOUT", limits.timeout()),
                limits.circuitOpenFor()),
            (int) read.number("CALLSTREAM_LOCAL_AI_WORKERS", 2, 1, 64),
            read.duration("CALLSTREAM_DEFAULT_CALLBACK_DELAY", Duration.ofHours(1)));
    read.check("the AI configuration");
    return config;
  }

  /** The AI this configuration names: an OpenAI-compatible service, or the local models. */
  public Enrichers enrichers() {
    if (openAiBaseUrl == null) {
      return Enrichers.local(localWorkers, defaultCallbackDelay);
    }
    return Enrichers.openAi(new OpenAiClient(openAiBaseUrl, openAiApiKey, limits), models);
  }
}
