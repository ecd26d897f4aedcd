package io.callstream.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes the folders the local services leave behind. */
public final class FileTrees {
  private FileTrees() {}

  /** Deletes {@code root} and everything below it, ignoring what cannot be deleted. */
  public static void deleteQuietly(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(FileTrees::deleteOne);
    } catch (IOException e) {
      // best effort: a temp folder left behind is not worth failing a shutdown for
    }
  }

  private static void deleteOne(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // best effort, see above
    }
  }
}
