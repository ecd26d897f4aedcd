package io.callstream.gateway.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Blobs as files under one folder, written to a temporary name, forced to disk and then renamed, so
 * a reader never sees half a file and a stored blob survives a crash. URLs are {@code file:} URIs.
 */
public final class FileBlobStore implements BlobStore {
  private final Path root;

  public FileBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public URI put(String key, byte[] bytes) throws IOException {
    Path target = root.resolve(key).normalize();
    if (!target.startsWith(root)) {
      throw new IllegalArgumentException("blob key escapes the store: " + key);
    }
    Files.createDirectories(target.getParent());
    Path temp = Files.createTempFile(target.getParent(), ".upload-", ".part");
    try {
      Files.write(temp, bytes, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return target.toUri();
  }
}
