package io.callstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callstream.cli.dev.DevEndpoints;
import io.callstream.cli.dev.DevSecrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Option;

/**
 * Where the query API is and which key to read with, for the commands that read what the pipeline
 * produced: the options, else the environment ({@code CALLSTREAM_QUERY_URL}, {@code
 * CALLSTREAM_READ_KEY}), else the running {@code callstream dev} stack and its operator key.
 */
public final class ReadApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--query-url",
      paramLabel = "URL",
      description =
          "the query API (default: $CALLSTREAM_QUERY_URL, else the running callstream dev)")
  String queryUrl;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      description =
          "a read key (default: $CALLSTREAM_READ_KEY, else the running callstream dev's operator key)")
  String key;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "the data folder of a running callstream dev (default: ${DEFAULT-VALUE})",
      defaultValue = ".callstream")
  Path dataDir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * GETs {@code path} with the parameters that are set; a refusal is a usage problem naming why.
   */
  JsonNode get(String path, Map<String, Object> parameters) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach(
        (name, value) -> {
          if (value != null) {
            query.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
          }
        });
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + path + query))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + key())
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200) {
        throw new UsageProblem(
            "the query API answered "
                + response.statusCode()
                + ": "
                + body.path("detail").asText());
      }
      return body;
    } catch (ConnectException e) {
      throw new UsageProblem("the query API at " + url() + " does not answer; is it running?");
    } catch (IOException e) {
      throw new UsageProblem("reading from the query API at " + url() + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageProblem("interrupted");
    }
  }

  private String url() {
    String url = first(queryUrl, System.getenv("CALLSTREAM_QUERY_URL"));
    if (url != null) {
      return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
    return DevEndpoints.read(dataDir)
        .map(endpoints -> endpoints.get(DevEndpoints.QUERY))
        .orElseThrow(
            () ->
                new UsageProblem(
                    "where is the query API? give --query-url, set CALLSTREAM_QUERY_URL, or start"
                        + " callstream dev"));
  }

  private String key() {
    String given = first(key, System.getenv("CALLSTREAM_READ_KEY"));
    if (given != null) {
      return given;
    }
    return DevSecrets.stored(dataDir, DevSecrets.OPERATOR_KEY)
        .orElseThrow(
            () ->
                new UsageProblem("which key? give --key or set CALLSTREAM_READ_KEY to a read key"));
  }

  private static String first(String option, String variable) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    return variable == null || variable.isBlank() ? null : variable;
  }
}
