package io.callstream.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callstream.cli.AgentMap;
import io.callstream.devstack.registry.ApicurioRegistry;
import io.callstream.events.AgentTenant;
import io.callstream.events.Provider;
import io.callstream.schemas.registry.SchemaRegistryClient;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through chromedriver) on the whole
 * local stack: broker, registry, Postgres with pgvector, Connect sinks, topology, gateway and query
 * API. A tenant finds a call by its order number, reads it, and seeks its recording from the
 * transcript; a call posted during the test appears in the live view; the operator redrives a call
 * whose agent was unknown until the test mapped it, and sees the group empty and the call done;
 * another tenant finds none of the first one's calls. Every page is saved as a screenshot under
 * {@code target/console-screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
  private static final Path SHOTS = Path.of("target", "console-screenshots");
  private static final String ORDER = "QX-7731-A";
  private static final Duration LANDING = Duration.ofSeconds(120);

  private DevStack stack;
  private DemoWebhooks webhooks;
  private AgentMap agents;
  private Jdbi jdbi;
  private ChromeDriver browser;
  private String console;
  private UUID orderCall;
  private UUID audioCall;
  private UUID unknownAgentCall;

  @BeforeAll
  void start() throws Exception {
    Path dir =
        Files.createTempDirectory(
            "callstream-console",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    stack =
        DevStack.start(
            new DevStack.Settings(
                dir, new DevStack.Ports(0, 0, 0, 0, 0, 0, 0), null, ApicurioRegistry.home()),
            notice -> {});
    DevEndpoints at = stack.endpoints();
    console = at.get(DevEndpoints.QUERY) + "/";
    jdbi =
        Jdbi.create(
            at.get(DevEndpoints.DATABASE),
            at.get(DevEndpoints.DATABASE_USER),
            at.get(DevEndpoints.DATABASE_PASSWORD));
    agents =
        new AgentMap(
            Map.of("bootstrap.servers", at.get(DevEndpoints.KAFKA)),
            new SchemaRegistryClient(at.get(DevEndpoints.REGISTRY)));
    agents.put(agent("agent_acme_support", "acme", "America/New_York"));
    agents.put(agent("agent_globex_sales", "globex", "Europe/London"));
    webhooks = new DemoWebhooks(stack);

    orderCall =
        webhooks
            .elevenLabs(
                "agent_acme_support",
                "acme",
                "late fridge",
                List.of(
                    "Acme Appliances, this is Max. How can I help?",
                    "My fridge has not arrived; it is order " + ORDER + ", due last Tuesday.",
                    "I see it: the courier has it and it comes on Monday.",
                    "Thank you, Monday is fine."))
            .callId();
    List<String> dishwasher =
        List.of(
            "Acme Appliances, this is Ava.",
            "My dishwasher leaks water onto the kitchen floor every time it runs.",
            "I will send an engineer on Thursday morning to replace the door seal.",
            "Thank you very much.");
    audioCall =
        webhooks
            .elevenLabs("agent_acme_support", "acme", "leaking dishwasher", dishwasher)
            .callId();
    webhooks.elevenLabsAudio(
        "agent_acme_support",
        "leaking dishwasher",
        webhooks.speak(String.join(" ", dishwasher), "dishwasher.wav"));
    webhooks.elevenLabs(
        "agent_globex_sales",
        "globex",
        "solar quote",
        List.of(
            "Globex Solar, this is Sam.",
            "I would like a quote for panels on a three bedroom house.",
            "I will email you a detailed quote today.",
            "Great, thanks."));
    unknownAgentCall =
        webhooks
            .elevenLabs(
                "agent_newco_front_desk",
                "acme",
                "unknown agent",
                List.of(
                    "Newco front desk, this is Kim.",
                    "I am calling about the broken espresso machine I bought from you.",
                    "I will arrange a replacement.",
                    "Thanks."))
            .callId();

    await()
        .atMost(LANDING)
        .ignoreExceptions()
        .until(
            () ->
                count(
                            "SELECT count(*) FROM call_chunks WHERE call_id IN (:a, :b)",
                            Map.of("a", orderCall, "b", audioCall))
                        > 0
                    && count(
                            "SELECT count(DISTINCT call_id) FROM call_chunks"
                                + " WHERE call_id IN (:a, :b)",
                            Map.of("a", orderCall, "b", audioCall))
                        == 2
                    && count(
                            "SELECT count(*) FROM recordings WHERE call_id = :a",
                            Map.of("a", audioCall))
                        == 1
                    && count(
                            "SELECT count(*) FROM dead_letters WHERE call_id = :a",
                            Map.of("a", unknownAgentCall))
                        == 1);
    browser = chrome();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void aTenantFindsACallByItsOrderNumberReadsItAndSeeksItsRecording() throws Exception {
    signIn(stack.secrets().get(DevSecrets.ACME_READ_KEY));
    WebElement box = waitFor(By.id("q"));
    box.sendKeys(ORDER);
    box.submit();
    WebElement first = waitFor(By.cssSelector("#hits li"));
    assertThat(first.getAttribute("data-call")).isEqualTo(orderCall.toString());
    assertThat(first.findElement(By.cssSelector(".passage mark")).getText()).isNotBlank();
    shot("search");

    first.findElement(By.cssSelector("a.title")).click();
    waitFor(By.cssSelector("#transcript li"));
    assertThat(browser.findElement(By.id("transcript")).getText()).contains(ORDER);
    assertThat(browser.findElement(By.tagName("h1")).getText()).isNotBlank();

    open("#/calls/" + audioCall);
    waitFor(By.cssSelector("#transcript li"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js(
                        "const a = document.getElementById('audio');"
                            + " return !!a && a.src.startsWith('blob:') && a.readyState >= 1;")));
    double length =
        ((Number) js("return document.getElementById('audio').duration;")).doubleValue();
    WebElement time =
        browser.findElements(By.cssSelector("#transcript button.time")).stream()
            .filter(b -> Long.parseLong(b.getAttribute("data-ms")) > 0)
            .filter(b -> Long.parseLong(b.getAttribute("data-ms")) / 1000.0 < length - 0.5)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no turn inside the " + length + " s recording"));
    double target = Long.parseLong(time.getAttribute("data-ms")) / 1000.0;
    js("const a = document.getElementById('audio'); a.pause(); a.currentTime = 0;");
    time.click();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ((Number) js("return document.getElementById('audio').currentTime;")).doubleValue()
                    >= target - 0.05);
    // the whole page, from its header to the transcript
    browser.manage().window().setSize(new Dimension(1280, 1600));
    js("window.scrollTo(0, 0);");
    shot("call");
    browser.manage().window().setSize(new Dimension(1280, 900));
  }

  @Test
  @Order(2)
  void aCallPostedNowAppearsInTheLiveView() throws Exception {
    open("#/live");
    waitFor(By.xpath("//p[@role='status' and starts-with(text(), 'Listening')]"));
    Thread.sleep(1_000); // the stream starts at its end: let it connect before posting
    UUID fresh =
        webhooks
            .elevenLabs(
                "agent_acme_support",
                "acme",
                "washer noise",
                List.of(
                    "Acme Appliances, this is Max.",
                    "My washing machine bangs loudly during the spin cycle.",
                    "It sounds like the drum bearing; an engineer will call you.",
                    "Thanks."))
            .callId();
    new WebDriverWait(browser, LANDING)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#live li[data-call='" + fresh + "']")));
    shot("live");
  }

  @Test
  @Order(3)
  void theOperatorRedrivesACallWhoseAgentWasMappedAndSeesItLand() throws Exception {
    signIn(stack.secrets().get(DevSecrets.OPERATOR_KEY));
    open("#/dead-letters");
    WebElement group = waitFor(By.xpath("//td[text()='unknown_agent']/.."));
    group.findElement(By.linkText("open")).click();
    waitFor(By.id("group"));
    shot("dead-letters");

    agents.put(agent("agent_newco_front_desk", "acme", "America/New_York"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM agents WHERE agent_id = 'agent_newco_front_desk'",
                        Map.of())
                    == 1);
    waitFor(By.id("redrive-group")).click();
    waitFor(By.id("confirm-redrive")).click();
    waitFor(By.id("redriven"));
    assertThat(browser.findElement(By.id("redriven")).getText()).isEqualTo("Redriven 1.");

    try {
      await()
          .atMost(LANDING)
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                open("#/dead-letters");
                waitFor(By.tagName("h1"));
                Thread.sleep(300);
                return browser.findElements(By.xpath("//td[text()='unknown_agent']")).isEmpty();
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "the unknown_agent group stayed; dead letters of the call and those not redriven: "
              + jdbi.withHandle(
                  h ->
                      h.createQuery(
                              "SELECT d.dlt_partition, d.dlt_offset, d.reason, d.stage,"
                                  + " d.dead_lettered_at, r.redriven_at FROM dead_letters d"
                                  + " LEFT JOIN dead_letter_redrives r"
                                  + " USING (dlt_partition, dlt_offset) WHERE d.call_id = :c"
                                  + " OR r.redriven_at IS NULL")
                          .bind("c", unknownAgentCall)
                          .mapToMap()
                          .list()),
          e);
    }
    await()
        .atMost(LANDING)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              open("#/calls/" + unknownAgentCall);
              return !browser.findElements(By.id("pipeline-state")).isEmpty()
                  && browser.findElement(By.id("pipeline-state")).getText().startsWith("Done");
            });
    assertThat(browser.findElement(By.id("transcript")).getText()).contains("espresso machine");
    shot("redriven-call");
  }

  @Test
  @Order(4)
  void anotherTenantFindsNoneOfTheFirstTenantsCalls() throws Exception {
    signIn(stack.secrets().get(DevSecrets.GLOBEX_READ_KEY));
    Set<String> acme =
        Set.of(orderCall.toString(), audioCall.toString(), unknownAgentCall.toString());
    for (String question : List.of(ORDER, "dishwasher leaks water", "espresso machine")) {
      open("#/search?q=" + java.net.URLEncoder.encode(question, "UTF-8"));
      waitFor(By.cssSelector("[role='status']"));
      for (WebElement hit : browser.findElements(By.cssSelector("#hits li"))) {
        assertThat(acme).doesNotContain(hit.getAttribute("data-call"));
      }
    }
    shot("tenant-b-search");
    for (String page : List.of("#/calls", "#/callbacks", "#/dead-letters", "#/stats")) {
      open(page);
      waitFor(By.tagName("h1"));
      Thread.sleep(500);
      for (String id : acme) {
        assertThat(browser.getPageSource()).as(page).doesNotContain(id);
      }
    }
    open("#/calls/" + orderCall);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.id("notice")).getText().contains("no call"));
    assertThat(browser.getPageSource()).doesNotContain(ORDER);
    shot("tenant-b-other-call");
  }

  @Test
  @Order(5)
  void everyPageReadsAt1280And390PixelsWide() throws Exception {
    signIn(stack.secrets().get(DevSecrets.ACME_READ_KEY));
    for (String page : List.of("calls", "callbacks", "stats", "dead-letters")) {
      open("#/" + page);
      waitFor(By.tagName("h1"));
      Thread.sleep(500);
      assertThat(browser.findElement(By.id("notice")).getText()).as(page).isEmpty();
      shot(page);
    }
    browser.manage().window().setSize(new Dimension(390, 844));
    for (String page : List.of("#/calls/" + audioCall, "#/search?q=" + ORDER)) {
      open(page);
      waitFor(By.tagName("h1"));
      Thread.sleep(500);
      long width = ((Number) js("return document.documentElement.scrollWidth;")).longValue();
      assertThat(width).as(page + " fits 390 pixels").isLessThanOrEqualTo(390);
    }
    shot("search-390");
    browser.manage().window().setSize(new Dimension(1280, 900));
  }

  private ChromeDriver chrome() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--autoplay-policy=no-user-gesture-required",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private void signIn(String key) {
    browser.get(console);
    js("sessionStorage.clear();");
    browser.navigate().refresh();
    WebElement field = waitFor(By.id("key"));
    field.sendKeys(key);
    field.submit();
    waitFor(By.id("q"));
  }

  /** Opens a page of the console, loading it again when it is the one shown (a poll). */
  private void open(String fragment) {
    if (browser.getCurrentUrl().equals(console + fragment)) {
      browser.navigate().refresh();
    } else {
      browser.get(console + fragment);
    }
  }

  private WebElement waitFor(By locator) {
    return new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private void shot(String name) throws Exception {
    Files.createDirectories(SHOTS);
    Files.copy(
        browser.getScreenshotAs(OutputType.FILE).toPath(),
        SHOTS.resolve(name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private long count(String sql, Map<String, Object> binds) {
    return jdbi.withHandle(
        handle -> {
          var query = handle.createQuery(sql);
          binds.forEach(query::bind);
          return query.mapTo(Long.class).one();
        });
  }

  private static AgentTenant agent(String agent, String tenant, String zone) {
    return AgentTenant.newBuilder()
        .setAgentId(agent)
        .setTenantId(tenant)
        .setProvider(Provider.ELEVENLABS)
        .setTimeZone(zone)
        .setUpdatedAt(Instant.now())
        .build();
  }
}
