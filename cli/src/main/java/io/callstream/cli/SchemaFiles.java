package io.callstream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** The .avsc files of a folder, parsed together so they can name each other's types. */
final class SchemaFiles {
  private SchemaFiles() {}

  /** Every named type defined in {@code dir}'s .avsc files (sub-folders too), by full name. */
  static Map<String, Schema> parse(Path dir) {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = new ArrayList<>(walk.filter(path -> path.toString().endsWith(".avsc")).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    if (files.isEmpty()) {
      throw new UsageProblem("no .avsc files in " + dir);
    }
    // A file may use types another defines: parse what parses, each try on a fresh parser that
    // knows every type parsed so far, until nothing is left or nothing more parses.
    Map<String, Schema> parsed = new HashMap<>();
    while (!files.isEmpty()) {
      List<Path> failed = new ArrayList<>();
      RuntimeException last = null;
      for (Path file : files) {
        Schema.Parser parser = new Schema.Parser().addTypes(parsed.values());
        try {
          parser.parse(Files.readString(file));
          parsed.putAll(parser.getTypes());
        } catch (SchemaParseException | AvroTypeException e) {
          failed.add(file);
          last = e;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
      }
      if (failed.size() == files.size()) {
        throw new UsageProblem("cannot parse " + failed.get(0) + ": " + last.getMessage());
      }
      files = failed;
    }
    return parsed;
  }
}
