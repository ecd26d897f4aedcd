package io.callstream.enrichment.callback;

import java.time.Instant;

/**
 * A call back someone asked for.
 *
 * @param dueAt when to call
 * @param timeStated true when the words named a time; false when none was named and the due time is
 *     the configured default after the call
 * @param phrase the sentence the request was found in
 * @param reason what the call back is about, when the sentence says ("to confirm the price")
 */
public record CallbackRequest(Instant dueAt, boolean timeStated, String phrase, String reason) {}
