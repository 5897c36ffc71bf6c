package dev.mlops.core.monitor;

import static dev.mlops.core.monitor.MonitorSnapshotJson.MAX_NAME;
import static dev.mlops.core.monitor.MonitorSnapshotJson.count;
import static dev.mlops.core.monitor.MonitorSnapshotJson.quote;
import static dev.mlops.core.monitor.MonitorSnapshotJson.valid;

import dev.mlops.core.drift.BinCounts;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.ColumnProfile;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.internal.StrictJsonReader;
import dev.mlops.core.internal.StrictJsonWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The JSON form of a window's drift result ({@link WindowSnapshot#drift()}), part of
 * {@link MonitorSnapshotJson} from version 2: a {@link DatasetDriftResult} whole, so that a collector reads
 * back exactly the result the replica's detector gave.
 *
 * <pre>{@code
 * {"correction": "NONE", "driftShare": 0.5, "columns": [
 *   {"name": "amount",
 *    "result": {"method": "ks", "statistic": 0.21, "pValue": 0.003, "threshold": 0.05, "rule": "P_VALUE_BELOW",
 *               "referenceSize": 1000, "currentSize": 812, "referenceMissing": 0, "currentMissing": 3, "bins": null},
 *    "untestable": null,
 *    "reference": profile, "current": profile,
 *    "unseen": [{"category": "es", "count": 4}],
 *    "bins": {"labels": ["[0.0, 10.0)", ...], "edges": [0.0, 10.0, ...], "reference": [...], "current": [...]}}]}
 * }</pre>
 * Exactly one of {@code result} and {@code untestable} is an object, the other {@code null}; an
 * untestable column has {@code method}, {@code reason}, {@code detail} and the four sizes. A result's
 * {@code pValue} is {@code null} for a distance and its {@code bins} {@code null} for a test that read the
 * values; its {@code statistic} may be {@code "Infinity"}. A profile has {@code kind} ({@code numeric}
 * or {@code categorical}), {@code count}, {@code missing}, {@code distinct} and, numeric, {@code min},
 * {@code max}, {@code mean}, {@code std}, {@code quantiles} (an array), {@code integral}; categorical,
 * {@code top} (objects with {@code category} and {@code count}). Every field is required. Stateless.
 */
final class DriftJson {
    /** The most columns of one drift result. */
    static final int MAX_COLUMNS = 2 * MonitorSnapshotJson.MAX_FEATURES;
    /** The longest array of bins, quantiles, top or unseen categories (each element also takes the budget). */
    static final int MAX_ARRAY = 1 << 20;

    private static final String NUMERIC = "numeric";
    private static final String CATEGORICAL = "categorical";

    private DriftJson() {
    }

    // ---- writing ------------------------------------------------------------------------------------------

    static void write(StrictJsonWriter w, MonitorSnapshotJson.Budget budget, DatasetDriftResult d) {
        MonitorSnapshotJson.checkSize("drift columns", d.columns().size(), MAX_COLUMNS);
        w.writeStartObject();
        w.writeStringField("correction", d.correction().name());
        w.writeNumberField("driftShare", d.driftShare());
        w.writeArrayFieldStart("columns");
        for (ColumnDrift c : d.columns()) {
            writeColumn(w, budget, c);
        }
        w.writeEndArray();
        w.writeEndObject();
    }

    private static void writeColumn(StrictJsonWriter w, MonitorSnapshotJson.Budget budget, ColumnDrift c) {
        w.writeStartObject();
        MonitorSnapshotJson.writeName(w, "name", c.column());
        if (c.outcome() instanceof DriftResult r) {
            w.writeFieldName("result");
            writeResult(w, budget, r);
            w.writeNullField("untestable");
        } else {
            Untestable u = (Untestable) c.outcome();
            w.writeNullField("result");
            w.writeObjectFieldStart("untestable");
            MonitorSnapshotJson.writeName(w, "method", u.method());
            w.writeStringField("reason", u.reason().name());
            MonitorSnapshotJson.writeName(w, "detail", u.detail());
            writeSizes(w, u);
            w.writeEndObject();
        }
        w.writeFieldName("reference");
        writeProfile(w, budget, c.reference());
        w.writeFieldName("current");
        writeProfile(w, budget, c.current());
        MonitorSnapshotJson.checkSize("unseen categories of " + c.column(), c.unseen().size(), MAX_ARRAY);
        budget.counts(c.unseen().size(), "the unseen categories of a drift column");
        w.writeArrayFieldStart("unseen");
        for (ColumnProfile.CategoryCount u : c.unseen()) {
            writeCategoryCount(w, u);
        }
        w.writeEndArray();
        w.writeFieldName("bins");
        writeBins(w, budget, c.bins());
        w.writeEndObject();
    }

    private static void writeResult(StrictJsonWriter w, MonitorSnapshotJson.Budget budget, DriftResult r) {
        w.writeStartObject();
        MonitorSnapshotJson.writeName(w, "method", r.method());
        w.writeNumberOrNonFiniteField("statistic", r.statistic());
        if (r.pValue().isPresent()) {
            w.writeNumberField("pValue", r.pValue().getAsDouble());
        } else {
            w.writeNullField("pValue");
        }
        w.writeNumberOrNonFiniteField("threshold", r.threshold());
        w.writeStringField("rule", r.rule().name());
        writeSizes(w, r);
        if (r.bins().isPresent()) {
            w.writeFieldName("bins");
            writeBins(w, budget, r.bins().get());
        } else {
            w.writeNullField("bins");
        }
        w.writeEndObject();
    }

    private static void writeSizes(StrictJsonWriter w, DriftOutcome o) {
        w.writeNumberField("referenceSize", o.referenceSize());
        w.writeNumberField("currentSize", o.currentSize());
        w.writeNumberField("referenceMissing", o.referenceMissing());
        w.writeNumberField("currentMissing", o.currentMissing());
    }

    private static void writeProfile(StrictJsonWriter w, MonitorSnapshotJson.Budget budget, ColumnProfile p) {
        w.writeStartObject();
        w.writeStringField("kind", p instanceof ColumnProfile.Numeric ? NUMERIC : CATEGORICAL);
        w.writeNumberField("count", p.count());
        w.writeNumberField("missing", p.missing());
        w.writeNumberField("distinct", p.distinct());
        if (p instanceof ColumnProfile.Numeric n) {
            w.writeNumberField("min", n.min());
            w.writeNumberField("max", n.max());
            w.writeNumberField("mean", n.mean());
            w.writeNumberField("std", n.std());
            MonitorSnapshotJson.checkSize("profile quantiles", n.quantiles().size(), MAX_ARRAY);
            budget.counts(n.quantiles().size(), "a profile's quantiles");
            w.writeNumbersField("quantiles", n.quantiles().stream().mapToDouble(Double::doubleValue).toArray());
            w.writeBooleanField("integral", n.integral());
        } else {
            ColumnProfile.Categorical c = (ColumnProfile.Categorical) p;
            MonitorSnapshotJson.checkSize("profile top categories", c.top().size(), MAX_ARRAY);
            budget.counts(c.top().size(), "a profile's top categories");
            w.writeArrayFieldStart("top");
            for (ColumnProfile.CategoryCount t : c.top()) {
                writeCategoryCount(w, t);
            }
            w.writeEndArray();
        }
        w.writeEndObject();
    }

    private static void writeCategoryCount(StrictJsonWriter w, ColumnProfile.CategoryCount c) {
        w.writeStartObject();
        MonitorSnapshotJson.writeName(w, "category", c.category());
        w.writeNumberField("count", c.count());
        w.writeEndObject();
    }

    private static void writeBins(StrictJsonWriter w, MonitorSnapshotJson.Budget budget, BinCounts b) {
        MonitorSnapshotJson.checkSize("drift bins", b.size(), MAX_ARRAY);
        budget.counts(3L * b.size() + b.edges().size(), "drift bins");
        w.writeStartObject();
        w.writeArrayFieldStart("labels");
        for (String label : b.labels()) {
            MonitorSnapshotJson.checkName(label);
            w.writeString(label);
        }
        w.writeEndArray();
        w.writeNumbersField("edges", b.edges().stream().mapToDouble(Double::doubleValue).toArray());
        w.writeArrayFieldStart("reference");
        for (long c : b.reference()) {
            w.writeNumber(c);
        }
        w.writeEndArray();
        w.writeArrayFieldStart("current");
        for (long c : b.current()) {
            w.writeNumber(c);
        }
        w.writeEndArray();
        w.writeEndObject();
    }

    // ---- reading ------------------------------------------------------------------------------------------

    /** Reads a drift result, the next value. */
    static DatasetDriftResult read(StrictJsonReader r, MonitorSnapshotJson.Budget budget) {
        r.beginObject();
        MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
        Correction correction = null;
        double share = 0;
        List<ColumnDrift> columns = null;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "correction" -> correction = enumValue(r, Correction.class);
                case "driftShare" -> share = r.finiteDouble();
                case "columns" -> {
                    r.beginArray();
                    List<ColumnDrift> list = new ArrayList<>();
                    for (int i = 0; r.nextElement(i, MAX_COLUMNS); i++) {
                        MonitorSnapshotJson.expectObject(r, "a drift column");
                        list.add(readColumn(r, budget));
                    }
                    columns = list;
                }
                default -> r.skipUnknown();
            }
        }
        f.require(r, "correction", "driftShare", "columns");
        Correction c = correction;
        double s = share;
        List<ColumnDrift> cs = columns;
        return valid(r, () -> new DatasetDriftResult(cs, c, s));
    }

    /** Reads a column whose object the reader is on. */
    private static ColumnDrift readColumn(StrictJsonReader r, MonitorSnapshotJson.Budget budget) {
        MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
        String name = null;
        DriftResult result = null;
        Untestable untestable = null;
        ColumnProfile reference = null;
        ColumnProfile current = null;
        List<ColumnProfile.CategoryCount> unseen = null;
        BinCounts bins = null;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "name" -> name = r.string(MAX_NAME);
                case "result" -> result = nullOrObject(r) ? null : readResult(r, budget);
                case "untestable" -> untestable = nullOrObject(r) ? null : readUntestable(r);
                case "reference" -> reference = readProfile(r, budget);
                case "current" -> current = readProfile(r, budget);
                case "unseen" -> unseen = readCategoryCounts(r, budget, "unseen categories");
                case "bins" -> {
                    r.beginObject();
                    bins = readBins(r, budget);
                }
                default -> r.skipUnknown();
            }
        }
        f.require(r, "name", "result", "untestable", "reference", "current", "unseen", "bins");
        if ((result == null) == (untestable == null)) {
            throw r.fail("a drift column has exactly one of \"result\" and \"untestable\", found "
                    + (result == null ? "neither" : "both"));
        }
        String n = name;
        DriftOutcome outcome = result != null ? result : untestable;
        ColumnProfile ref = reference;
        ColumnProfile cur = current;
        List<ColumnProfile.CategoryCount> un = unseen;
        BinCounts b = bins;
        return valid(r, () -> new ColumnDrift(n, outcome, ref, cur, un, b));
    }

    /**
     * Moves to the next value: true when it is {@code null}; otherwise the reader is on the start of an
     * object, or this fails.
     */
    private static boolean nullOrObject(StrictJsonReader r) {
        if (r.nextIsNull()) {
            return true;
        }
        if (!r.isObjectStart()) {
            throw r.fail("expected an object or null");
        }
        return false;
    }

    /** Reads a result whose object the reader is on. */
    private static DriftResult readResult(StrictJsonReader r, MonitorSnapshotJson.Budget budget) {
        MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
        String method = null;
        double statistic = 0;
        OptionalDouble pValue = OptionalDouble.empty();
        double threshold = 0;
        Rule rule = null;
        long[] sizes = new long[4];
        Optional<BinCounts> bins = Optional.empty();
        while (r.nextField()) {
            String field = f.add(r);
            int size = SIZES.indexOf(field);
            if (size >= 0) {
                sizes[size] = count(r);
                continue;
            }
            switch (field) {
                case "method" -> method = r.string(MAX_NAME);
                case "statistic" -> statistic = r.doubleOrNonFinite();
                case "pValue" -> pValue = r.nextIsNull() ? OptionalDouble.empty()
                        : OptionalDouble.of(r.currentFiniteDouble());
                case "threshold" -> threshold = r.doubleOrNonFinite();
                case "rule" -> rule = enumValue(r, Rule.class);
                case "bins" -> bins = nullOrObject(r) ? Optional.empty() : Optional.of(readBins(r, budget));
                default -> r.skipUnknown();
            }
        }
        f.require(r, "method", "statistic", "pValue", "threshold", "rule", "referenceSize", "currentSize",
                "referenceMissing", "currentMissing", "bins");
        String m = method;
        double s = statistic;
        OptionalDouble p = pValue;
        double t = threshold;
        Rule u = rule;
        Optional<BinCounts> b = bins;
        return valid(r, () -> new DriftResult(m, s, p, t, u, sizes[0], sizes[1], sizes[2], sizes[3], b));
    }

    private static final List<String> SIZES = List.of("referenceSize", "currentSize", "referenceMissing",
            "currentMissing");

    /** Reads an untestable outcome whose object the reader is on. */
    private static Untestable readUntestable(StrictJsonReader r) {
        MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
        String method = null;
        Untestable.Reason reason = null;
        String detail = null;
        long[] sizes = new long[4];
        while (r.nextField()) {
            String field = f.add(r);
            int size = SIZES.indexOf(field);
            if (size >= 0) {
                sizes[size] = count(r);
                continue;
            }
            switch (field) {
                case "method" -> method = r.string(MAX_NAME);
                case "reason" -> reason = enumValue(r, Untestable.Reason.class);
                case "detail" -> detail = r.string(MAX_NAME);
                default -> r.skipUnknown();
            }
        }
        f.require(r, "method", "reason", "detail", "referenceSize", "currentSize", "referenceMissing",
                "currentMissing");
        String m = method;
        Untestable.Reason why = reason;
        String d = detail;
        return valid(r, () -> new Untestable(m, why, d, sizes[0], sizes[1], sizes[2], sizes[3]));
    }

    private static ColumnProfile readProfile(StrictJsonReader r, MonitorSnapshotJson.Budget budget) {
        r.beginObject();
        MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
        String kind = null;
        long count = 0;
        long missing = 0;
        long distinct = 0;
        double[] numbers = new double[4];
        List<Double> quantiles = null;
        boolean integral = false;
        List<ColumnProfile.CategoryCount> top = null;
        List<String> numberFields = List.of("min", "max", "mean", "std");
        while (r.nextField()) {
            String field = f.add(r);
            int number = numberFields.indexOf(field);
            if (number >= 0) {
                numbers[number] = r.finiteDouble();
                continue;
            }
            switch (field) {
                case "kind" -> {
                    kind = r.string(MAX_NAME);
                    if (!kind.equals(NUMERIC) && !kind.equals(CATEGORICAL)) {
                        throw r.fail("expected \"numeric\" or \"categorical\", found " + quote(kind));
                    }
                }
                case "count" -> count = count(r);
                case "missing" -> missing = count(r);
                case "distinct" -> distinct = count(r);
                case "quantiles" -> {
                    r.beginArray();
                    List<Double> list = new ArrayList<>();
                    for (int i = 0; r.nextElement(i, MAX_ARRAY); i++) {
                        budget.counts(1, r, "a profile's quantiles");
                        list.add(r.currentFiniteDouble());
                    }
                    quantiles = list;
                }
                case "integral" -> integral = r.booleanValue();
                case "top" -> top = readCategoryCounts(r, budget, "top categories");
                default -> r.skipUnknown();
            }
        }
        f.require(r, "kind", "count", "missing", "distinct");
        List<String> own = kind.equals(NUMERIC) ? List.of("min", "max", "mean", "std", "quantiles", "integral")
                : List.of("top");
        List<String> other = kind.equals(NUMERIC) ? List.of("top")
                : List.of("min", "max", "mean", "std", "quantiles", "integral");
        f.require(r, own.toArray(new String[0]));
        for (String field : other) {
            if (f.has(field)) {
                throw r.fail("a " + kind + " profile has no field \"" + field + "\"");
            }
        }
        long c = count;
        long m = missing;
        long d = distinct;
        if (kind.equals(NUMERIC)) {
            List<Double> q = quantiles;
            boolean whole = integral;
            return valid(r, () -> new ColumnProfile.Numeric(c, m, d, numbers[0], numbers[1], numbers[2], numbers[3], q,
                    whole));
        }
        List<ColumnProfile.CategoryCount> t = top;
        return valid(r, () -> new ColumnProfile.Categorical(c, m, d, t));
    }

    private static List<ColumnProfile.CategoryCount> readCategoryCounts(StrictJsonReader r,
            MonitorSnapshotJson.Budget budget, String what) {
        r.beginArray();
        List<ColumnProfile.CategoryCount> out = new ArrayList<>();
        for (int i = 0; r.nextElement(i, MAX_ARRAY); i++) {
            MonitorSnapshotJson.expectObject(r, "a category and its count");
            budget.counts(1, r, what);
            MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
            String category = null;
            long n = 0;
            while (r.nextField()) {
                switch (f.add(r)) {
                    case "category" -> category = r.string(MAX_NAME);
                    case "count" -> n = count(r);
                    default -> r.skipUnknown();
                }
            }
            f.require(r, "category", "count");
            String c = category;
            long k = n;
            out.add(valid(r, () -> new ColumnProfile.CategoryCount(c, k)));
        }
        return out;
    }

    /** Reads bins whose object the reader is on. */
    private static BinCounts readBins(StrictJsonReader r, MonitorSnapshotJson.Budget budget) {
        MonitorSnapshotJson.Fields f = new MonitorSnapshotJson.Fields();
        List<String> labels = null;
        List<Double> edges = null;
        List<Long> reference = null;
        List<Long> current = null;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "labels" -> {
                    r.beginArray();
                    List<String> list = new ArrayList<>();
                    for (int i = 0; r.nextElement(i, MAX_ARRAY); i++) {
                        budget.counts(1, r, "drift bins");
                        list.add(r.currentString(MAX_NAME));
                    }
                    labels = list;
                }
                case "edges" -> {
                    r.beginArray();
                    List<Double> list = new ArrayList<>();
                    for (int i = 0; r.nextElement(i, MAX_ARRAY); i++) {
                        budget.counts(1, r, "drift bin edges");
                        list.add(r.currentFiniteDouble());
                    }
                    edges = list;
                }
                case "reference" -> reference = readCounts(r, budget);
                case "current" -> current = readCounts(r, budget);
                default -> r.skipUnknown();
            }
        }
        f.require(r, "labels", "edges", "reference", "current");
        List<String> l = labels;
        List<Double> e = edges;
        List<Long> ref = reference;
        List<Long> cur = current;
        return valid(r, () -> new BinCounts(l, e, ref, cur));
    }

    private static List<Long> readCounts(StrictJsonReader r, MonitorSnapshotJson.Budget budget) {
        r.beginArray();
        List<Long> out = new ArrayList<>();
        for (int i = 0; r.nextElement(i, MAX_ARRAY); i++) {
            budget.counts(1, r, "drift bins");
            out.add(r.currentLong(0, Long.MAX_VALUE));
        }
        return out;
    }

    private static <E extends Enum<E>> E enumValue(StrictJsonReader r, Class<E> type) {
        String s = r.string(MAX_NAME);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        throw r.fail("expected one of " + Arrays.toString(type.getEnumConstants()) + ", found " + quote(s));
    }
}
