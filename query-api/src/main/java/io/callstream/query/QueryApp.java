package io.callstream.query;

import io.callstream.enrichment.Embedder;
import io.callstream.query.auth.ReadKeys;
import io.callstream.query.http.ApiProblem;
import io.callstream.query.http.AudioRoute;
import io.callstream.query.http.CallRoutes;
import io.callstream.query.http.EventsRoute;
import io.callstream.query.http.RedriveRoute;
import io.callstream.query.http.SearchRoutes;
import io.callstream.query.http.TenantRoutes;
import io.callstream.query.redrive.DeadLetters;
import io.callstream.schemas.registry.SchemaRegistryClient;
import io.callstream.sinks.postgres.Database;
import io.callstream.sinks.read.CallReads;
import io.callstream.sinks.read.TenantReads;
import io.callstream.sinks.search.HybridSearch;
import io.callstream.sinks.search.SimilarCalls;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.StatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read API, assembled: the database the sinks write, the keys, the embedder for questions, and
 * every route in one place, with the web console (static files of this jar) at {@code /}. It reads
 * Postgres (Kafka only for the live events and redrive); every query is scoped to the key's tenant.
 */
public final class QueryApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QueryApp.class);

  private static final String OPENAPI = openApi();

  /**
   * Few connections, so that searches queue here rather than crowd the database's cores: with 16
   * clients on two cores, ./callstream bench search answered 84 searches a second through 3
   * connections against 57 through 16, and its p95 fell by a third.
   */
  private static final int DATABASE_CONNECTIONS =
      2 * Runtime.getRuntime().availableProcessors() + 1;

  /** The console loads only its own files and talks only to this API. */
  private static final String CONSOLE_POLICY =
      "default-src 'self'; media-src 'self' blob:; img-src 'self' data:; object-src 'none';"
          + " base-uri 'none'; frame-ancestors 'none'";

  private final Javalin server;
  private final Database database;

  private final EventsRoute events;

  private QueryApp(Javalin server, Database database, EventsRoute events) {
    this.server = server;
    this.database = database;
    this.events = events;
  }

  /** Starts the API; {@code embedder} must be the model the topology embeds chunks with. */
  public static QueryApp start(QueryApiConfig config, ReadKeys keys, Embedder embedder) {
    Database database =
        new Database(
            config.databaseUrl(),
            config.databaseUser(),
            config.databasePassword(),
            DATABASE_CONNECTIONS);
    CallReads reads = new CallReads(database.jdbi());
    CallRoutes calls = new CallRoutes(reads, new SimilarCalls(database.jdbi()), keys);
    AudioRoute audio = new AudioRoute(reads, keys, config.blobDir());
    TenantRoutes tenants = new TenantRoutes(new TenantReads(database.jdbi()), keys);
    Map<String, Object> kafka =
        config.redrives() ? Map.of("bootstrap.servers", config.kafkaBootstrapServers()) : null;
    SchemaRegistryClient registry =
        config.redrives() ? new SchemaRegistryClient(config.schemaRegistryUrl()) : null;
    RedriveRoute redrive =
        new RedriveRoute(kafka == null ? null : new DeadLetters(kafka, registry), keys);
    EventsRoute events = new EventsRoute(kafka, registry, keys);
    SearchRoutes search = new SearchRoutes(new HybridSearch(database.jdbi()), embedder, keys);
    Javalin server =
        Javalin.create(
                javalin -> {
                  javalin.startup.showJavalinBanner = false;
                  javalin.concurrency.useVirtualThreads = true;
                  javalin.jetty.modifyServer(jetty -> jetty.setErrorHandler(new Problems()));
                  javalin.staticFiles.add(
                      console -> {
                        console.hostedPath = "/";
                        console.directory = "/io/callstream/query/console";
                        console.location = Location.CLASSPATH;
                        console.headers = Map.of("Content-Security-Policy", CONSOLE_POLICY);
                      });
                  javalin.routes.get("/v1/search", search::search);
                  javalin.routes.get("/v1/calls", calls::list);
                  javalin.routes.get("/v1/calls/{id}", calls::detail);
                  javalin.routes.get("/v1/calls/{id}/similar", calls::similar);
                  javalin.routes.get("/v1/calls/{id}/audio", audio::audio);
                  javalin.routes.get("/v1/me", tenants::me);
                  javalin.routes.get("/v1/callbacks", tenants::callbacks);
                  javalin.routes.get("/v1/stats", tenants::stats);
                  javalin.routes.get("/v1/dead-letters", tenants::deadLetters);
                  javalin.routes.post("/v1/dead-letters/redrive", redrive::redrive);
                  javalin.routes.get("/v1/events", events::events);
                  javalin.routes.get(
                      "/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
                  javalin.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
                  javalin.routes.get("/health/ready", ctx -> ready(ctx, database));
                  javalin.routes.exception(
                      ApiProblem.class, (problem, ctx) -> render(ctx, problem));
                  javalin.routes.exception(
                      ConnectionException.class,
                      (e, ctx) ->
                          render(
                              ctx,
                              ApiProblem.unavailable(
                                  "the database does not answer: " + e.getMessage(), 5)));
                  javalin.routes.exception(
                      StatementException.class,
                      (e, ctx) -> {
                        if (missingTable(e)) {
                          render(
                              ctx,
                              ApiProblem.unavailable(
                                  "the database has no callstream tables yet; the sinks create"
                                      + " them when they start",
                                  10));
                        } else {
                          failed(e, ctx);
                        }
                      });
                  javalin.routes.exception(Exception.class, QueryApp::failed);
                  javalin.routes.error(
                      404,
                      ctx ->
                          unmatched(
                              ctx,
                              ApiProblem.notFound(
                                  "no route for " + ctx.method() + " " + ctx.path())));
                  javalin.routes.error(
                      405,
                      ctx ->
                          unmatched(
                              ctx,
                              ApiProblem.notFound(
                                  "no route for " + ctx.method() + " " + ctx.path())));
                })
            .start(config.host(), config.port());
    LOG.info("query API listening on {}:{}", config.host(), server.port());
    return new QueryApp(server, database, events);
  }

  public int port() {
    return server.port();
  }

  /** Every route served, as {@code METHOD /path}: what the OpenAPI document must describe. */
  public List<String> routes() {
    return server.unsafe.internalRouter.allHttpHandlers().stream()
        .map(route -> route.endpoint.method + " " + route.endpoint.path)
        .toList();
  }

  @Override
  public void close() {
    events.close();
    server.stop();
    database.close();
  }

  /**
   * A 500 for an unexpected failure, unless the response is already gone: an events stream whose
   * client left ends that way, and there is no one left to answer.
   */
  private static void failed(Exception e, Context ctx) {
    String request;
    try {
      request = ctx.method() + " " + ctx.path();
    } catch (RuntimeException responseGone) {
      LOG.debug("a request ended after its response was closed: {}", e.toString());
      return;
    }
    LOG.error("{} failed", request, e);
    render(
        ctx,
        ApiProblem.fromServer(500, "Internal error", "the query API failed; its log says why"));
  }

  private static String openApi() {
    try (InputStream in = QueryApp.class.getResourceAsStream("openapi.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the OpenAPI document is missing from the jar", e);
    }
  }

  /** Postgres's undefined_table: the sinks have not created the schema yet. */
  private static boolean missingTable(StatementException e) {
    return e.getCause() instanceof SQLException sql && "42P01".equals(sql.getSQLState());
  }

  /** Ready once the database answers and holds the tables the sinks write. */
  private static void ready(Context ctx, Database database) {
    try {
      database.jdbi().withHandle(h -> h.execute("SELECT 1 FROM calls LIMIT 1"));
      ctx.json(Map.of("status", "UP"));
    } catch (RuntimeException e) {
      render(ctx, ApiProblem.unavailable("the database does not answer", 5));
    }
  }

  static void render(Context ctx, ApiProblem problem) {
    problem.headers().forEach(ctx::header);
    ctx.status(problem.status())
        .contentType("application/problem+json")
        .result(problem.json(ctx.path()));
  }

  private static void unmatched(Context ctx, ApiProblem problem) {
    String contentType = ctx.res().getContentType();
    if (contentType == null || !contentType.startsWith("application/problem+json")) {
      render(ctx, problem);
    }
  }

  /** Jetty's own refusals (a malformed header, say) as problem documents too. */
  private static final class Problems extends ErrorHandler {
    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback)
        throws IOException {
      String reason = HttpStatus.getMessage(code);
      ApiProblem problem =
          ApiProblem.fromServer(
              code, reason, message == null || message.isBlank() ? reason : message);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
      response.write(
          true,
          ByteBuffer.wrap(
              problem.json(request.getHttpURI().getPath()).getBytes(StandardCharsets.UTF_8)),
          callback);
    }
  }
}
