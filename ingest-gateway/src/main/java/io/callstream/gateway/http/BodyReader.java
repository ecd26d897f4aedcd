package io.callstream.gateway.http;

import io.callstream.schemas.topics.SizeLimits;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads request bodies within a size limit and checks their media type, before anything is parsed.
 */
final class BodyReader {
  private BodyReader() {}

  /** The request's media type must be {@code expected} (parameters such as charset are fine). */
  static void requireMediaType(Context ctx, String expected) {
    String contentType = ctx.contentType();
    if (contentType == null || contentType.isBlank()) {
      throw Problem.unsupportedMediaType(
          "Content-Type is missing; this endpoint takes " + expected);
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!mediaType.equals(expected)) {
      throw Problem.unsupportedMediaType(
          "Content-Type is " + mediaType + "; this endpoint takes " + expected);
    }
  }

  /** The whole body, or a 413 as soon as it is known to exceed {@code limit} bytes. */
  static byte[] read(Context ctx, long limit) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > limit) {
      throw tooLarge(declared + " bytes", limit);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = ctx.req().getInputStream();
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > limit) {
          throw tooLarge("more than " + limit + " bytes", limit);
        }
        body.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw Problem.malformed("the request body could not be read: " + e.getMessage());
    }
    return body.toByteArray();
  }

  /**
   * Reads and drops what is left of a refused request's body (up to the record limit), so that a
   * client still sending it reads the refusal instead of a reset connection.
   */
  static void discardRest(Context ctx) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = ctx.req().getInputStream();
      long dropped = 0;
      for (int n = in.read(buffer);
          n >= 0 && dropped < SizeLimits.MAX_RECORD_BYTES;
          n = in.read(buffer)) {
        dropped += n;
      }
    } catch (IOException | IllegalStateException e) {
      // the connection is gone or the body unreadable: nothing left to drop
    }
  }

  private static Problem tooLarge(String size, long limit) {
    return tooLarge(size, limit, "this endpoint");
  }

  /** A 413 naming the body's size and the limit of {@code what}. */
  static Problem tooLarge(String size, long limit, String what) {
    return Problem.tooLarge("body is " + size + "; " + what + " takes at most " + limit + " bytes");
  }
}
