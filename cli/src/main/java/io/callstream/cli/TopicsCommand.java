package io.callstream.cli;

import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code callstream topics create}: every topic of the catalog, idempotently. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = "Manages callstream's topics.",
    subcommands = TopicsCommand.Create.class)
final class TopicsCommand {

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Creates every topic callstream uses that does not exist yet, with its partitions, cleanup"
              + " policy and retention, and waits until each partition has a leader.")
  static final class Create implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Option(
        names = "--replication-factor",
        defaultValue = "1",
        description = "replicas of each new topic (default: ${DEFAULT-VALUE}; 3 in production)")
    short replicationFactor;

    @Override
    public Integer call() throws Exception {
      try (Admin admin = cluster.admin()) {
        List<String> created =
            TopicCatalog.createAll(admin, replicationFactor, Duration.ofSeconds(60));
        Table table = new Table("topic", "partitions", "cleanup", "retention", "state");
        for (TopicSpec spec : TopicCatalog.all()) {
          table.add(
              spec.name(),
              spec.partitions(),
              spec.cleanup().policy(),
              spec.retention() == null ? "forever" : spec.retention().toDays() + " days",
              created.contains(spec.name()) ? "created" : "exists");
        }
        table.print(System.out);
        System.out.printf(
            "%d created, %d already there%n",
            created.size(), TopicCatalog.all().size() - created.size());
      }
      return 0;
    }
  }
}
