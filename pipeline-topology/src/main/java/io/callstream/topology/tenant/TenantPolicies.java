package io.callstream.topology.tenant;

import io.callstream.enrichment.AnalysisPlan;
import io.callstream.enrichment.text.PiiRedactor.PiiType;
import io.callstream.events.DataField;
import io.callstream.events.EvaluationCriterion;
import io.callstream.events.TenantSettings;
import io.callstream.events.WorkItem;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a tenant's settings ({@code tenants.settings.v1}, read as a GlobalKTable like the agent map)
 * mean for one of its calls: the settings travel with the work item from routing on, so a replay
 * routed after a change follows the new settings. A tenant without settings gets the defaults.
 */
public final class TenantPolicies {
  public static final Set<PiiType> EVERY_KIND = Set.copyOf(EnumSet.allOf(PiiType.class));
  private final Predicate<String> redactsByDefault;

  /** {@code redactsByDefault}: whether a tenant without a redaction setting is redacted. */
  public TenantPolicies(Predicate<String> redactsByDefault) {
    this.redactsByDefault = redactsByDefault;
  }

  /** The item with its tenant's settings, and their time zone when the agent map named none. */
  public static WorkItem withSettings(WorkItem item, TenantSettings settings) {
    if (settings == null && item.getSettings() == null) {
      return item;
    }
    WorkItem.Builder next = WorkItem.newBuilder(item).setSettings(settings);
    if (item.getTimeZone() == null && settings != null) {
      next.setTimeZone(settings.getTimeZone());
    }
    return next.build();
  }

  /** The tenant's key in {@code tenants.settings.v1}; empty (never found) for an unrouted item. */
  public static String settingsKey(WorkItem item) {
    return item.getTenantId() == null ? "" : item.getTenantId();
  }

  /**
   * The kinds of personal data redacted from the item's call before any AI call; none when empty.
   */
  public Set<PiiType> redaction(WorkItem item) {
    TenantSettings settings = item.getSettings();
    if (settings == null || settings.getPiiRedaction() == null) {
      return redactsByDefault.test(item.getTenantId()) ? EVERY_KIND : Set.of();
    }
    if (!settings.getPiiRedaction().getEnabled()) {
      return Set.of();
    }
    if (settings.getPiiRedaction().getKinds().isEmpty()) {
      return EVERY_KIND;
    }
    Set<PiiType> kinds = EnumSet.noneOf(PiiType.class);
    settings
        .getPiiRedaction()
        .getKinds()
        .forEach(kind -> kinds.add(PiiType.valueOf(kind.toUpperCase(Locale.ROOT))));
    return Set.copyOf(kinds);
  }

  /** The tenant's analysis plan, or null. */
  public static AnalysisPlan plan(WorkItem item) {
    if (item.getSettings() == null || item.getSettings().getPlan() == null) {
      return null;
    }
    return plan(item.getSettings().getPlan());
  }

  /** A plan as {@code tenants.settings.v1} carries it, read. */
  public static AnalysisPlan plan(io.callstream.events.AnalysisPlan plan) {
    return AnalysisPlan.of(
        plan.getExtractionSchema(),
        plan.getSuccessCriteria(),
        plan.getDataCollection().stream()
            .map(f -> new AnalysisPlan.DataField(f.getName(), f.getType(), f.getDescription()))
            .toList(),
        plan.getEvaluationCriteria().stream()
            .map(c -> new AnalysisPlan.Criterion(c.getName(), c.getDescription()))
            .toList());
  }

  /** {@code plan} as {@code tenants.settings.v1} carries it. */
  public static io.callstream.events.AnalysisPlan event(AnalysisPlan plan) {
    return io.callstream.events.AnalysisPlan.newBuilder()
        .setVersion(plan.version())
        .setExtractionSchema(plan.extractionSchema())
        .setSuccessCriteria(plan.successCriteria())
        .setDataCollection(
            plan.dataCollection().stream()
                .map(f -> new DataField(f.name(), f.type(), f.description()))
                .toList())
        .setEvaluationCriteria(
            plan.evaluationCriteria().stream()
                .map(c -> new EvaluationCriterion(c.name(), c.description()))
                .toList())
        .build();
  }

  /** The language the tenant fixed for its calls, or null to detect it. */
  public static String language(WorkItem item) {
    return item.getSettings() == null ? null : item.getSettings().getLanguage();
  }
}
