package io.callstream.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 written by hand on a socket, for requests that well-behaved clients refuse to send (a
 * header value with a control character).
 */
public final class RawHttp {
  private RawHttp() {}

  /** What came back: the status, the Content-Type and the body. */
  public record RawResponse(int status, String contentType, String body) {}

  /** Posts {@code body} to {@code path} with one extra header, exactly as given. */
  public static RawResponse post(
      int port, String path, String contentType, byte[] body, String header, String value) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
              + contentType
              + "\r\nContent-Length: "
              + body.length
              + "\r\n"
              + header
              + ": "
              + value
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    in.transferTo(all);
    return all.toString(StandardCharsets.UTF_8);
  }

  private static RawResponse parse(String response) {
    int headEnd = response.indexOf("\r\n\r\n");
    String head = headEnd < 0 ? response : response.substring(0, headEnd);
    String body = headEnd < 0 ? "" : response.substring(headEnd + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    String contentType = "";
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
        contentType = line.substring("content-type:".length()).trim();
      }
    }
    return new RawResponse(status, contentType, body);
  }
}
