package io.callstream.gateway.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error responses (a header with a control character, a request line it cannot parse)
 * as {@code application/problem+json}, like every refusal of the gateway, instead of its HTML page.
 */
public final class ProblemErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    String reason = HttpStatus.getMessage(code);
    Problem problem =
        Problem.fromServer(code, reason, message == null || message.isBlank() ? reason : message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
    response.write(
        true,
        ByteBuffer.wrap(
            problem.json(request.getHttpURI().getPath()).getBytes(StandardCharsets.UTF_8)),
        callback);
  }
}
