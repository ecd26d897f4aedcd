package io.callstream.enrichment.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the page headers of an Ogg file (RFC 3533) to tell whether the file is whole. An Ogg
 * recording cut short in transfer decodes without an error and declares no length of its own, but a
 * whole one ends each of its logical streams with a page marked end-of-stream, and holds every page
 * it starts.
 */
final class OggPages {
  private static final int HEADER_BYTES = 27;
  private static final int END_OF_STREAM = 0x04;
  private static final byte[] CAPTURE = {'O', 'g', 'g', 'S'};

  private OggPages() {}

  /** Why {@code file}, an Ogg file, is cut short; null when it is whole or not Ogg at all. */
  static String cutShort(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file)) {
      long size = channel.size();
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      Set<Integer> open = new HashSet<>();
      long at = 0;
      while (at < size) {
        header.clear();
        int read = channel.read(header, at);
        if (read < HEADER_BYTES) {
          return at == 0 ? null : "its last Ogg page breaks off at byte " + at;
        }
        if (!startsPage(header)) {
          return at == 0 ? null : "no Ogg page where one should start, at byte " + at;
        }
        int segments = header.get(26) & 0xff;
        ByteBuffer lacing = ByteBuffer.allocate(segments);
        if (channel.read(lacing, at + HEADER_BYTES) < segments) {
          return "its last Ogg page breaks off at byte " + at;
        }
        long body = 0;
        for (int i = 0; i < segments; i++) {
          body += lacing.get(i) & 0xff;
        }
        long next = at + HEADER_BYTES + segments + body;
        if (next > size) {
          return "its last Ogg page breaks off at byte " + at;
        }
        int serial = header.getInt(14);
        if ((header.get(5) & END_OF_STREAM) != 0) {
          open.remove(serial);
        } else {
          open.add(serial);
        }
        at = next;
      }
      return open.isEmpty() ? null : "its Ogg stream ends without its end-of-stream page";
    }
  }

  private static boolean startsPage(ByteBuffer header) {
    for (int i = 0; i < CAPTURE.length; i++) {
      if (header.get(i) != CAPTURE[i]) {
        return false;
      }
    }
    return true;
  }
}
