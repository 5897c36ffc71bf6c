package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Names;
import dev.mlops.core.lifecycle.Candidate;
import dev.mlops.core.lifecycle.CriterionResult;
import dev.mlops.core.lifecycle.GateReport;
import dev.mlops.core.lifecycle.PromotionGate;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.lifecycle.ShadowSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops gate}: a promotion gate's verdict on a challenger, as an exit code a pipeline can stop on. */
@Command(name = "gate", description = {"Judge a challenger against the champion with a promotion gate.",
    "Criteria: a metric on a hold-out at least the champion's plus a margin (--metric/--holdout/--margin, or"
            + " --at-least METRIC@HOLDOUT=MARGIN; --at-most for losses), --signatures-compatible,"
            + " --lineage-complete, --training-drift-at-most SHARE (the challenger's training data, a CSV file,"
            + " against the serving reference, a CSV file), --shadow MIN_DURATION,MIN_REQUESTS,MIN_AGREEMENT (with"
            + " the shadow period's --shadow-summary). A metric is the version's metric METRIC@HOLDOUT. Evidence"
            + " that is missing fails. Exits 0 when every criterion passes, 1 when any does not: a CI pipeline stops the promotion"
            + " there."})
final class GateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Option(names = "--model", paramLabel = "MODEL", required = true, description = "The model.")
    String model;
    @Option(names = "--challenger", paramLabel = "VERSION|ALIAS", required = true,
            description = "The version proposed: a number or an alias.")
    String challenger;
    @Option(names = "--champion", paramLabel = "VERSION|ALIAS", defaultValue = "champion",
            description = "The version it would replace: a number or an alias (default: ${DEFAULT-VALUE}); an alias"
                    + " that is not set means there is no champion yet.")
    String champion;
    @Option(names = "--metric", paramLabel = "NAME", description = "A metric the challenger must not be worse at,"
            + " with --holdout (higher is better unless --lower-is-better).")
    String metric;
    @Option(names = "--holdout", paramLabel = "NAME", description = "The hold-out --metric was measured on.")
    String holdout;
    @Option(names = "--margin", paramLabel = "X", defaultValue = "0",
            description = "How much better than the champion --metric must be (default: ${DEFAULT-VALUE}).")
    double margin;
    @Option(names = "--lower-is-better", description = "--metric is a loss: at most the champion's minus the margin.")
    boolean lowerIsBetter;
    @Option(names = "--at-least", paramLabel = "METRIC@HOLDOUT=MARGIN",
            description = "At least the champion's value plus MARGIN; repeatable.")
    Map<String, Double> atLeast = new LinkedHashMap<>();
    @Option(names = "--at-most", paramLabel = "METRIC@HOLDOUT=MARGIN",
            description = "At most the champion's value minus MARGIN; repeatable.")
    Map<String, Double> atMost = new LinkedHashMap<>();
    @Option(names = "--signatures-compatible", description = "Every input the champion takes and every output it"
            + " returns is kept.")
    boolean signaturesCompatible;
    @Option(names = "--lineage-complete", description = "The challenger names a clean code revision and its data's"
            + " digests.")
    boolean lineageComplete;
    @Option(names = "--training-drift-at-most", paramLabel = "SHARE", description = "The challenger's training data"
            + " (--training-data) drifted against the serving reference (--serving-reference) in at most this share"
            + " of its tested columns, tested as 'mlops drift' tests.")
    Double trainingDriftAtMost;
    @Option(names = "--serving-reference", paramLabel = "REFERENCE.csv", description = "The data the champion serves"
            + " on (its drift reference), for --training-drift-at-most.")
    Path servingReference;
    @Option(names = "--training-data", paramLabel = "TRAINING.csv", description = "The challenger's training data,"
            + " for --training-drift-at-most.")
    Path trainingData;
    @Option(names = "--exclude", paramLabel = "COLUMN", split = ",", description = "Columns of the two CSV files not to"
            + " test (ids, labels).")
    List<String> exclude = new ArrayList<>();
    @Option(names = "--shadow", paramLabel = "MIN_DURATION,MIN_REQUESTS,MIN_AGREEMENT", split = ",",
            description = "A shadow period at least MIN_DURATION long (ISO-8601, such as PT24H), with at least"
                    + " MIN_REQUESTS answered by both and a share of at least MIN_AGREEMENT answered alike.")
    List<String> shadow;
    @Option(names = "--shadow-summary", paramLabel = "OBSERVED,REQUESTS,AGREEMENTS", split = ",",
            description = "What the challenger's shadow period showed (as a ShadowReport says): how long, how many"
                    + " requests both answered, how many alike.")
    List<String> shadowSummary;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Names.checkModel(model);
        PromotionGate gate = gate();
        PrintWriter out = spec.commandLine().getOut();
        GateReport report;
        try (ModelStore store = registry.open()) {
            ModelVersion mine = store.get(ref(challenger));
            Optional<ModelVersion> theirs = store.find(ref(champion));
            if (theirs.isEmpty() && !(ref(champion) instanceof ModelRef.ByAlias)) {
                throw CliException.usage("champion " + ref(champion) + " not found in " + registry.display());
            }
            Candidate candidate = Candidate.of(mine);
            if (theirs.isPresent()) {
                candidate = candidate.against(theirs.get());
            }
            if (trainingDriftAtMost != null) {
                candidate = candidate.withTrainingDrift(trainingDrift());
            }
            if (shadowSummary != null) {
                candidate = candidate.withShadow(shadowSummary());
            }
            report = gate.evaluate(candidate, Instant.now());
        }
        if (json.json) {
            ObjectNode o = Output.object();
            o.put("passed", report.passed());
            o.put("challenger", report.challenger().toString());
            if (report.champion().isPresent()) {
                o.put("champion", report.champion().get().toString());
            } else {
                o.putNull("champion");
            }
            o.put("at", report.at().toString());
            ArrayNode a = o.putArray("criteria");
            for (CriterionResult c : report.criteria()) {
                a.addObject().put("criterion", c.criterion()).put("verdict", c.verdict().name()).put("value", c.value())
                        .put("required", c.required()).put("detail", c.detail());
            }
            Output.print(out, o);
        } else {
            out.println(report);
        }
        return report.passed() ? Mlops.OK : Mlops.CHECK_FAILED;
    }

    private PromotionGate gate() {
        PromotionGate.Builder b = PromotionGate.builder();
        int criteria = 0;
        if (metric != null || holdout != null) {
            if (metric == null || holdout == null) {
                throw CliException.usage("--metric and --holdout go together");
            }
            if (lowerIsBetter) {
                b.metricAtMostChampion(metric, holdout, margin);
            } else {
                b.metricAtLeastChampion(metric, holdout, margin);
            }
            criteria++;
        } else if (lowerIsBetter) {
            throw CliException.usage("--lower-is-better applies to --metric");
        }
        for (Map.Entry<String, Double> e : atLeast.entrySet()) {
            String[] m = metricAtHoldout("--at-least", e.getKey());
            b.metricAtLeastChampion(m[0], m[1], e.getValue());
            criteria++;
        }
        for (Map.Entry<String, Double> e : atMost.entrySet()) {
            String[] m = metricAtHoldout("--at-most", e.getKey());
            b.metricAtMostChampion(m[0], m[1], e.getValue());
            criteria++;
        }
        if (signaturesCompatible) {
            b.signaturesCompatible();
            criteria++;
        }
        if (lineageComplete) {
            b.lineageComplete();
            criteria++;
        }
        if (trainingDriftAtMost != null) {
            if (servingReference == null || trainingData == null) {
                throw CliException.usage("--training-drift-at-most needs --serving-reference and --training-data");
            }
            try {
                b.trainingDriftAtMost(trainingDriftAtMost);
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--training-drift-at-most: " + e.getMessage());
            }
            criteria++;
        } else if (servingReference != null || trainingData != null) {
            throw CliException.usage("--serving-reference and --training-data apply to --training-drift-at-most");
        }
        if (shadow != null) {
            if (shadow.size() != 3) {
                throw CliException.usage("--shadow: expected MIN_DURATION,MIN_REQUESTS,MIN_AGREEMENT, such as"
                        + " PT24H,5000,0.95; was " + String.join(",", shadow));
            }
            try {
                b.shadow(duration("--shadow", shadow.get(0)), count("--shadow", shadow.get(1)),
                        Double.parseDouble(shadow.get(2)));
            } catch (NumberFormatException e) {
                throw CliException.usage("--shadow: MIN_AGREEMENT " + shadow.get(2) + " is not a number");
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--shadow: " + e.getMessage());
            }
            criteria++;
        }
        if (criteria == 0) {
            throw CliException.usage("a gate needs at least one criterion: --metric with --holdout, --at-least,"
                    + " --at-most, --signatures-compatible, --lineage-complete, --training-drift-at-most or --shadow");
        }
        return b.build();
    }

    /** The challenger's training data tested against the serving reference, as {@code mlops drift} tests. */
    private DatasetDriftResult trainingDrift() {
        DriftCommand drift = new DriftCommand();
        drift.reference = servingReference;
        drift.current = trainingData;
        drift.exclude = exclude;
        drift.correction = Correction.NONE;
        drift.driftShare = 0.5;
        return drift.result();
    }

    private ShadowSummary shadowSummary() {
        if (shadowSummary.size() != 3) {
            throw CliException.usage("--shadow-summary: expected OBSERVED,REQUESTS,AGREEMENTS, such as PT30H,12000,11640;"
                    + " was " + String.join(",", shadowSummary));
        }
        try {
            return new ShadowSummary(duration("--shadow-summary", shadowSummary.get(0)),
                    count("--shadow-summary", shadowSummary.get(1)), count("--shadow-summary", shadowSummary.get(2)));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--shadow-summary: " + e.getMessage());
        }
    }

    private static Duration duration(String option, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw CliException.usage(option + ": " + text + " is not an ISO-8601 duration such as PT24H");
        }
    }

    private static long count(String option, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw CliException.usage(option + ": " + text + " is not a whole number");
        }
    }

    private static String[] metricAtHoldout(String option, String key) {
        int at = key.lastIndexOf('@');
        if (at <= 0 || at == key.length() - 1) {
            throw CliException.usage(option + " " + key + ": expected METRIC@HOLDOUT=MARGIN, such as auc@holdout-nov=0.005");
        }
        return new String[] {key.substring(0, at), key.substring(at + 1)};
    }

    private ModelRef ref(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return ModelRef.of(model, Long.parseLong(text));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("version " + text + ": expected a number >= 1 or an alias");
            }
        }
        return ModelRef.alias(model, Names.checkAlias(text));
    }
}
