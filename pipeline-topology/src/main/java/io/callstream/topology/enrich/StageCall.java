package io.callstream.topology.enrich;

import io.callstream.enrichment.outcome.Outcome;
import io.callstream.events.StageResult;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * One stage of one item, ready to run: the key its result is cached under (null when the result is
 * not worth caching) and the AI call that produces it.
 */
record StageCall(String cacheKey, Supplier<CompletionStage<Outcome<StageResult>>> run) {}
