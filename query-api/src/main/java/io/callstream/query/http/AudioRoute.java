package io.callstream.query.http;

import io.callstream.query.auth.ReadKeys;
import io.callstream.sinks.read.CallReads;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/calls/{id}/audio}: a call's latest recording, when its audio is in callstream's
 * blob store, whole or one byte range of it (HTTP Range, as a player seeks). A recording the
 * platform keeps is not fetched on the caller's behalf.
 */
public final class AudioRoute {
  private static final Set<String> PARAMS = Set.of("tenant");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final Map<String, String> MEDIA_TYPES =
      Map.of(
          "WAV", "audio/wav",
          "MP3", "audio/mpeg",
          "OGG", "audio/ogg",
          "FLAC", "audio/flac",
          "WEBM", "audio/webm",
          "M4A", "audio/mp4");

  private final CallReads reads;
  private final ReadKeys keys;
  private final Path blobDir;

  /** {@code blobDir} null: no audio is served. */
  public AudioRoute(CallReads reads, ReadKeys keys, Path blobDir) {
    this.reads = reads;
    this.keys = keys;
    this.blobDir = blobDir == null ? null : blobDir.toAbsolutePath().normalize();
  }

  public void audio(Context ctx) throws IOException {
    ReadKeys.Reader reader = Readers.of(ctx, keys);
    String tenant = Readers.tenant(reader, Params.of(ctx, PARAMS), false);
    UUID callId = CallRoutes.callId(ctx);
    CallReads.Recording recording =
        reads
            .recording(tenant, callId)
            .orElseThrow(() -> ApiProblem.notFound("call " + callId + " has no recording"));
    Path file =
        stored(recording.audioUrl())
            .orElseThrow(
                () ->
                    ApiProblem.notFound(
                        "the recording of call "
                            + callId
                            + " is kept by its platform, not in callstream's blob store"));
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      Range range = Range.of(ctx.header("Range"), size);
      ctx.disableCompression()
          .header("Accept-Ranges", "bytes")
          .contentType(MEDIA_TYPES.getOrDefault(recording.format(), "application/octet-stream"));
      if (range == null) {
        ctx.status(200);
        range = new Range(0, size - 1);
      } else {
        ctx.status(206)
            .header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
      }
      ctx.header("Content-Length", Long.toString(range.length()));
      channel.position(range.first());
      try (InputStream in = Channels.newInputStream(channel)) {
        OutputStream out = ctx.outputStream();
        byte[] buffer = new byte[64 * 1024];
        long left = range.length();
        while (left > 0) {
          int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
          if (read < 0) {
            break;
          }
          out.write(buffer, 0, read);
          left -= read;
        }
      }
    } catch (NoSuchFileException e) {
      throw ApiProblem.notFound(
          "the recording of call " + callId + " is no longer in callstream's blob store");
    }
  }

  /** The file of {@code audioUrl} when it is one in the blob store. */
  private Optional<Path> stored(String audioUrl) {
    if (blobDir == null || !audioUrl.startsWith("file:")) {
      return Optional.empty();
    }
    try {
      Path file = Path.of(URI.create(audioUrl)).toAbsolutePath().normalize();
      return file.startsWith(blobDir) && !Files.isDirectory(file)
          ? Optional.of(file)
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** One byte range, first and last inclusive. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }

    /**
     * The range a {@code Range} header asks of {@code size} bytes: null to send them all (no
     * header, or one this route does not take, such as several ranges, which HTTP lets a server
     * ignore); a range that starts past the end is refused with 416.
     */
    static Range of(String header, long size) {
      if (header == null) {
        return null;
      }
      Matcher m = RANGE.matcher(header.strip());
      if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
        return null;
      }
      try {
        if (m.group(1).isEmpty()) {
          long suffix = Long.parseLong(m.group(2));
          if (suffix == 0) {
            throw unsatisfiable(header, size);
          }
          return size == 0 ? null : new Range(Math.max(0, size - suffix), size - 1);
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        if (first >= size) {
          throw unsatisfiable(header, size);
        }
        if (last < first) {
          return null;
        }
        return new Range(first, Math.min(last, size - 1));
      } catch (NumberFormatException tooLong) {
        return null;
      }
    }

    private static ApiProblem unsatisfiable(String header, long size) {
      ApiProblem problem =
          ApiProblem.rangeNotSatisfiable(
              "the recording has " + size + " bytes; '" + header + "' asks for none of them");
      problem.headers().put("Content-Range", "bytes */" + size);
      return problem;
    }
  }
}
