package io.callstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code callstream config}: every environment variable the components read. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Lists every environment variable callstream reads, with its default, generated from the"
            + " components' configuration records.")
final class ConfigCommand implements Callable<Integer> {
  @Option(names = "--markdown", description = "print the README's Markdown table")
  boolean markdown;

  @Override
  public Integer call() {
    if (markdown) {
      System.out.print(ConfigReference.markdown());
      return 0;
    }
    Table table = new Table("variable", "read by", "default", "meaning");
    for (ConfigReference.Row row : ConfigReference.rows()) {
      table.add(
          row.variable(),
          row.component(),
          row.required() ? "required" : row.fallback() == null ? "" : row.fallback(),
          row.meaning());
    }
    table.print(System.out);
    return 0;
  }
}
