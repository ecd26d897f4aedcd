package io.callstream.query.http;

import io.callstream.query.auth.ReadKeys;
import io.callstream.query.auth.ReadKeys.Reader;
import io.javalin.http.Context;

/** Who is asking: the reader of the request's {@code Authorization: Bearer} key, or a 401. */
final class Readers {
  private Readers() {}

  static Reader of(Context ctx, ReadKeys keys) {
    String authorization = ctx.header("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw ApiProblem.unauthorized("Authorization: Bearer <read key> is required");
    }
    return keys.readerFor(authorization.substring(7).trim())
        .orElseThrow(() -> ApiProblem.unauthorized("the read key is not valid"));
  }

  /**
   * The tenant a request reads: a tenant key's own (a {@code tenant} parameter naming another is
   * refused), or for the operator the {@code tenant} parameter, null for every tenant unless {@code
   * required}.
   */
  static String tenant(Reader reader, Params params, boolean required) {
    String named = params.text("tenant", 200, false);
    if (!reader.operator()) {
      if (named != null && !named.equals(reader.tenantId())) {
        throw ApiProblem.badParameter("tenant", "a tenant key reads only its own tenant");
      }
      return reader.tenantId();
    }
    if (named == null && required) {
      throw ApiProblem.badParameter("tenant", "tenant is required with an operator key");
    }
    return named;
  }
}
