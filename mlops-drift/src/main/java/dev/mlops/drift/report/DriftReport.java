package dev.mlops.drift.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mlops.core.drift.CategoricalSample;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.drift.DatasetReference;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A dataset drift result made readable: JSON for machines, and one self-contained HTML file for people,
 * with a summary table and, per column, the reference and current distributions drawn as inline SVG
 * next to the statistic, p-value, threshold and verdict. The HTML loads nothing: no scripts, no fonts,
 * no images, no network.
 *
 * <pre>{@code
 * DatasetDriftResult result = drift.detect(current);
 * DriftReport report = DriftReport.of(drift.reference(), current, result, Instant.now());
 * Files.writeString(Path.of("drift.html"), report.toHtml());
 * }</pre>
 *
 * <p>JSON format {@code mlops.drift.report}, version 1: {@code format}, {@code version},
 * {@code createdAt} (ISO-8601), {@code dataset} ({@code drifted}, {@code share}, {@code driftShare},
 * {@code correction}, {@code testedColumns}, {@code driftedColumns}), and {@code columns}, each with
 * {@code name}, {@code kind}, {@code test}, {@code drifted}, {@code problem} (null when the column was
 * tested), {@code unseenInReference} and, when tested, {@code statistic}, {@code pValue} (or null),
 * {@code threshold} and {@code rule} (after multiple-testing correction, so that they give
 * {@code drifted}), {@code referenceSize}, {@code currentSize}, {@code referenceMissing},
 * {@code currentMissing}, plus {@code histogram} ({@code labels}, {@code edges}, {@code reference},
 * {@code current}; labels of categories unseen in the reference end in {@value Histogram#NEW_SUFFIX}).
 * Non-finite numbers are written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 *
 * <p>Immutable and thread-safe.
 */
public final class DriftReport {
    /** The value of the JSON {@code format} field. */
    public static final String FORMAT = "mlops.drift.report";
    /** The JSON format version this class writes. */
    public static final int VERSION = 1;

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One column of the report.
     *
     * @param drift the column's outcome
     * @param numeric whether the column is numeric
     * @param histogram its reference and current distributions
     */
    public record Column(ColumnDrift drift, boolean numeric, Histogram histogram) {
        /** Checks the parts. */
        public Column {
            Objects.requireNonNull(drift, "drift");
            Objects.requireNonNull(histogram, "histogram");
        }
    }

    private final DatasetDriftResult result;
    private final List<Column> columns;
    private final Instant createdAt;

    private DriftReport(DatasetDriftResult result, List<Column> columns, Instant createdAt) {
        this.result = result;
        this.columns = List.copyOf(columns);
        this.createdAt = createdAt;
    }

    /**
     * @param reference the reference table the result was computed against
     * @param current the current table
     * @param result the outcome of {@code DatasetDrift.detect(current)}
     * @param createdAt the time to stamp on the report
     * @return the report
     * @throws IllegalArgumentException when a column of the result is missing from either table
     */
    public static DriftReport of(Dataset reference, Dataset current, DatasetDriftResult result, Instant createdAt) {
        Objects.requireNonNull(reference, "reference");
        return of(reference::sample, current, result, createdAt);
    }

    /**
     * A report against prepared reference columns, as {@code DatasetDrift.reference()} or
     * {@link DatasetReference#fromJson} give them: the reference is read as it is, not sorted again, so a
     * replica holding only the reference's JSON can write the report.
     *
     * @param reference the prepared reference columns the result was computed against
     * @param current the current table
     * @param result the outcome of {@code DatasetDrift.detect(current)}
     * @param createdAt the time to stamp on the report
     * @return the report
     * @throws IllegalArgumentException when a column of the result is missing from the reference or the
     *     current table
     */
    public static DriftReport of(DatasetReference reference, Dataset current, DatasetDriftResult result,
            Instant createdAt) {
        Objects.requireNonNull(reference, "reference");
        return of(column -> reference.reference(column).sample(), current, result, createdAt);
    }

    private static DriftReport of(Function<String, Sample> reference, Dataset current, DatasetDriftResult result,
            Instant createdAt) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(createdAt, "createdAt");
        List<Column> columns = new ArrayList<>();
        for (ColumnDrift c : result.columns()) {
            Sample ref = reference.apply(c.column());
            Sample cur = current.sample(c.column());
            if ((ref instanceof NumericSample) != (cur instanceof NumericSample)) {
                throw new IllegalArgumentException("column " + c.column() + " is numeric in only one of reference and current");
            }
            Histogram h = ref instanceof NumericSample r
                    ? Histogram.numeric(r, (NumericSample) cur)
                    : Histogram.categorical((CategoricalSample) ref, (CategoricalSample) cur);
            columns.add(new Column(c, ref instanceof NumericSample, h));
        }
        return new DriftReport(result, columns, createdAt);
    }

    /** @return the dataset result reported */
    public DatasetDriftResult result() {
        return result;
    }

    /** @return the columns, in the result's order */
    public List<Column> columns() {
        return columns;
    }

    /** @return the report in the documented JSON format */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
            g.writeStringField("createdAt", createdAt.toString());
            g.writeObjectFieldStart("dataset");
            g.writeBooleanField("drifted", result.drifted());
            number(g, "share", result.share());
            number(g, "driftShare", result.driftShare());
            g.writeStringField("correction", result.correction().name());
            g.writeNumberField("testedColumns", result.testedColumns());
            g.writeNumberField("driftedColumns", result.driftedColumns());
            g.writeEndObject();
            g.writeArrayFieldStart("columns");
            for (Column c : columns) {
                ColumnDrift d = c.drift();
                g.writeStartObject();
                g.writeStringField("name", d.column());
                g.writeStringField("kind", c.numeric() ? "numeric" : "categorical");
                g.writeStringField("test", d.method());
                g.writeBooleanField("drifted", d.drifted());
                if (d.untestable().map(u -> u.detail()).isPresent()) {
                    g.writeStringField("problem", d.untestable().map(u -> u.detail()).get());
                } else {
                    g.writeNullField("problem");
                }
                g.writeNumberField("unseenInReference", d.unseenInReference());
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
                    g.writeNumberField("referenceSize", r.referenceSize());
                    g.writeNumberField("currentSize", r.currentSize());
                    g.writeNumberField("referenceMissing", r.referenceMissing());
                    g.writeNumberField("currentMissing", r.currentMissing());
                }
                Histogram h = c.histogram();
                g.writeObjectFieldStart("histogram");
                g.writeArrayFieldStart("labels");
                for (String l : h.labels()) {
                    g.writeString(l);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("edges");
                for (double e : h.edges()) {
                    g.writeNumber(e);
                }
                g.writeEndArray();
                longs(g, "reference", h.reference());
                longs(g, "current", h.current());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumberField(field, v);
        } else {
            g.writeStringField(field, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void longs(JsonGenerator g, String field, List<Long> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (long v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    /** @return the report as one self-contained HTML document */
    public String toHtml() {
        return HtmlReport.render(this, createdAt);
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)) {
            return String.format(Locale.ROOT, "%.4f", v);
        }
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
