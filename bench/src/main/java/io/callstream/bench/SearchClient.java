package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** The query API's search endpoint, as the search benchmarks call it. */
final class SearchClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newHttpClient();
  private final String baseUrl;

  SearchClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * The hits for {@code question} with {@code key}; {@code more} adds parameters ({@code &k=5}).
   */
  JsonNode search(String key, String question, String more) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        baseUrl
                            + "/v1/search?q="
                            + URLEncoder.encode(question, StandardCharsets.UTF_8)
                            + more))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "search answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).path("hits");
  }
}
