package io.callstream.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.callstream.devstack.kafka.KafkaService;
import io.callstream.testkit.LocalServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalServices.class)
class TopicCatalogIT {

  @Test
  void createsEveryTopicWithItsLayoutAndIsIdempotent(KafkaService kafka) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      List<String> firstRun = TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));
      List<String> secondRun = TopicCatalog.createAll(admin, (short) 1, Duration.ofSeconds(30));

      List<String> names = TopicCatalog.all().stream().map(TopicSpec::name).toList();
      assertThat(names).containsAll(firstRun);
      assertThat(secondRun).isEmpty();

      Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
      List<ConfigResource> resources =
          names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
      for (TopicSpec spec : TopicCatalog.all()) {
        assertThat(described.get(spec.name()).partitions())
            .as(spec.name())
            .hasSize(spec.partitions());
        Map<String, String> actual =
            configs
                .get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()))
                .entries()
                .stream()
                .collect(Collectors.toMap(e -> e.name(), e -> e.value() == null ? "" : e.value()));
        spec.configs()
            .forEach((key, value) -> assertThat(actual).as(spec.name()).containsEntry(key, value));
      }
    }
  }
}
