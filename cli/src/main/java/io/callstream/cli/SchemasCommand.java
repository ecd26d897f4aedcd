package io.callstream.cli;

import io.callstream.schemas.registry.Compatibility;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.schemas.registry.SchemaRegistryException;
import io.callstream.schemas.topics.Topic;
import io.callstream.schemas.topics.TopicCatalog;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code callstream schemas register|check}: the Avro contracts in the registry. */
@Command(
    name = "schemas",
    mixinStandardHelpOptions = true,
    description = "Registers and checks the Avro value schemas of callstream's topics.",
    subcommands = {SchemasCommand.Register.class, SchemasCommand.Check.class})
final class SchemasCommand {

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description =
          "Sets each topic's subject (<topic>-value) to BACKWARD compatibility and registers its"
              + " schema; a change the registry refuses fails, naming the subject.")
  static final class Register implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Override
    public Integer call() {
      SchemaRegistryClient registry = cluster.registry();
      Table table = new Table("subject", "schema", "id");
      for (Topic<?> topic : avroTopics()) {
        String subject = topic.valueSubject();
        Schema schema = topic.valueSchema().orElseThrow();
        registry.setCompatibility(subject, Compatibility.BACKWARD);
        try {
          table.add(subject, schema.getFullName(), registry.register(subject, schema));
        } catch (SchemaRegistryException e) {
          throw new IllegalStateException(
              "the registry refused " + subject + ": " + e.getMessage(), e);
        }
      }
      table.print(System.out);
      return 0;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Checks that each topic's schema (the built-in ones, or the .avsc files in --dir) can read"
              + " what the registry holds (BACKWARD); exit code 1 naming the field when not.")
  static final class Check implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "check the .avsc files in this folder (e.g. schemas/src/main/avro) instead")
    Path dir;

    @Override
    public Integer call() {
      SchemaRegistryClient registry = cluster.registry();
      Map<String, Schema> candidates = dir == null ? Map.of() : SchemaFiles.parse(dir);
      Table table = new Table("subject", "registered", "verdict");
      int incompatible = 0;
      for (Topic<?> topic : avroTopics()) {
        String subject = topic.valueSubject();
        Schema builtIn = topic.valueSchema().orElseThrow();
        Schema schema = candidates.getOrDefault(builtIn.getFullName(), builtIn);
        SchemaRegistryClient.RegisteredSchema latest;
        try {
          latest = registry.latest(subject);
        } catch (SchemaRegistryException e) {
          if (!e.isNotFound()) {
            throw e;
          }
          table.add(subject, "-", "new subject");
          continue;
        }
        List<String> problems = BackwardCompatibility.problems(schema, latest.schema());
        boolean registryAgrees = registry.isCompatible(subject, schema);
        if (problems.isEmpty() && registryAgrees) {
          table.add(subject, "v" + latest.version(), "compatible");
        } else {
          incompatible++;
          table.add(
              subject,
              "v" + latest.version(),
              "NOT BACKWARD COMPATIBLE: "
                  + (problems.isEmpty() ? "the registry refuses it" : String.join("; ", problems)));
        }
      }
      table.print(System.out);
      if (incompatible > 0) {
        System.err.println(
            incompatible
                + " schema(s) cannot read what is already written; add defaults to new fields, or"
                + " publish a breaking change on a new .v2 topic");
        return 1;
      }
      return 0;
    }
  }

  /** The topics whose values are Avro, by name. */
  private static List<Topic<?>> avroTopics() {
    return TopicCatalog.topics().stream()
        .filter(topic -> topic.valueSchema().isPresent())
        .sorted(Comparator.comparing(Topic::name))
        .toList();
  }
}
