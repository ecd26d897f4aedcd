package io.callstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives wrk, the HTTP load generator, with a POST of a fixed body and headers, optionally paced
 * (each connection waits between requests) to hold a lower rate, and reads back its results.
 */
final class Wrk {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One run's figures. Latencies in microseconds. */
  record Result(
      long requests,
      long non2xx,
      long socketErrors,
      double seconds,
      long p50,
      long p90,
      long p99,
      long p999,
      long max) {
    double rate() {
      return requests / seconds;
    }
  }

  private final Path script;

  private Wrk(Path script) {
    this.script = script;
  }

  /**
   * A wrk script that POSTs the given requests in turn (each body with its own headers), so the
   * load spreads over many calls as real traffic does.
   */
  static Wrk posting(List<byte[]> bodies, List<Map<String, String>> headers) {
    try {
      Path dir = Files.createTempDirectory("callstream-wrk-");
      StringBuilder lua = new StringBuilder("local bodies, headers, requests = {}, {}, {}\n");
      for (int i = 0; i < bodies.size(); i++) {
        Path bodyFile = Files.write(dir.resolve("body-" + i), bodies.get(i));
        lua.append("do\n  local f = io.open(\"")
            .append(bodyFile)
            .append("\", \"rb\")\n  local body = f:read(\"*a\")\n  f:close()\n  local h = {}\n");
        headers
            .get(i)
            .forEach(
                (name, value) ->
                    lua.append("  h[\"")
                        .append(name)
                        .append("\"] = \"")
                        .append(value.replace("\"", "\\\""))
                        .append("\"\n"));
        lua.append("  bodies[").append(i + 1).append("] = body\n");
        lua.append("  headers[").append(i + 1).append("] = h\nend\n");
      }
      lua.append(
          """
          -- Formatted in init, once wrk knows the host and path the requests go to.
          function init(args)
            for i = 1, #bodies do
              requests[i] = wrk.format("POST", nil, headers[i], bodies[i])
            end
          end
          local next = 0
          function request()
            next = next % #requests + 1
            return requests[next]
          end
          local pace = tonumber(os.getenv("WRK_DELAY_MS") or "0")
          if pace > 0 then
            function delay() return pace end
          end
          function done(summary, latency, requests)
            local e = summary.errors
            io.write(string.format('WRK_RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"socket_errors":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}\\n',
              summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
              latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
          end
          """);
      return new Wrk(Files.writeString(dir.resolve("post.lua"), lua));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs wrk against {@code url}; a non-zero {@code paceMillis} makes each connection wait that
   * long between requests.
   */
  Result run(String url, int threads, int connections, Duration duration, long paceMillis) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--timeout",
                "10s",
                "-s",
                script.toString(),
                url));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("WRK_DELAY_MS", Long.toString(paceMillis));
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes());
      int exit = process.waitFor();
      String line =
          output.lines().filter(l -> l.startsWith("WRK_RESULT ")).findFirst().orElse(null);
      if (exit != 0 || line == null) {
        throw new IllegalStateException("wrk failed (exit " + exit + "):\n" + output);
      }
      JsonNode r = JSON.readTree(line.substring("WRK_RESULT ".length()));
      return new Result(
          r.path("requests").asLong(),
          r.path("non2xx").asLong(),
          r.path("socket_errors").asLong(),
          r.path("duration_us").asLong() / 1e6,
          r.path("p50").asLong(),
          r.path("p90").asLong(),
          r.path("p99").asLong(),
          r.path("p999").asLong(),
          r.path("max").asLong());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run wrk (is it installed? ./callstream bench installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
