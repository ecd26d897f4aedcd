package io.callstream.gateway.source;

import io.callstream.events.Provider;

/**
 * A configured webhook source, reached at {@code POST /v1/webhooks/{id}}. Its secret (or, for
 * Telnyx, its public key) lives in the environment variable {@code secretEnv}, never in files or
 * logs.
 *
 * @param id the URL segment naming the source
 * @param provider which platform sends to it
 * @param secretEnv the environment variable holding its secret
 * @param tenantId the tenant every call from it belongs to, or null to map agents to tenants
 *     downstream
 * @param auth how Vapi authenticates: {@code secret} (X-Vapi-Secret, the default) or {@code hmac}
 *     (X-Vapi-Signature); null for other providers
 * @param maxBodyBytes the largest body accepted
 */
public record Source(
    String id,
    Provider provider,
    String secretEnv,
    String tenantId,
    String auth,
    long maxBodyBytes) {}
