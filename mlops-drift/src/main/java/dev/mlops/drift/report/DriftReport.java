package dev.mlops.drift.report;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A dataset drift result made readable: JSON for machines, and one self-contained HTML page for people.
 * Everything comes from the {@link DatasetDriftResult}, which carries each column's test, verdict,
 * profiles of both sides and the bins its chart draws (the test's own bins when the test binned), so the
 * data is never handed in again and a chart always shows what its verdict came from.
 *
 * <pre>{@code
 * DatasetDriftResult result = drift.detect(lastWeek);
 * DriftReport report = DriftReport.of(result, ReportHeader.builder("card transactions", clock.instant())
 *         .model("fraud-scorer:7").window(weekStart, weekEnd).build());
 * Files.writeString(Path.of("drift.html"), report.toHtml());
 * }</pre>
 *
 * <p><b>What it shows.</b> A headline that states the dataset's verdict with the share rule it follows,
 * so "no drift" with some drifted columns cannot be misread ({@link #headline()}); per column its kind,
 * test, statistic, p-value, threshold (after multiple-testing correction) and verdict, the reason when it
 * could not be tested, summaries of both sides (count, missing share, distinct values, mean, standard
 * deviation, quantiles; top categories with shares, new categories with counts) and a chart of its bins
 * with titled axes. Columns are sorted drifted first, then by {@linkplain Column#effect() effect size},
 * largest first, untested columns last. Every number is printed in one format (four significant digits,
 * whole numbers in full).
 *
 * <p><b>Effect size</b> is the total variation distance between the reference and current shares over the
 * column's bins, {@code 0.5 * sum |p_i - q_i|}: the share of values that would have to change bin for one
 * distribution to become the other, 0 when equal, 1 when disjoint. Test statistics cannot rank columns
 * against each other: p-values and the p-value tests' statistics grow with sample size at a fixed shift,
 * and the distances live on different scales (Wasserstein in standard deviations, PSI unbounded, Jensen-
 * Shannon up to {@code sqrt(ln 2)}). So one measure serves every test family: for the binned tests
 * (chi-square, G, Fisher, z, PSI, KL, Jensen-Shannon, Hellinger, total variation, L-infinity) it is taken
 * over the test's own bins (for the total variation test it is the statistic itself); for the tests that
 * read values (Kolmogorov-Smirnov, Cramér-von Mises, Anderson-Darling, Mann-Whitney, Welch, Wasserstein,
 * energy) over the display bins. It has no value when the current side has no values.
 *
 * <p><b>JSON</b>, format {@value #FORMAT} version {@value #VERSION}: {@code format}, {@code version},
 * {@code createdAt} (ISO-8601), {@code dataset}, {@code model}, {@code window} ({@code start},
 * {@code end}) and {@code reference} (the last three null when not set), {@code headline} (the sentence
 * the page shows), {@code verdict} ({@code drifted}, {@code share}, {@code driftShare},
 * {@code correction}, {@code testedColumns}, {@code driftedColumns}, {@code untestedColumns}) and
 * {@code columns} in the report's order, each with {@code name}, {@code kind} ({@code numeric},
 * {@code categorical}), {@code test}, {@code verdict} ({@code drift}, {@code no drift},
 * {@code not tested}), {@code drifted}, {@code effect}; {@code statistic}, {@code pValue},
 * {@code threshold} and {@code rule} (after correction; null when not tested, {@code pValue} also null
 * for a distance); {@code untestable} (null, or {@code reason} and {@code detail}); {@code reference} and
 * {@code current} profiles ({@code count}, {@code missing}, {@code missingShare}, {@code distinct}, and for
 * numeric columns {@code min}, {@code max}, {@code mean}, {@code std} (null without values),
 * {@code quantiles} ({@code p5}, {@code p25}, {@code p50}, {@code p75}, {@code p95}), {@code integral};
 * for categorical ones {@code top}: {@code category}, {@code count}, {@code share}); {@code unseen}
 * ({@code category}, {@code count}: current categories the reference never holds); and {@code bins}
 * ({@code source}: {@code test} or {@code display}, {@code labels}, {@code edges}, {@code reference},
 * {@code current}). Non-finite numbers are the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}. Version 1 (no header, columns in dataset order, histograms recounted from the data
 * with {@code " (new)"} appended to labels) is no longer written.
 *
 * <p>Immutable and thread-safe.
 */
public final class DriftReport {
    /** The value of the JSON {@code format} field. */
    public static final String FORMAT = "mlops.drift.report";
    /** The JSON format version this class writes. */
    public static final int VERSION = 2;

    private static final JsonFormat JSON = new JsonFormat(FORMAT, VERSION);

    /**
     * One column of the report.
     *
     * @param drift the column's outcome, profiles and bins
     * @param effect the total variation distance over its bins; empty when the current side has no values
     */
    public record Column(ColumnDrift drift, OptionalDouble effect) {
        /**
         * Checks the parts.
         *
         * @param drift the column's outcome, profiles and bins
         * @param effect the total variation distance over its bins; empty when the current side has no values
         */
        public Column {
            Objects.requireNonNull(drift, "drift");
            Objects.requireNonNull(effect, "effect");
        }

        /** @return {@code "drift"}, {@code "no drift"} or {@code "not tested"} */
        public String verdict() {
            return drift.result().isEmpty() ? "not tested" : drift.drifted() ? "drift" : "no drift";
        }
    }

    private final DatasetDriftResult result;
    private final ReportHeader header;
    private final List<Column> columns;

    private DriftReport(DatasetDriftResult result, ReportHeader header, List<Column> columns) {
        this.result = result;
        this.header = header;
        this.columns = List.copyOf(columns);
    }

    /**
     * @param result the outcome of a dataset drift detector, for example {@code DatasetDrift.detect(current)}
     * @param header what the report is about and when it was made
     * @return the report
     */
    public static DriftReport of(DatasetDriftResult result, ReportHeader header) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(header, "header");
        List<Column> columns = new ArrayList<>();
        for (ColumnDrift c : result.columns()) {
            columns.add(new Column(c, effect(c.bins())));
        }
        columns.sort(ORDER);
        return new DriftReport(result, header, columns);
    }

    /** Drifted first, then tested, then untested; within each, larger effect first; ties keep dataset order. */
    private static final Comparator<Column> ORDER = Comparator
            .comparingInt((Column c) -> c.drift().drifted() ? 0 : c.drift().result().isPresent() ? 1 : 2)
            .thenComparingDouble(c -> -c.effect().orElse(-1));

    /** Total variation distance between the two sides' shares; empty when a side has no values. */
    static OptionalDouble effect(BinCounts bins) {
        long ref = bins.reference().stream().mapToLong(Long::longValue).sum();
        long cur = bins.current().stream().mapToLong(Long::longValue).sum();
        if (ref == 0 || cur == 0) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (int i = 0; i < bins.size(); i++) {
            sum += Math.abs(bins.reference().get(i) / (double) ref - bins.current().get(i) / (double) cur);
        }
        return OptionalDouble.of(Math.min(1, sum / 2));
    }

    /** @return the dataset result reported */
    public DatasetDriftResult result() {
        return result;
    }

    /** @return what the report is about */
    public ReportHeader header() {
        return header;
    }

    /** @return the columns in the report's order: drifted first, then by effect size, untested last */
    public List<Column> columns() {
        return columns;
    }

    /**
     * The dataset's verdict in one sentence that names the rule it follows, for example
     * {@code "Dataset: no drift (2 of 9 tested columns drifted, 22.22%; the dataset drifts at 50% or more; 1
     * column not tested)"}.
     *
     * @return the headline
     */
    public String headline() {
        long tested = result.testedColumns();
        long untested = result.columns().size() - tested;
        if (tested == 0) {
            return "Dataset: not tested (none of " + plural(result.columns().size(), "column") + " could be tested)";
        }
        return "Dataset: " + (result.drifted() ? "drift" : "no drift") + " (" + result.driftedColumns() + " of "
                + plural(tested, "tested column") + " drifted, " + Numbers.percent(result.share())
                + "; the dataset drifts at " + Numbers.percent(result.driftShare()) + " or more"
                + (untested > 0 ? "; " + plural(untested, "column") + " not tested" : "") + ")";
    }

    private static String plural(long n, String noun) {
        return Numbers.number(n) + " " + noun + (n == 1 ? "" : "s");
    }

    /** @return the report in the documented JSON format, version {@value #VERSION} */
    public String toJson() {
        return JSON.writePretty(g -> {
            g.writeStringField("createdAt", header.createdAt().toString());
            g.writeStringField("dataset", header.dataset());
            optionalText(g, "model", header.model().orElse(null));
            if (header.window().isPresent()) {
                g.writeObjectFieldStart("window");
                g.writeStringField("start", header.window().get().start().toString());
                g.writeStringField("end", header.window().get().end().toString());
                g.writeEndObject();
            } else {
                g.writeNullField("window");
            }
            optionalText(g, "reference", header.reference().orElse(null));
            g.writeStringField("headline", headline());
            g.writeObjectFieldStart("verdict");
            g.writeBooleanField("drifted", result.drifted());
            number(g, "share", result.share());
            number(g, "driftShare", result.driftShare());
            g.writeStringField("correction", result.correction().name());
            g.writeNumberField("testedColumns", result.testedColumns());
            g.writeNumberField("driftedColumns", result.driftedColumns());
            g.writeNumberField("untestedColumns", result.columns().size() - result.testedColumns());
            g.writeEndObject();
            g.writeArrayFieldStart("columns");
            for (Column c : columns) {
                column(g, c);
            }
            g.writeEndArray();
        });
    }

    private static void column(StrictJsonWriter g, Column c) {
        ColumnDrift d = c.drift();
        g.writeStartObject();
        g.writeStringField("name", d.column());
        g.writeStringField("kind", d.numeric() ? "numeric" : "categorical");
        g.writeStringField("test", d.method());
        g.writeStringField("verdict", c.verdict());
        g.writeBooleanField("drifted", d.drifted());
        if (c.effect().isPresent()) {
            number(g, "effect", c.effect().getAsDouble());
        } else {
            g.writeNullField("effect");
        }
        if (d.result().isPresent()) {
            DriftResult r = d.result().get();
            number(g, "statistic", r.statistic());
            if (r.pValue().isPresent()) {
                number(g, "pValue", r.pValue().getAsDouble());
            } else {
                g.writeNullField("pValue");
            }
            number(g, "threshold", r.threshold());
            g.writeStringField("rule", r.rule().name());
            g.writeNullField("untestable");
        } else {
            Untestable u = d.untestable().orElseThrow();
            for (String field : List.of("statistic", "pValue", "threshold", "rule")) {
                g.writeNullField(field);
            }
            g.writeObjectFieldStart("untestable");
            g.writeStringField("reason", u.reason().name());
            g.writeStringField("detail", u.detail());
            g.writeEndObject();
        }
        g.writeFieldName("reference");
        profile(g, d.reference());
        g.writeFieldName("current");
        profile(g, d.current());
        g.writeArrayFieldStart("unseen");
        for (ColumnProfile.CategoryCount u : d.unseen()) {
            g.writeStartObject();
            g.writeStringField("category", u.category());
            g.writeNumberField("count", u.count());
            g.writeEndObject();
        }
        g.writeEndArray();
        BinCounts b = d.bins();
        g.writeObjectFieldStart("bins");
        g.writeStringField("source", d.binnedByTest() ? "test" : "display");
        g.writeArrayFieldStart("labels");
        for (String l : b.labels()) {
            g.writeString(l);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("edges");
        for (double e : b.edges()) {
            g.writeNumber(e);
        }
        g.writeEndArray();
        longs(g, "reference", b.reference());
        longs(g, "current", b.current());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void profile(StrictJsonWriter g, ColumnProfile p) {
        g.writeStartObject();
        g.writeNumberField("count", p.count());
        g.writeNumberField("missing", p.missing());
        number(g, "missingShare", p.missingShare());
        g.writeNumberField("distinct", p.distinct());
        if (p instanceof ColumnProfile.Numeric n) {
            for (String field : List.of("min", "max", "mean", "std")) {
                if (n.count() == 0) {
                    g.writeNullField(field);
                } else {
                    number(g, field, switch (field) {
                        case "min" -> n.min();
                        case "max" -> n.max();
                        case "mean" -> n.mean();
                        default -> n.std();
                    });
                }
            }
            g.writeObjectFieldStart("quantiles");
            for (int i = 0; i < n.quantiles().size(); i++) {
                number(g, quantileName(ColumnProfile.QUANTILE_LEVELS.get(i)), n.quantiles().get(i));
            }
            g.writeEndObject();
            g.writeBooleanField("integral", n.integral());
        } else {
            ColumnProfile.Categorical c = (ColumnProfile.Categorical) p;
            g.writeArrayFieldStart("top");
            for (ColumnProfile.CategoryCount t : c.top()) {
                g.writeStartObject();
                g.writeStringField("category", t.category());
                g.writeNumberField("count", t.count());
                number(g, "share", c.count() == 0 ? 0 : t.count() / (double) c.count());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    /** {@code 0.05} is {@code "p5"}, {@code 0.5} is {@code "p50"} (the levels are whole percentages). */
    static String quantileName(double level) {
        return "p" + Math.round(level * 100);
    }

    private static void optionalText(StrictJsonWriter g, String field, String value) {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, value);
        }
    }

    private static void number(StrictJsonWriter g, String field, double v) {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeStringField(field, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void longs(StrictJsonWriter g, String field, List<Long> values) {
        g.writeArrayFieldStart(field);
        for (long v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    /** @return the report as one self-contained HTML page: inline CSS and SVG, nothing loaded from elsewhere */
    public String toHtml() {
        return HtmlReport.render(this);
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
