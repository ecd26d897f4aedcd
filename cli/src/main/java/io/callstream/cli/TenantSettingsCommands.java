package io.callstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.plan.ExtractionSchemas;
import io.callstream.enrichment.text.PiiRedactor.PiiType;
import io.callstream.events.PiiRedaction;
import io.callstream.events.TenantSettings;
import io.callstream.schemas.topics.TopicCatalog;
import io.callstream.topology.tenant.TenantPolicies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code callstream tenants set|show}: a tenant's settings, the compacted tenants.settings.v1. */
final class TenantSettingsCommands {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TenantSettingsCommands() {}

  static KeyedTable<TenantSettings> table(Cluster cluster) {
    return new KeyedTable<>(
        TopicCatalog.TENANTS_SETTINGS, cluster.clientConfig(), cluster.registry());
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Changes a tenant's settings: the options given replace what they name, the rest is"
              + " kept. Everything is checked first; on any error nothing is written. A changed"
              + " analysis plan re-analyses the tenant's calls when they are replayed.")
  static final class Set implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Option(
        names = "--time-zone",
        paramLabel = "ZONE",
        description = "IANA time zone, e.g. Europe/London")
    String timeZone;

    @Option(
        names = "--pii",
        paramLabel = "on|off",
        description = "redact personal data before any AI call")
    String pii;

    @Option(
        names = "--pii-kinds",
        split = ",",
        paramLabel = "KIND",
        description = "which kinds to redact: EMAIL, CARD, SSN, PHONE (default: all)")
    List<String> piiKinds;

    @Option(
        names = "--language",
        paramLabel = "TAG",
        description = "the calls' language (BCP 47, e.g. en, de)")
    String language;

    @Option(
        names = "--extraction-schema",
        paramLabel = "FILE",
        description = "a JSON Schema (an object schema) the extracted data must fit")
    Path extractionSchema;

    @Option(
        names = "--data-field",
        paramLabel = "NAME:TYPE=DESCRIPTION",
        description =
            "a value to collect (TYPE: string, number, integer, boolean); repeat for more")
    List<String> dataFields;

    @Option(
        names = "--criterion",
        paramLabel = "NAME=DESCRIPTION",
        description = "a criterion each call is judged by; repeat for more")
    List<String> criteria;

    @Option(names = "--success", paramLabel = "TEXT", description = "what success means, in words")
    String success;

    @Option(names = "--clear-plan", description = "remove the analysis plan")
    boolean clearPlan;

    @Override
    public Integer call() {
      if (tenant.isBlank()) {
        throw new UsageProblem("TENANT must not be blank");
      }
      KeyedTable<TenantSettings> table = table(cluster);
      TenantSettings current = table.all().get(tenant);
      TenantSettings.Builder next =
          current == null
              ? TenantSettings.newBuilder().setTenantId(tenant)
              : TenantSettings.newBuilder(current);
      if (timeZone != null) {
        next.setTimeZone(zone(timeZone));
      }
      if (pii != null || piiKinds != null) {
        next.setPiiRedaction(redaction(current));
      }
      if (language != null) {
        if (!LANGUAGE.matcher(language).matches()) {
          throw new UsageProblem(
              "--language '" + language + "' is not a language tag such as en or pt-BR");
        }
        next.setLanguage(language);
      }
      if (clearPlan) {
        next.setPlan(null);
      } else if (extractionSchema != null
          || dataFields != null
          || criteria != null
          || success != null) {
        next.setPlan(plan(current == null ? null : current.getPlan()));
      }
      TenantSettings settings = next.setUpdatedAt(Instant.now()).build();
      table.put(tenant, settings);
      System.out.println("tenant " + tenant + " settings written");
      System.out.println(json(settings));
      return 0;
    }

    private static String zone(String zone) {
      try {
        return ZoneId.of(zone).getId();
      } catch (DateTimeException e) {
        throw new UsageProblem(
            "--time-zone '" + zone + "' is not a time zone (e.g. Europe/London)");
      }
    }

    private PiiRedaction redaction(TenantSettings current) {
      boolean enabled;
      if (pii == null) {
        enabled =
            current != null && current.getPiiRedaction() != null
                ? current.getPiiRedaction().getEnabled()
                : true;
      } else if (pii.equalsIgnoreCase("on") || pii.equalsIgnoreCase("off")) {
        enabled = pii.equalsIgnoreCase("on");
      } else {
        throw new UsageProblem("--pii '" + pii + "' is neither on nor off");
      }
      List<String> kinds = new ArrayList<>();
      if (piiKinds != null) {
        for (String kind : piiKinds) {
          try {
            kinds.add(PiiType.valueOf(kind.trim().toUpperCase(Locale.ROOT)).name());
          } catch (IllegalArgumentException e) {
            throw new UsageProblem(
                "--pii-kinds '" + kind + "' is not one of EMAIL, CARD, SSN, PHONE");
          }
        }
      } else if (current != null && current.getPiiRedaction() != null) {
        kinds.addAll(current.getPiiRedaction().getKinds());
      }
      return new PiiRedaction(enabled, kinds);
    }

    private io.callstream.events.AnalysisPlan plan(io.callstream.events.AnalysisPlan current) {
      AnalysisPlan existing = current == null ? null : TenantPolicies.plan(current);
      String schema = existing == null ? null : existing.extractionSchema();
      if (extractionSchema != null) {
        try {
          schema = Files.readString(extractionSchema);
        } catch (IOException e) {
          throw new UsageProblem(
              "--extraction-schema: cannot read " + extractionSchema + ": " + e.getMessage());
        }
        List<String> problems = ExtractionSchemas.problems(schema);
        if (!problems.isEmpty()) {
          throw new UsageProblem(
              "--extraction-schema "
                  + extractionSchema
                  + " is not a valid JSON Schema: "
                  + String.join("; ", problems));
        }
      }
      List<AnalysisPlan.DataField> fields =
          dataFields != null
              ? dataFields.stream().map(Set::dataField).toList()
              : existing == null ? List.of() : existing.dataCollection();
      List<AnalysisPlan.Criterion> judged =
          criteria != null
              ? criteria.stream().map(Set::criterion).toList()
              : existing == null ? List.of() : existing.evaluationCriteria();
      unique("--data-field", fields.stream().map(AnalysisPlan.DataField::name).toList());
      unique("--criterion", judged.stream().map(AnalysisPlan.Criterion::name).toList());
      String successText =
          success != null ? success : existing == null ? null : existing.successCriteria();
      return TenantPolicies.event(AnalysisPlan.of(schema, successText, fields, judged));
    }

    private static AnalysisPlan.DataField dataField(String spec) {
      int colon = spec.indexOf(':');
      int equals = spec.indexOf('=');
      if (colon <= 0 || equals < colon) {
        throw new UsageProblem("--data-field '" + spec + "' is not NAME:TYPE=DESCRIPTION");
      }
      String name = name("--data-field", spec.substring(0, colon));
      String type = spec.substring(colon + 1, equals).trim().toLowerCase(Locale.ROOT);
      if (!AnalysisPlan.FIELD_TYPES.contains(type)) {
        throw new UsageProblem(
            "--data-field '"
                + spec
                + "': type '"
                + type
                + "' is not one of "
                + String.join(", ", AnalysisPlan.FIELD_TYPES));
      }
      return new AnalysisPlan.DataField(
          name, type, described("--data-field", spec, spec.substring(equals + 1)));
    }

    private static AnalysisPlan.Criterion criterion(String spec) {
      int equals = spec.indexOf('=');
      if (equals <= 0) {
        throw new UsageProblem("--criterion '" + spec + "' is not NAME=DESCRIPTION");
      }
      return new AnalysisPlan.Criterion(
          name("--criterion", spec.substring(0, equals)),
          described("--criterion", spec, spec.substring(equals + 1)));
    }

    private static String name(String option, String name) {
      if (!NAME.matcher(name.trim()).matches()) {
        throw new UsageProblem(
            option
                + " name '"
                + name
                + "' must be a letter or _ then letters, digits or _ (at most 64)");
      }
      return name.trim();
    }

    private static String described(String option, String spec, String description) {
      if (description.isBlank()) {
        throw new UsageProblem(option + " '" + spec + "' has no description");
      }
      return description.trim();
    }

    private static void unique(String option, List<String> names) {
      if (names.stream().distinct().count() != names.size()) {
        throw new UsageProblem(option + " names must differ: " + String.join(", ", names));
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Prints a tenant's settings as JSON.")
  static final class Show implements Callable<Integer> {
    @Mixin Cluster cluster;

    @Parameters(index = "0", paramLabel = "TENANT")
    String tenant;

    @Override
    public Integer call() {
      TenantSettings settings = table(cluster).all().get(tenant);
      if (settings == null) {
        System.out.println("tenant " + tenant + " has no settings: the defaults apply");
        return 0;
      }
      System.out.println(json(settings));
      return 0;
    }
  }

  /** The settings as JSON, the extraction schema as JSON rather than text. */
  static String json(TenantSettings settings) {
    try {
      ObjectNode json = JSON.createObjectNode();
      json.put("tenant", settings.getTenantId());
      json.put("time_zone", settings.getTimeZone());
      if (settings.getPiiRedaction() != null) {
        json.putObject("pii_redaction")
            .put("enabled", settings.getPiiRedaction().getEnabled())
            .set("kinds", JSON.valueToTree(settings.getPiiRedaction().getKinds()));
      } else {
        json.putNull("pii_redaction");
      }
      json.put("language", settings.getLanguage());
      io.callstream.events.AnalysisPlan plan = settings.getPlan();
      if (plan == null) {
        json.putNull("plan");
      } else {
        ObjectNode node = json.putObject("plan").put("version", plan.getVersion());
        node.set(
            "extraction_schema",
            plan.getExtractionSchema() == null ? null : JSON.readTree(plan.getExtractionSchema()));
        node.put("success_criteria", plan.getSuccessCriteria());
        Map<String, Object> fields = new LinkedHashMap<>();
        plan.getDataCollection()
            .forEach(
                f ->
                    fields.put(
                        f.getName(),
                        Map.of("type", f.getType(), "description", f.getDescription())));
        node.set("data_collection", JSON.valueToTree(fields));
        Map<String, String> criteria = new LinkedHashMap<>();
        plan.getEvaluationCriteria().forEach(c -> criteria.put(c.getName(), c.getDescription()));
        node.set("evaluation_criteria", JSON.valueToTree(criteria));
      }
      json.put("updated_at", settings.getUpdatedAt().toString());
      return JSON.writeValueAsString(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
