package dev.mlops.cli;

import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.StatTest;
import dev.mlops.drift.report.DriftReport;
import dev.mlops.drift.report.ReportHeader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops drift REFERENCE.csv CURRENT.csv}: dataset drift, column by column, with reports. */
@Command(name = "drift", description = {"Compare a current CSV table with a reference one, column by column.",
    "Both files need a header. A column is numeric when every non-missing value in both files is a decimal"
            + " number, else categorical; --numeric and --categorical say so instead. Missing values are empty"
            + " fields (and --na tokens). Tests are chosen as Evidently chooses them unless --test sets one."
            + " Exits 1 when the dataset drifts (or, with --fail-on column, when any column drifts), 0 when not."})
final class DriftCommand implements Callable<Integer> {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** What makes the exit code 1. */
    enum FailOn { DATASET, COLUMN, NEVER }

    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "REFERENCE.csv", description = "The reference table, such as training data.")
    Path reference;
    @Parameters(index = "1", paramLabel = "CURRENT.csv", description = "The current table, such as last week's inputs.")
    Path current;
    @Option(names = "--numeric", paramLabel = "COLUMN", split = ",", description = "Columns to read as numbers.")
    List<String> numeric = new ArrayList<>();
    @Option(names = "--categorical", paramLabel = "COLUMN", split = ",", description = "Columns to read as categories.")
    List<String> categorical = new ArrayList<>();
    @Option(names = "--exclude", paramLabel = "COLUMN", split = ",", description = "Columns not to test (ids, labels).")
    List<String> exclude = new ArrayList<>();
    @Option(names = "--na", paramLabel = "TOKEN", description = "A value that means missing, besides the empty field"
            + " (such as NA); repeatable.")
    List<String> na = new ArrayList<>();
    @Option(names = "--test", paramLabel = "COLUMN=TEST", description = "The test for a column, by name or id"
            + " (KOLMOGOROV_SMIRNOV or ks, CHI_SQUARE, PSI, WASSERSTEIN_NORMED, ...); repeatable.")
    Map<String, String> tests = new LinkedHashMap<>();
    @Option(names = "--threshold", paramLabel = "COLUMN=VALUE", description = "A column's threshold; only with --test"
            + " for that column; repeatable.")
    Map<String, Double> thresholds = new LinkedHashMap<>();
    @Option(names = "--correction", paramLabel = "NONE|BONFERRONI|BENJAMINI_HOCHBERG", defaultValue = "NONE",
            description = "Multiple-testing correction of the p-values (default: ${DEFAULT-VALUE}).")
    Correction correction;
    @Option(names = "--drift-share", paramLabel = "SHARE", defaultValue = "0.5",
            description = "The share of drifted columns at which the dataset drifts, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double driftShare;
    @Option(names = "--fail-on", paramLabel = "dataset|column|never", defaultValue = "DATASET",
            description = "Exit 1 when the dataset drifts (default), when any column drifts, or never.")
    FailOn failOn;
    @Option(names = "--html", paramLabel = "FILE", description = "Write the self-contained HTML report to FILE.")
    Path html;
    @Option(names = "--json", paramLabel = "FILE", arity = "0..1", fallbackValue = "-",
            description = "Write the JSON report to FILE; without FILE (or with -), print it on stdout instead of the"
                    + " text summary. Put it after the two files.")
    String json;
    @Option(names = "--dataset", paramLabel = "NAME", description = "The table's name in the report (default: the"
            + " current file's name).")
    String dataset;
    @Option(names = "--model", paramLabel = "REF", description = "The model version whose inputs these are, for the"
            + " report (such as fraud-scorer:7).")
    String model;

    @Override
    public Integer call() {
        DatasetDriftResult result = result();
        ReportHeader.Builder header = ReportHeader.builder(dataset != null ? dataset : current.getFileName().toString(),
                Instant.now()).reference(reference.getFileName().toString());
        if (model != null) {
            header.model(Refs.parse(model));
        }
        DriftReport report = DriftReport.of(result, header.build());
        if (html != null) {
            write(html, report.toHtml(), "HTML report");
        }
        boolean jsonOnStdout = "-".equals(json);
        if (json != null && !jsonOnStdout) {
            write(Path.of(json), report.toJson(), "JSON report");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (jsonOnStdout) {
            out.println(report.toJson());
        } else {
            printSummary(out, report);
        }
        boolean failed = switch (failOn) {
            case DATASET -> result.drifted();
            case COLUMN -> result.columns().stream().anyMatch(ColumnDrift::drifted);
            case NEVER -> false;
        };
        return failed ? Mlops.CHECK_FAILED : Mlops.OK;
    }

    /**
     * Reads both files and tests the current table against the reference with the options set; also used
     * by {@code mlops gate --training-drift-at-most}.
     */
    DatasetDriftResult result() {
        Set<String> both = new LinkedHashSet<>(numeric);
        both.retainAll(categorical);
        if (!both.isEmpty()) {
            throw CliException.usage("columns " + both + " are given as both --numeric and --categorical");
        }
        Csv.Table ref = Csv.read(reference);
        Csv.Table cur = Csv.read(current);
        List<String> columns = new ArrayList<>();
        for (String c : ref.header()) {
            if (!exclude.contains(c)) {
                columns.add(c);
            }
        }
        List<String> named = new ArrayList<>(numeric);
        named.addAll(categorical);
        named.addAll(exclude);
        named.addAll(tests.keySet());
        named.addAll(thresholds.keySet());
        named.forEach(ref::column);
        if (columns.isEmpty()) {
            throw CliException.usage("CSV file " + reference + ": no column left to test");
        }
        Dataset.Builder refTable = Dataset.builder();
        Dataset.Builder curTable = Dataset.builder();
        for (String c : columns) {
            cur.column(c);
            boolean isNumeric = numeric.contains(c) || (!categorical.contains(c) && allDecimal(ref, c) && allDecimal(cur, c)
                    && (hasValue(ref, c) || hasValue(cur, c)));
            if (isNumeric) {
                refTable.numeric(c, numbers(ref, c));
                curTable.numeric(c, numbers(cur, c));
            } else {
                refTable.categorical(c, categories(ref, c));
                curTable.categorical(c, categories(cur, c));
            }
        }
        DatasetDrift.Builder b = DatasetDrift.builder(refTable.build()).correction(correction).driftShare(driftShare);
        tests.forEach((c, t) -> b.test(c, test(t)));
        thresholds.forEach(b::threshold);
        DatasetDrift drift;
        try {
            drift = b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw CliException.usage(e.getMessage());
        }
        return drift.detect(curTable.build());
    }

    private static StatTest test(String name) {
        for (StatTest t : StatTest.values()) {
            if (t.name().equalsIgnoreCase(name) || t.id().equals(name)) {
                return t;
            }
        }
        throw CliException.usage("--test: no test " + name + "; tests are " + java.util.Arrays.toString(StatTest.values()));
    }

    private boolean missing(String v) {
        return v.isEmpty() || na.contains(v);
    }

    private boolean allDecimal(Csv.Table t, String column) {
        int i = t.column(column);
        for (String[] row : t.rows()) {
            if (!missing(row[i]) && !DECIMAL.matcher(row[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private boolean hasValue(Csv.Table t, String column) {
        int i = t.column(column);
        return t.rows().stream().anyMatch(r -> !missing(r[i]));
    }

    private double[] numbers(Csv.Table t, String column) {
        int i = t.column(column);
        double[] out = new double[t.rows().size()];
        for (int r = 0; r < out.length; r++) {
            String v = t.rows().get(r)[i];
            if (missing(v)) {
                out[r] = Double.NaN;
                continue;
            }
            double d = DECIMAL.matcher(v).matches() ? Double.parseDouble(v) : Double.NaN;
            if (!Double.isFinite(d)) {
                throw CliException.usage("CSV file " + t.file() + ": line " + t.lines()[r] + ", column " + (i + 1) + " ("
                        + column + "): expected a finite decimal number, found '" + shorten(v) + "'");
            }
            out[r] = d;
        }
        return out;
    }

    private String[] categories(Csv.Table t, String column) {
        int i = t.column(column);
        String[] out = new String[t.rows().size()];
        for (int r = 0; r < out.length; r++) {
            String v = t.rows().get(r)[i];
            out[r] = missing(v) ? null : v;
        }
        return out;
    }

    private static String shorten(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "...";
    }

    private static void write(Path file, String text, String what) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage(what + " " + file + ": cannot be written: " + e, e);
        }
    }

    private static void printSummary(PrintWriter out, DriftReport report) {
        out.println(report.headline());
        List<List<String>> rows = new ArrayList<>();
        for (DriftReport.Column c : report.columns()) {
            ColumnDrift d = c.drift();
            String kind = d.numeric() ? "numeric" : "categorical";
            if (d.result().isPresent()) {
                DriftResult r = d.result().get();
                rows.add(List.of(d.column(), kind, r.method(), number(r.statistic()),
                        r.pValue().isPresent() ? number(r.pValue().getAsDouble()) : "-", number(r.threshold()),
                        c.verdict()));
            } else {
                rows.add(List.of(d.column(), kind, d.method(), "-", "-", "-",
                        "not tested: " + d.untestable().map(u -> u.detail()).orElse("")));
            }
        }
        Output.table(out, List.of("COLUMN", "KIND", "TEST", "STATISTIC", "P-VALUE", "THRESHOLD", "VERDICT"), rows);
    }

    private static String number(double v) {
        if (Double.isInfinite(v) || Double.isNaN(v)) {
            return Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }
}
