package io.callstream.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A progress bar on the terminal, redrawn at most every 100 ms; silent when there is none. */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final long total;
  private final boolean enabled;
  private long lastDraw;
  private long current;

  Progress(PrintStream out, long total, boolean enabled) {
    this.out = out;
    this.total = Math.max(total, 1);
    this.enabled = enabled;
  }

  void update(long done) {
    current = done;
    long now = System.nanoTime();
    if (enabled && now - lastDraw > 100_000_000L) {
      lastDraw = now;
      draw();
    }
  }

  void done() {
    if (enabled) {
      draw();
      out.println();
    }
  }

  private void draw() {
    int filled = (int) Math.min(WIDTH, current * WIDTH / total);
    out.printf(
        Locale.ROOT,
        "\r[%s%s] %d/%d records",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled),
        current,
        total);
    out.flush();
  }
}
