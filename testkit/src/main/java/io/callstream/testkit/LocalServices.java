package io.callstream.testkit;

import io.callstream.devstack.kafka.KafkaBroker;
import io.callstream.devstack.kafka.KafkaService;
import io.callstream.devstack.postgres.PostgresCluster;
import io.callstream.devstack.postgres.PostgresService;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.devstack.registry.SchemaRegistryService;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the real services they declare as parameters ({@link KafkaService},
 * {@link SchemaRegistryService}, {@link PostgresService}, or the concrete {@link KafkaBroker},
 * {@link ApicurioRegistry}, {@link PostgresCluster}). Each is started the first time a test in the
 * JVM asks for it and stopped when the JVM's tests are done, so one broker, one registry and one
 * Postgres serve every test class of a module.
 *
 * <pre>{@code
 * @ExtendWith(LocalServices.class)
 * class SomethingIT {
 *   @Test
 *   void works(KafkaService kafka, SchemaRegistryService registry) { ... }
 * }
 * }</pre>
 */
public final class LocalServices implements ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(LocalServices.class);

  private record Service(Class<? extends AutoCloseable> type, Supplier<AutoCloseable> starter) {}

  private static final Map<Class<?>, Service> SERVICES =
      Map.of(
          KafkaService.class, kafka(),
          KafkaBroker.class, kafka(),
          SchemaRegistryService.class, registry(),
          ApicurioRegistry.class, registry(),
          PostgresService.class, postgres(),
          PostgresCluster.class, postgres());

  private static Service kafka() {
    return new Service(KafkaBroker.class, KafkaBroker::startTemporary);
  }

  private static Service registry() {
    return new Service(ApicurioRegistry.class, ApicurioRegistry::start);
  }

  private static Service postgres() {
    return new Service(PostgresCluster.class, PostgresCluster::startTemporary);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return SERVICES.containsKey(parameter.getParameter().getType());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Service service = SERVICES.get(parameter.getParameter().getType());
    try {
      return context
          .getRoot()
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              service.type(), type -> new Running(service.starter().get()), Running.class)
          .service();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(
          "could not start " + service.type().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** A started service, closed by JUnit when the root context (the test JVM's run) ends. */
  private record Running(AutoCloseable service) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      service.close();
    }
  }
}
