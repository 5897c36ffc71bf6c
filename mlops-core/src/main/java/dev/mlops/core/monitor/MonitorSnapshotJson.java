package dev.mlops.core.monitor;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonReader;
import dev.mlops.core.internal.StrictJsonWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The versioned JSON form of {@link MonitorSnapshot} and {@link WindowSnapshot}, so that replicas can ship
 * their snapshots to a collector, which reads and {@linkplain WindowSnapshot#merge(WindowSnapshot) merges}
 * them. Every count and sketch bucket travels exactly, and every double as {@link Double#toString} writes
 * it, so {@code read(write(s)).equals(s)}, and merging read snapshots gives exactly what merging the
 * originals gives.
 *
 * <pre>{@code
 * String json = MonitorSnapshotJson.write(monitor.snapshot());           // on a replica
 * MonitorSnapshot s = MonitorSnapshotJson.read(json);                   // on the collector
 * WindowSnapshot fleet = s.current().merge(MonitorSnapshotJson.readWindow(otherReplicaWindowJson));
 * }</pre>
 *
 * <p><b>The format</b> is one line of JSON. A snapshot:
 * <pre>{@code
 * {"format": "mlops.monitor.snapshot", "version": 2, "at": "2026-03-01T12:05:30Z",
 *  "closed": [window, ...], "current": window, "cumulative": window, "outcomes": outcome counts}
 * }</pre>
 * A window alone is {@code {"format": "mlops.monitor.window", "version": 2, ...}} with a window's fields.
 * Its parts:
 * <ul>
 *   <li>window: {@code start}, {@code end} (ISO-8601 instants in UTC, as {@link Instant#toString()}
 *       writes them), {@code predictions}, {@code failures} (counts), {@code latencyNanos} (sketch),
 *       {@code score} (numeric summary), {@code predictedClasses} (categorical summary), {@code numeric}
 *       and {@code categorical} (arrays of summaries, in schema order), {@code outcomes}, and, only when the
 *       window carries a drift result, {@code drift}: the {@link dev.mlops.core.drift.dataset.DatasetDriftResult}
 *       whole, {@code correction}, {@code driftShare} and {@code columns}, each column with {@code name},
 *       {@code result} or {@code untestable} (the other {@code null}), {@code reference} and
 *       {@code current} profiles, {@code unseen} categories and {@code bins};</li>
 *   <li>window outcomes: {@code invalidScores}, {@code invalidActuals}, {@code late}, {@code duplicate},
 *       {@code unknown} (counts) and, for a monitor with a model kind, {@code classification}
 *       ({@code kind} {@code binary} with {@code threshold}, {@code bins}, {@code confusion},
 *       {@code negativeBins}, {@code positiveBins} (sparse pairs) and {@code logLossSum}, or
 *       {@code multiClass} with {@code confusion}) or {@code regression} ({@code count},
 *       {@code absoluteErrorSum}, {@code squaredErrorSum}, {@code absolutePercentageErrorSum});</li>
 *   <li>outcome counts (monitor-wide): {@code offered}, {@code joined}, {@code late}, {@code duplicate},
 *       {@code unknown}, {@code expired}, {@code evicted};</li>
 *   <li>numeric summary: {@code name}, {@code missing}, {@code infinite}, {@code outOfRange}, {@code mean},
 *       {@code m2}, {@code values}: a signed sketch, {@code {"layout": layout, "negative": parts,
 *       "positive": parts}};</li>
 *   <li>categorical summary: {@code name}, {@code counts} (an object from each known category to its
 *       count, in index order), {@code missing}, {@code unseen}, {@code newCategories} (an object from
 *       name to count, in name order);</li>
 *   <li>sketch: {@code layout} and the sketch's parts; parts: {@code zeroCount}, {@code belowRangeCount},
 *       {@code aboveRangeCount}, {@code negativeCount}, {@code nonFiniteCount}, {@code sum}, {@code min},
 *       {@code max}, and {@code buckets}, the non-zero buckets only, as {@code [index, count]} pairs in
 *       ascending index order, so that an idle window is small;</li>
 *   <li>layout: {@code lowest}, {@code highest}, {@code subBucketBits}, as {@link SketchLayout} holds
 *       them.</li>
 * </ul>
 * Non-finite numbers (the mean of nothing, the min of an empty sketch, a sum that overflowed) are the
 * strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}; every other number is a JSON number.
 * Every field is required but a window's {@code drift} and its outcomes' metrics, none may appear
 * twice, and an unknown field is an error.
 *
 * <p><b>Versions.</b> Version 2 added a window's {@code drift}; everything else is as in version 1.
 * Both are read (a version 1 document with a {@code drift} field is refused); version 2 is written, so a
 * reader of version 1 refuses a new document by its version rather than by an unknown field.
 *
 * <p><b>Reading is strict</b>, for a collector reads what the network hands it: a wrong type, a missing,
 * duplicate or unknown field, a count out of range, buckets outside their layout or out of order, parts
 * that disagree (counts adding up past {@link Long#MAX_VALUE}, a mean without values) each give an
 * {@link InvalidFormatException} of one line naming the field's JSON Pointer (a duplicate is named by its
 * field) and the character offset. Sizes are limited before anything is allocated for them, so that a
 * hostile document cannot exhaust memory: {@link #MAX_CHARS} characters, {@link #MAX_WINDOWS} closed
 * windows, {@link #MAX_FEATURES} features of each kind, {@link #MAX_CATEGORIES} categories and
 * {@link #MAX_NEW_CATEGORIES} new categories per feature, {@link #MAX_COUNTS} bucket and bin counts held
 * in all, and {@link #MAX_CATEGORY_CHECKS} for the categories times the new categories checked against
 * them, summed over the document. {@code write} refuses a snapshot beyond these limits with an
 * {@link IllegalArgumentException}, so that nothing is written that {@code read} refuses; a monitor that
 * keeps more windows than fit ships them one {@link #write(WindowSnapshot) window} at a time.
 *
 * <p>Stateless and thread-safe.
 */
public final class MonitorSnapshotJson {
    /** The {@code format} of a snapshot document. */
    public static final String SNAPSHOT_FORMAT = "mlops.monitor.snapshot";
    /** The {@code format} of a window document. */
    public static final String WINDOW_FORMAT = "mlops.monitor.window";
    /** The version written: 2, which adds each window's optional {@code drift}. */
    public static final int VERSION = 2;
    /** The oldest version read: 1, whose windows have no {@code drift}. */
    public static final int OLDEST_VERSION_READ = 1;
    /** The longest document read or written, in characters. */
    public static final int MAX_CHARS = 64 << 20;
    /** The most closed windows in a snapshot. */
    public static final int MAX_WINDOWS = 100_000;
    /** The most numeric features, and the most categorical features, in a window. */
    public static final int MAX_FEATURES = 10_000;
    /** The most known categories (or classes) of one categorical summary. */
    public static final int MAX_CATEGORIES = 10_000;
    /** The most new categories counted by name in one categorical summary. */
    public static final int MAX_NEW_CATEGORIES = 10_000;
    /**
     * The most bucket and bin counts a document may hold in all (64 MiB of counts): the span from the first
     * to the last non-zero bucket of each sketch, and the bins and confusion matrix cells of each
     * classification snapshot.
     */
    public static final long MAX_COUNTS = 8L << 20;
    /** The most categories times new categories, summed over a document's categorical summaries. */
    public static final long MAX_CATEGORY_CHECKS = 64L << 20;

    private static final JsonFormat SNAPSHOT = new JsonFormat(SNAPSHOT_FORMAT, VERSION, OLDEST_VERSION_READ);
    private static final JsonFormat WINDOW = new JsonFormat(WINDOW_FORMAT, VERSION, OLDEST_VERSION_READ);
    private static final String SNAPSHOT_DOCUMENT = "monitor snapshot JSON";
    private static final String WINDOW_DOCUMENT = "monitor window JSON";
    static final int MAX_NAME = StrictJsonReader.MAX_STRING_LENGTH;
    private static final int MAX_INSTANT = 64;

    private MonitorSnapshotJson() {
    }

    // ---- public entry points ------------------------------------------------------------------------------

    /**
     * @param snapshot a monitor's snapshot
     * @return its JSON form, one line
     * @throws IllegalArgumentException when it is beyond the format's limits (see the class description)
     */
    public static String write(MonitorSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.closed().size() > MAX_WINDOWS) {
            throw new IllegalArgumentException("a snapshot of " + snapshot.closed().size() + " closed windows is more"
                    + " than the " + MAX_WINDOWS + " its JSON form holds; write the windows one at a time");
        }
        Budget budget = Budget.forWriting();
        return checkLength(SNAPSHOT.writeCompact(w -> {
            w.writeStringField("at", snapshot.at().toString());
            w.writeArrayFieldStart("closed");
            for (WindowSnapshot window : snapshot.closed()) {
                writeWindow(w, budget, window);
            }
            w.writeEndArray();
            w.writeFieldName("current");
            writeWindow(w, budget, snapshot.current());
            w.writeFieldName("cumulative");
            writeWindow(w, budget, snapshot.cumulative());
            writeOutcomeCounts(w, "outcomes", snapshot.outcomes());
        }));
    }

    /**
     * @param json a document written by {@link #write(MonitorSnapshot)}
     * @return the snapshot
     * @throws InvalidFormatException when it is not a valid snapshot document of this version, naming the
     *     field at fault
     */
    public static MonitorSnapshot read(String json) {
        Objects.requireNonNull(json, "json");
        try (StrictJsonReader r = SNAPSHOT.reader(SNAPSHOT_DOCUMENT, json, MAX_CHARS)) {
            Budget budget = Budget.forReading(r);
            Fields f = new Fields();
            Instant at = null;
            List<WindowSnapshot> closed = List.of();
            WindowSnapshot current = null;
            WindowSnapshot cumulative = null;
            OutcomeCounts outcomes = null;
            r.beginObject();
            while (r.nextField()) {
                switch (f.add(r)) {
                    case "at" -> at = instant(r);
                    case "closed" -> closed = readWindows(r, budget);
                    case "current" -> current = readWindow(r, budget);
                    case "cumulative" -> cumulative = readWindow(r, budget);
                    case "outcomes" -> outcomes = readOutcomeCounts(r);
                    default -> r.skipUnknown();
                }
            }
            r.checkHeader();
            budget.checkVersion(r);
            f.require(r, "at", "closed", "current", "cumulative", "outcomes");
            Instant a = at;
            List<WindowSnapshot> c = closed;
            WindowSnapshot now = current;
            WindowSnapshot all = cumulative;
            OutcomeCounts counts = outcomes;
            MonitorSnapshot snapshot = valid(r, () -> new MonitorSnapshot(a, c, now, all, counts));
            r.endDocument();
            return snapshot;
        }
    }

    /**
     * @param window one window of a snapshot
     * @return its JSON form, one line, in the format {@value #WINDOW_FORMAT}
     * @throws IllegalArgumentException when it is beyond the format's limits (see the class description)
     */
    public static String write(WindowSnapshot window) {
        Objects.requireNonNull(window, "window");
        Budget budget = Budget.forWriting();
        return checkLength(WINDOW.writeCompact(w -> writeWindowFields(w, budget, window)));
    }

    /**
     * @param json a document written by {@link #write(WindowSnapshot)}
     * @return the window
     * @throws InvalidFormatException when it is not a valid window document of this version, naming the
     *     field at fault
     */
    public static WindowSnapshot readWindow(String json) {
        Objects.requireNonNull(json, "json");
        try (StrictJsonReader r = WINDOW.reader(WINDOW_DOCUMENT, json, MAX_CHARS)) {
            Budget budget = Budget.forReading(r);
            r.beginObject();
            WindowParts parts = readWindowFields(r, budget);
            r.checkHeader();
            budget.checkVersion(r);
            WindowSnapshot window = parts.build(r);
            r.endDocument();
            return window;
        }
    }

    private static String checkLength(String json) {
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the JSON form is " + json.length() + " characters, more than the "
                    + MAX_CHARS + " read back; write fewer windows at a time");
        }
        return json;
    }

    // ---- windows ------------------------------------------------------------------------------------------

    static void writeWindow(StrictJsonWriter w, Budget budget, WindowSnapshot window) {
        w.writeStartObject();
        writeWindowFields(w, budget, window);
        w.writeEndObject();
    }

    private static void writeWindowFields(StrictJsonWriter w, Budget budget, WindowSnapshot window) {
        checkSize("numeric features", window.numeric().size(), MAX_FEATURES);
        checkSize("categorical features", window.categorical().size(), MAX_FEATURES);
        w.writeStringField("start", window.start().toString());
        w.writeStringField("end", window.end().toString());
        w.writeNumberField("predictions", window.predictions());
        w.writeNumberField("failures", window.failures());
        w.writeFieldName("latencyNanos");
        writeSketch(w, budget, window.latencyNanos());
        w.writeFieldName("score");
        writeNumeric(w, budget, window.score());
        w.writeFieldName("predictedClasses");
        writeCategorical(w, budget, window.predictedClasses());
        w.writeArrayFieldStart("numeric");
        for (NumericSummary s : window.numeric()) {
            writeNumeric(w, budget, s);
        }
        w.writeEndArray();
        w.writeArrayFieldStart("categorical");
        for (CategoricalSummary s : window.categorical()) {
            writeCategorical(w, budget, s);
        }
        w.writeEndArray();
        writeWindowOutcomes(w, budget, window.outcomes());
        if (window.drift().isPresent()) {
            w.writeFieldName("drift");
            DriftJson.write(w, budget, window.drift().get());
        }
    }

    /**
     * Writes a window's outcomes: {@code {"invalidScores", "invalidActuals", "late", "duplicate",
     * "unknown"}} and, when the monitor has a model kind, {@code "classification"} or {@code "regression"}.
     */
    static void writeWindowOutcomes(StrictJsonWriter w, Budget budget, WindowOutcomes o) {
        w.writeObjectFieldStart("outcomes");
        w.writeNumberField("invalidScores", o.invalidScores());
        w.writeNumberField("invalidActuals", o.invalidActuals());
        w.writeNumberField("late", o.late());
        w.writeNumberField("duplicate", o.duplicate());
        w.writeNumberField("unknown", o.unknown());
        o.classification().ifPresent(c -> writeClassification(w, budget, "classification", c));
        o.regression().ifPresent(reg -> writeRegression(w, "regression", reg));
        w.writeEndObject();
    }

    /** Reads what {@link #writeWindowOutcomes} writes; the metrics are optional, the counts required. */
    static WindowOutcomes readWindowOutcomes(StrictJsonReader r, Budget budget) {
        r.beginObject();
        Fields f = new Fields();
        long[] v = new long[5];
        List<String> names = List.of("invalidScores", "invalidActuals", "late", "duplicate", "unknown");
        Optional<ClassificationSnapshot> classification = Optional.empty();
        Optional<RegressionSnapshot> regression = Optional.empty();
        while (r.nextField()) {
            String field = f.add(r);
            int i = names.indexOf(field);
            if (i >= 0) {
                v[i] = count(r);
            } else if (field.equals("classification")) {
                classification = Optional.of(readClassification(r, budget));
            } else if (field.equals("regression")) {
                regression = Optional.of(readRegression(r));
            } else {
                r.skipUnknown();
            }
        }
        f.require(r, names.toArray(new String[0]));
        Optional<ClassificationSnapshot> c = classification;
        Optional<RegressionSnapshot> g = regression;
        return valid(r, () -> new WindowOutcomes(c, g, v[0], v[1], v[2], v[3], v[4]));
    }

    private static List<WindowSnapshot> readWindows(StrictJsonReader r, Budget budget) {
        r.beginArray();
        List<WindowSnapshot> out = new ArrayList<>();
        for (int i = 0; r.nextElement(i, MAX_WINDOWS); i++) {
            out.add(readWindowAfterStart(r, budget));
        }
        return out;
    }

    static WindowSnapshot readWindow(StrictJsonReader r, Budget budget) {
        r.beginObject();
        return readWindowFields(r, budget).build(r);
    }

    /** Reads a window whose start the reader is on (an element moved to by {@code nextElement}). */
    private static WindowSnapshot readWindowAfterStart(StrictJsonReader r, Budget budget) {
        if (!r.isObjectStart()) {
            throw r.fail("expected a window, an object");
        }
        return readWindowFields(r, budget).build(r);
    }

    /** What a window object held, checked for presence when it is built. */
    private static final class WindowParts {
        private final Fields fields = new Fields();
        private Instant start;
        private Instant end;
        private long predictions;
        private long failures;
        private WindowOutcomes outcomes;
        private QuantileSketchSnapshot latencyNanos;
        private NumericSummary score;
        private CategoricalSummary predictedClasses;
        private List<NumericSummary> numeric;
        private List<CategoricalSummary> categorical;
        private DatasetDriftResult drift;

        WindowSnapshot build(StrictJsonReader r) {
            fields.require(r, "start", "end", "predictions", "failures", "latencyNanos", "score",
                    "predictedClasses", "numeric", "categorical", "outcomes");
            sum(r, "predictions and failures", predictions, failures);
            return valid(r, () -> new WindowSnapshot(start, end, predictions, failures, latencyNanos, score,
                    predictedClasses, numeric, categorical, outcomes, Optional.ofNullable(drift)));
        }
    }

    /** Reads a window's fields up to the end of its object. */
    private static WindowParts readWindowFields(StrictJsonReader r, Budget budget) {
        WindowParts p = new WindowParts();
        while (r.nextField()) {
            switch (p.fields.add(r)) {
                case "start" -> p.start = instant(r);
                case "end" -> p.end = instant(r);
                case "predictions" -> p.predictions = count(r);
                case "failures" -> p.failures = count(r);
                case "outcomes" -> p.outcomes = readWindowOutcomes(r, budget);
                case "drift" -> {
                    budget.driftAt(r.path());
                    p.drift = DriftJson.read(r, budget);
                }
                case "latencyNanos" -> p.latencyNanos = readSketch(r, budget);
                case "score" -> p.score = readNumeric(r, budget);
                case "predictedClasses" -> p.predictedClasses = readCategorical(r, budget);
                case "numeric" -> {
                    r.beginArray();
                    List<NumericSummary> list = new ArrayList<>();
                    for (int i = 0; r.nextElement(i, MAX_FEATURES); i++) {
                        expectObject(r, "a numeric summary");
                        list.add(readNumericFields(r, budget));
                    }
                    p.numeric = list;
                }
                case "categorical" -> {
                    r.beginArray();
                    List<CategoricalSummary> list = new ArrayList<>();
                    for (int i = 0; r.nextElement(i, MAX_FEATURES); i++) {
                        expectObject(r, "a categorical summary");
                        list.add(readCategoricalFields(r, budget));
                    }
                    p.categorical = list;
                }
                default -> r.skipUnknown();
            }
        }
        return p;
    }

    // ---- numeric and categorical summaries ------------------------------------------------------------------

    static void writeNumeric(StrictJsonWriter w, Budget budget, NumericSummary s) {
        w.writeStartObject();
        writeName(w, "name", s.name());
        w.writeNumberField("missing", s.missing());
        w.writeNumberField("infinite", s.infinite());
        w.writeNumberField("outOfRange", s.outOfRange());
        w.writeNumberOrNonFiniteField("mean", s.mean());
        w.writeNumberOrNonFiniteField("m2", s.m2());
        w.writeFieldName("values");
        writeSigned(w, budget, s.values());
        w.writeEndObject();
    }

    static NumericSummary readNumeric(StrictJsonReader r, Budget budget) {
        r.beginObject();
        return readNumericFields(r, budget);
    }

    private static NumericSummary readNumericFields(StrictJsonReader r, Budget budget) {
        Fields f = new Fields();
        String name = null;
        long missing = 0;
        long infinite = 0;
        long outOfRange = 0;
        double mean = Double.NaN;
        double m2 = 0;
        SignedSketchSnapshot values = null;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "name" -> name = r.string(MAX_NAME);
                case "missing" -> missing = count(r);
                case "infinite" -> infinite = count(r);
                case "outOfRange" -> outOfRange = count(r);
                case "mean" -> mean = r.doubleOrNonFinite();
                case "m2" -> m2 = r.doubleOrNonFinite();
                case "values" -> values = readSigned(r, budget);
                default -> r.skipUnknown();
            }
        }
        f.require(r, "name", "missing", "infinite", "outOfRange", "mean", "m2", "values");
        sum(r, "values, missing and infinite", values.count(), missing, infinite);
        String n = name;
        long mi = missing;
        long inf = infinite;
        long out = outOfRange;
        double mu = mean;
        double sq = m2;
        SignedSketchSnapshot v = values;
        return valid(r, () -> new NumericSummary(n, mi, inf, out, mu, sq, v));
    }

    static void writeCategorical(StrictJsonWriter w, Budget budget, CategoricalSummary s) {
        checkSize(s.name() + ": categories", s.categories().size(), MAX_CATEGORIES);
        checkSize(s.name() + ": new categories", s.newCategories().size(), MAX_NEW_CATEGORIES);
        budget.checks((long) s.categories().size() * s.newCategories().size(), s.name());
        w.writeStartObject();
        writeName(w, "name", s.name());
        w.writeObjectFieldStart("counts");
        for (int i = 0; i < s.categories().size(); i++) {
            checkName(s.categories().get(i));
            w.writeNumberField(s.categories().get(i), s.counts().get(i));
        }
        w.writeEndObject();
        w.writeNumberField("missing", s.missing());
        w.writeNumberField("unseen", s.unseen());
        w.writeObjectFieldStart("newCategories");
        for (Map.Entry<String, Long> e : new TreeMap<>(s.newCategories()).entrySet()) {
            checkName(e.getKey());
            w.writeNumberField(e.getKey(), e.getValue());
        }
        w.writeEndObject();
        w.writeEndObject();
    }

    static CategoricalSummary readCategorical(StrictJsonReader r, Budget budget) {
        r.beginObject();
        return readCategoricalFields(r, budget);
    }

    private static CategoricalSummary readCategoricalFields(StrictJsonReader r, Budget budget) {
        Fields f = new Fields();
        String name = null;
        List<String> categories = null;
        List<Long> counts = null;
        long missing = 0;
        long unseen = 0;
        Map<String, Long> named = null;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "name" -> name = r.string(MAX_NAME);
                case "counts" -> {
                    r.beginObject();
                    List<String> names = new ArrayList<>();
                    List<Long> list = new ArrayList<>();
                    while (r.nextField()) {
                        if (names.size() == MAX_CATEGORIES) {
                            throw r.fail("more than " + MAX_CATEGORIES + " categories, the limit");
                        }
                        names.add(r.field());
                        list.add(count(r));
                    }
                    categories = names;
                    counts = list;
                }
                case "missing" -> missing = count(r);
                case "unseen" -> unseen = count(r);
                case "newCategories" -> {
                    r.beginObject();
                    Map<String, Long> map = new TreeMap<>();
                    while (r.nextField()) {
                        if (map.size() == MAX_NEW_CATEGORIES) {
                            throw r.fail("more than " + MAX_NEW_CATEGORIES + " new categories, the limit");
                        }
                        map.put(r.field(), count(r));
                    }
                    named = map;
                }
                default -> r.skipUnknown();
            }
        }
        f.require(r, "name", "counts", "missing", "unseen", "newCategories");
        // the summary checks each new category against the list of known ones: quadratic, hence the budget
        budget.checks((long) categories.size() * named.size(), name);
        Set<String> known = new HashSet<>(categories);
        for (String c : named.keySet()) {
            if (known.contains(c)) {
                throw r.fail("new category " + quote(c) + " is a known category");
            }
        }
        long[] parts = new long[counts.size() + 2];
        for (int i = 0; i < counts.size(); i++) {
            parts[i] = counts.get(i);
        }
        parts[counts.size()] = missing;
        parts[counts.size() + 1] = unseen;
        sum(r, "counts, missing and unseen", parts);
        long newTotal = sum(r, "new category counts", named.values().stream().mapToLong(Long::longValue).toArray());
        if (newTotal > unseen) {
            throw r.fail("new categories count " + newTotal + " values, more than the " + unseen + " unseen");
        }
        String n = name;
        List<String> cs = categories;
        List<Long> ns = counts;
        long mi = missing;
        long un = unseen;
        Map<String, Long> nc = named;
        return valid(r, () -> new CategoricalSummary(n, cs, ns, mi, un, nc));
    }

    // ---- sketches -----------------------------------------------------------------------------------------

    static void writeLayout(StrictJsonWriter w, SketchLayout layout) {
        w.writeStartObject();
        w.writeNumberField("lowest", layout.lowest());
        w.writeNumberField("highest", layout.highest());
        w.writeNumberField("subBucketBits", layout.subBucketBits());
        w.writeEndObject();
    }

    static SketchLayout readLayout(StrictJsonReader r) {
        r.beginObject();
        Fields f = new Fields();
        double lowest = 0;
        double highest = 0;
        int bits = 0;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "lowest" -> lowest = r.finiteDouble();
                case "highest" -> highest = r.finiteDouble();
                case "subBucketBits" -> bits = r.intValue(0, SketchLayout.MAX_SUB_BUCKET_BITS);
                default -> r.skipUnknown();
            }
        }
        f.require(r, "lowest", "highest", "subBucketBits");
        double lo = lowest;
        double hi = highest;
        int b = bits;
        SketchLayout layout = valid(r, () -> new SketchLayout(lo, hi, b));
        if (Double.compare(layout.lowest(), lowest) != 0 || Double.compare(layout.highest(), highest) != 0) {
            throw r.fail("expected the bucket edges of the layout, lowest " + layout.lowest() + " and highest "
                    + layout.highest() + ", found " + lowest + " and " + highest);
        }
        return layout;
    }

    /** Writes a sketch with its layout. */
    static void writeSketch(StrictJsonWriter w, Budget budget, QuantileSketchSnapshot s) {
        w.writeStartObject();
        w.writeFieldName("layout");
        writeLayout(w, s.layout());
        writeSketchParts(w, budget, s);
        w.writeEndObject();
    }

    /** Reads a sketch with its layout. */
    static QuantileSketchSnapshot readSketch(StrictJsonReader r, Budget budget) {
        r.beginObject();
        SketchParts parts = readSketchParts(r, true);
        return parts.build(r, budget, parts.layout, "");
    }

    static void writeSigned(StrictJsonWriter w, Budget budget, SignedSketchSnapshot s) {
        w.writeStartObject();
        w.writeFieldName("layout");
        writeLayout(w, s.layout());
        w.writeFieldName("negative");
        w.writeStartObject();
        writeSketchParts(w, budget, s.negative());
        w.writeEndObject();
        w.writeFieldName("positive");
        w.writeStartObject();
        writeSketchParts(w, budget, s.positive());
        w.writeEndObject();
        w.writeEndObject();
    }

    static SignedSketchSnapshot readSigned(StrictJsonReader r, Budget budget) {
        r.beginObject();
        Fields f = new Fields();
        SketchLayout layout = null;
        SketchParts negative = null;
        SketchParts positive = null;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "layout" -> layout = readLayout(r);
                case "negative" -> {
                    r.beginObject();
                    negative = readSketchParts(r, false);
                }
                case "positive" -> {
                    r.beginObject();
                    positive = readSketchParts(r, false);
                }
                default -> r.skipUnknown();
            }
        }
        f.require(r, "layout", "negative", "positive");
        QuantileSketchSnapshot neg = negative.build(r, budget, layout, "negative: ");
        QuantileSketchSnapshot pos = positive.build(r, budget, layout, "positive: ");
        return valid(r, () -> new SignedSketchSnapshot(neg, pos));
    }

    private static void writeSketchParts(StrictJsonWriter w, Budget budget, QuantileSketchSnapshot s) {
        long[] counts = s.bucketCounts();
        budget.counts(counts.length, "a sketch's buckets");
        w.writeNumberField("zeroCount", s.zeroCount());
        w.writeNumberField("belowRangeCount", s.belowRangeCount());
        w.writeNumberField("aboveRangeCount", s.aboveRangeCount());
        w.writeNumberField("negativeCount", s.negativeCount());
        w.writeNumberField("nonFiniteCount", s.nonFiniteCount());
        w.writeNumberOrNonFiniteField("sum", s.sum());
        w.writeNumberOrNonFiniteField("min", s.min());
        w.writeNumberOrNonFiniteField("max", s.max());
        writeSparse(w, "buckets", s.firstBucket(), counts);
    }

    /** The parts of a sketch as read, built once its layout is known. */
    private static final class SketchParts {
        private final Fields fields = new Fields();
        private SketchLayout layout;
        private long zero;
        private long below;
        private long above;
        private long negative;
        private long nonFinite;
        private double sum;
        private double min;
        private double max;
        private Sparse buckets;

        QuantileSketchSnapshot build(StrictJsonReader r, Budget budget, SketchLayout of, String part) {
            long[] dense = buckets.dense(r, budget, of.bucketCount(), part + "bucket", "buckets of the layout");
            int first = buckets.first();
            return valid(r, () -> new QuantileSketchSnapshot(of, zero, below, first, dense, above, negative, nonFinite,
                    sum, min, max));
        }
    }

    private static SketchParts readSketchParts(StrictJsonReader r, boolean withLayout) {
        SketchParts p = new SketchParts();
        while (r.nextField()) {
            switch (p.fields.add(r)) {
                case "layout" -> {
                    if (!withLayout) {
                        r.skipUnknown();
                    } else {
                        p.layout = readLayout(r);
                    }
                }
                case "zeroCount" -> p.zero = count(r);
                case "belowRangeCount" -> p.below = count(r);
                case "aboveRangeCount" -> p.above = count(r);
                case "negativeCount" -> p.negative = count(r);
                case "nonFiniteCount" -> p.nonFinite = count(r);
                case "sum" -> p.sum = r.doubleOrNonFinite();
                case "min" -> p.min = r.doubleOrNonFinite();
                case "max" -> p.max = r.doubleOrNonFinite();
                case "buckets" -> p.buckets = readSparse(r, SketchLayout.MAX_BUCKETS);
                default -> r.skipUnknown();
            }
        }
        if (withLayout) {
            p.fields.require(r, "layout");
        }
        p.fields.require(r, "zeroCount", "belowRangeCount", "aboveRangeCount", "negativeCount", "nonFiniteCount", "sum",
                "min", "max", "buckets");
        sum(r, "the sketch's counts", p.zero, p.below, p.above, p.negative, p.nonFinite);
        return p;
    }

    // ---- outcomes: for windows that carry them ---------------------------------------------------------------

    /**
     * Writes a classification snapshot's raw parts: {@code {"kind": "binary", "threshold", "bins",
     * "confusion": [[tn, fp], [fn, tp]], "negativeBins", "positiveBins", "logLossSum"}} with the bins as
     * sparse {@code [index, count]} pairs, or {@code {"kind": "multiClass", "confusion": [[...], ...]}}
     * with the matrix's rows in actual-class order.
     */
    static void writeClassification(StrictJsonWriter w, Budget budget, String field, ClassificationSnapshot s) {
        int k = s.classes();
        budget.counts((long) k * k + 2L * s.bins(), "a classification snapshot's bins and confusion matrix");
        w.writeObjectFieldStart(field);
        w.writeStringField("kind", s.isBinary() ? "binary" : "multiClass");
        if (s.isBinary()) {
            w.writeNumberField("threshold", s.threshold());
            w.writeNumberField("bins", s.bins());
        }
        w.writeArrayFieldStart("confusion");
        for (long[] row : s.confusionMatrix()) {
            w.writeStartArray();
            for (long c : row) {
                w.writeNumber(c);
            }
            w.writeEndArray();
        }
        w.writeEndArray();
        if (s.isBinary()) {
            writeSparse(w, "negativeBins", 0, s.negativeBinCounts());
            writeSparse(w, "positiveBins", 0, s.positiveBinCounts());
            w.writeNumberField("logLossSum", s.logLossSum());
        }
        w.writeEndObject();
    }

    /** Reads what {@link #writeClassification} writes, rebuilt with {@code binary(...)} or {@code multiClass(...)}. */
    static ClassificationSnapshot readClassification(StrictJsonReader r, Budget budget) {
        r.beginObject();
        Fields f = new Fields();
        String kind = null;
        double threshold = 0;
        int bins = 0;
        long[][] confusion = null;
        Sparse negative = null;
        Sparse positive = null;
        double logLossSum = 0;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "kind" -> {
                    kind = r.string(16);
                    if (!kind.equals("binary") && !kind.equals("multiClass")) {
                        throw r.fail("expected \"binary\" or \"multiClass\"");
                    }
                }
                case "threshold" -> threshold = r.finiteDouble();
                case "bins" -> bins = r.intValue(1, ClassificationSnapshot.MAX_BINS);
                case "confusion" -> confusion = readMatrix(r, budget);
                case "negativeBins" -> negative = readSparse(r, ClassificationSnapshot.MAX_BINS);
                case "positiveBins" -> positive = readSparse(r, ClassificationSnapshot.MAX_BINS);
                case "logLossSum" -> logLossSum = r.finiteDouble();
                default -> r.skipUnknown();
            }
        }
        f.require(r, "kind", "confusion");
        long[][] m = confusion;
        if (kind.equals("multiClass")) {
            for (String binaryOnly : List.of("threshold", "bins", "negativeBins", "positiveBins", "logLossSum")) {
                if (f.has(binaryOnly)) {
                    throw r.fail("field \"" + binaryOnly + "\" is not a field of a multi-class snapshot");
                }
            }
            return valid(r, () -> ClassificationSnapshot.multiClass(m));
        }
        f.require(r, "threshold", "bins", "negativeBins", "positiveBins", "logLossSum");
        if (m.length != 2) {
            throw r.fail("a binary snapshot's confusion matrix is 2 x 2, found " + m.length + " x " + m.length);
        }
        budget.counts(2L * bins, r, "the bins");
        long[] n = negative.full(r, bins, "negativeBins index");
        long[] p = positive.full(r, bins, "positiveBins index");
        double t = threshold;
        double loss = logLossSum;
        return valid(r, () -> ClassificationSnapshot.binary(t, m[0][0], m[0][1], m[1][0], m[1][1], n, p, loss));
    }

    private static long[][] readMatrix(StrictJsonReader r, Budget budget) {
        r.beginArray();
        List<long[]> rows = new ArrayList<>();
        int k = -1;
        for (int a = 0; r.nextElement(a, ClassificationSnapshot.MAX_CLASSES); a++) {
            if (!r.isArrayStart()) {
                throw r.fail("expected a row of the confusion matrix, an array of counts");
            }
            long[] row = new long[k < 0 ? ClassificationSnapshot.MAX_CLASSES : k];
            int n = 0;
            while (r.nextElement(n, row.length)) {
                row[n++] = r.currentLong(0, Long.MAX_VALUE);
            }
            if (k < 0) {
                k = n;
                budget.counts((long) k * k, r, "the confusion matrix");
                row = Arrays.copyOf(row, n);
            } else if (n != k) {
                throw r.fail("expected " + k + " counts, as in the first row, found " + n);
            }
            rows.add(row);
        }
        if (rows.size() != Math.max(k, 0) || k < 2) {
            throw r.fail("expected a square matrix of 2 to " + ClassificationSnapshot.MAX_CLASSES
                    + " classes, found " + rows.size() + " rows of " + Math.max(k, 0));
        }
        return rows.toArray(new long[0][]);
    }

    /** Writes a regression snapshot: {@code {"count", "absoluteErrorSum", "squaredErrorSum", "absolutePercentageErrorSum"}}. */
    static void writeRegression(StrictJsonWriter w, String field, RegressionSnapshot s) {
        w.writeObjectFieldStart(field);
        w.writeNumberField("count", s.count());
        w.writeNumberOrNonFiniteField("absoluteErrorSum", s.absoluteErrorSum());
        w.writeNumberOrNonFiniteField("squaredErrorSum", s.squaredErrorSum());
        w.writeNumberOrNonFiniteField("absolutePercentageErrorSum", s.absolutePercentageErrorSum());
        w.writeEndObject();
    }

    /** Reads what {@link #writeRegression} writes. */
    static RegressionSnapshot readRegression(StrictJsonReader r) {
        r.beginObject();
        Fields f = new Fields();
        long count = 0;
        double absolute = 0;
        double squared = 0;
        double percentage = 0;
        while (r.nextField()) {
            switch (f.add(r)) {
                case "count" -> count = count(r);
                case "absoluteErrorSum" -> absolute = r.doubleOrNonFinite();
                case "squaredErrorSum" -> squared = r.doubleOrNonFinite();
                case "absolutePercentageErrorSum" -> percentage = r.doubleOrNonFinite();
                default -> r.skipUnknown();
            }
        }
        f.require(r, "count", "absoluteErrorSum", "squaredErrorSum", "absolutePercentageErrorSum");
        long n = count;
        double a = absolute;
        double s = squared;
        double p = percentage;
        return valid(r, () -> new RegressionSnapshot(n, a, s, p));
    }

    /**
     * Writes outcome counts: {@code {"offered", "joined", "late", "duplicate", "unknown", "expired",
     * "evicted"}}.
     */
    static void writeOutcomeCounts(StrictJsonWriter w, String field, OutcomeCounts c) {
        w.writeObjectFieldStart(field);
        w.writeNumberField("offered", c.offered());
        w.writeNumberField("joined", c.joined());
        w.writeNumberField("late", c.late());
        w.writeNumberField("duplicate", c.duplicate());
        w.writeNumberField("unknown", c.unknown());
        w.writeNumberField("expired", c.expired());
        w.writeNumberField("evicted", c.evicted());
        w.writeEndObject();
    }

    /** Reads what {@link #writeOutcomeCounts} writes. */
    static OutcomeCounts readOutcomeCounts(StrictJsonReader r) {
        r.beginObject();
        Fields f = new Fields();
        long[] v = new long[7];
        List<String> names = List.of("offered", "joined", "late", "duplicate", "unknown", "expired", "evicted");
        while (r.nextField()) {
            int i = names.indexOf(f.add(r));
            if (i < 0) {
                r.skipUnknown();
            } else {
                v[i] = count(r);
            }
        }
        f.require(r, names.toArray(new String[0]));
        sum(r, "outcomes", v[1], v[2], v[3], v[4]);
        return valid(r, () -> new OutcomeCounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6]));
    }

    // ---- sparse counts ------------------------------------------------------------------------------------

    /** Writes the non-zero counts of {@code counts[i]}, the count of index {@code first + i}, as pairs. */
    private static void writeSparse(StrictJsonWriter w, String field, int first, long[] counts) {
        w.writeArrayFieldStart(field);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                w.writeStartArray();
                w.writeNumber((long) first + i);
                w.writeNumber(counts[i]);
                w.writeEndArray();
            }
        }
        w.writeEndArray();
    }

    /** Non-zero counts by ascending index, as read; checked against their bound once it is known. */
    private record Sparse(int[] indexes, long[] counts, int size) {
        int first() {
            return size == 0 ? 0 : indexes[0];
        }

        /**
         * @return the counts from {@link #first()} to the last index, zeros between, after checking the
         *     indexes against {@code bound} and the span against the document's budget
         */
        long[] dense(StrictJsonReader r, Budget budget, int bound, String what, String boundName) {
            if (size == 0) {
                return new long[0];
            }
            checkBound(r, bound, what, boundName);
            int last = indexes[size - 1];
            int first = indexes[0];
            budget.counts((long) last - first + 1, r, what + "s");
            long[] out = new long[last - first + 1];
            for (int i = 0; i < size; i++) {
                out[indexes[i] - first] = counts[i];
            }
            return out;
        }

        /** @return all {@code bins} counts, after checking the indexes against them (the caller took the budget) */
        long[] full(StrictJsonReader r, int bins, String what) {
            checkBound(r, bins, what, "bins");
            long[] out = new long[bins];
            for (int i = 0; i < size; i++) {
                out[indexes[i]] = counts[i];
            }
            return out;
        }

        private void checkBound(StrictJsonReader r, int bound, String what, String boundName) {
            if (size > 0 && indexes[size - 1] >= bound) {
                throw r.fail(what + " " + indexes[size - 1] + " is outside the " + bound + " " + boundName);
            }
        }
    }

    private static Sparse readSparse(StrictJsonReader r, int maxIndex) {
        r.beginArray();
        int[] indexes = new int[16];
        long[] counts = new long[16];
        int n = 0;
        while (r.nextElement(n, maxIndex)) {
            if (!r.isArrayStart()) {
                throw r.fail("expected a pair [index, count]");
            }
            if (!r.nextElement(0, 2)) {
                throw r.fail("expected a pair [index, count], found an empty array");
            }
            int index = (int) r.currentLong(0, maxIndex - 1L);
            if (n > 0 && index <= indexes[n - 1]) {
                throw r.fail("expected an index above " + indexes[n - 1] + ": indexes ascend, each once");
            }
            if (!r.nextElement(1, 2)) {
                throw r.fail("expected a pair [index, count], found [index]");
            }
            long count = r.currentLong(1, Long.MAX_VALUE);
            if (r.nextElement(2, 2)) {
                throw r.fail("expected a pair [index, count]");
            }
            if (n == indexes.length) {
                int grown = (int) Math.min((long) n * 2, maxIndex);
                indexes = Arrays.copyOf(indexes, grown);
                counts = Arrays.copyOf(counts, grown);
            }
            indexes[n] = index;
            counts[n++] = count;
        }
        return new Sparse(indexes, counts, n);
    }

    // ---- limits -------------------------------------------------------------------------------------------

    /**
     * What one document may still hold: counts (buckets, bins, matrix cells) and category checks. Reading
     * refuses with the reader's error, writing with an {@link IllegalArgumentException}. Not thread-safe:
     * one per document.
     */
    static final class Budget {
        private final StrictJsonReader reader;
        private long counts = MAX_COUNTS;
        private long checks = MAX_CATEGORY_CHECKS;
        private String driftAt;

        private Budget(StrictJsonReader reader) {
            this.reader = reader;
        }

        /** @return the budget of a document being written */
        static Budget forWriting() {
            return new Budget(null);
        }

        /**
         * @param r the document's reader
         * @return the budget of a document being read
         */
        static Budget forReading(StrictJsonReader r) {
            return new Budget(r);
        }

        void counts(long n, String what) {
            counts(n, reader, what);
        }

        void counts(long n, StrictJsonReader r, String what) {
            counts -= n;
            if (counts < 0) {
                throw refuse(r, what + " take the document past " + MAX_COUNTS + " counts in all, the limit");
            }
        }

        /** Notes where a window's {@code drift} was read, which only version 2 allows. */
        void driftAt(String path) {
            if (driftAt == null) {
                driftAt = path;
            }
        }

        /**
         * Once the header is checked: refuses the {@code drift} of a window in a version 1 document (the
         * version is known only at the end, since the header may stand anywhere in the object).
         */
        void checkVersion(StrictJsonReader r) {
            if (driftAt != null && r.formatVersion() < 2) {
                throw r.failAt(driftAt, "unknown field: windows of version " + r.formatVersion()
                        + " carry no drift (version 2 added it)");
            }
        }

        void checks(long n, String feature) {
            checks -= n;
            if (checks < 0) {
                throw refuse(reader, "categorical summary " + quote(feature) + " takes the document past "
                        + MAX_CATEGORY_CHECKS + " categories times new categories in all, the limit");
            }
        }

        private static RuntimeException refuse(StrictJsonReader r, String reason) {
            return r == null ? new IllegalArgumentException("cannot write the snapshot's JSON form: " + reason
                    + "; write fewer windows at a time") : r.fail(reason);
        }
    }

    // ---- small readers ------------------------------------------------------------------------------------

    /** The fields of one object seen so far, so that a missing one is named. */
    static final class Fields {
        private final Set<String> names = new HashSet<>();

        String add(StrictJsonReader r) {
            String name = r.field();
            names.add(name);
            return name;
        }

        boolean has(String name) {
            return names.contains(name);
        }

        void require(StrictJsonReader r, String... required) {
            for (String name : required) {
                if (!names.contains(name)) {
                    throw r.missing(name);
                }
            }
        }
    }

    static long count(StrictJsonReader r) {
        return r.longValue(0, Long.MAX_VALUE);
    }

    /** Checks that counts add up to at most {@link Long#MAX_VALUE}, as their totals are computed; returns the sum. */
    static long sum(StrictJsonReader r, String what, long... counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
            if (total < 0) {
                throw r.fail(what + " add up to more than " + Long.MAX_VALUE);
            }
        }
        return total;
    }

    private static Instant instant(StrictJsonReader r) {
        String s = r.string(MAX_INSTANT);
        try {
            Instant at = Instant.parse(s);
            if (at.toString().equals(s)) {
                return at;
            }
        } catch (DateTimeParseException e) {
            // reported below, with the form expected
        }
        throw r.fail("expected an instant in UTC as Instant.toString writes it, such as 2026-03-01T12:00:00Z, found "
                + quote(s));
    }

    static void expectObject(StrictJsonReader r, String what) {
        if (!r.isObjectStart()) {
            throw r.fail("expected " + what + ", an object");
        }
    }

    static <T> T valid(StrictJsonReader r, Supplier<T> make) {
        try {
            return make.get();
        } catch (InvalidFormatException e) {
            throw e;
        } catch (IllegalArgumentException | NullPointerException | ArithmeticException e) {
            throw r.fail(String.valueOf(e.getMessage()));
        }
    }

    static void writeName(StrictJsonWriter w, String field, String name) {
        checkName(name);
        w.writeStringField(field, name);
    }

    static void checkName(String name) {
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("cannot write the snapshot's JSON form: a name of " + name.length()
                    + " characters is longer than the " + MAX_NAME + " read back");
        }
    }

    static void checkSize(String what, int size, int max) {
        if (size > max) {
            throw new IllegalArgumentException("cannot write the snapshot's JSON form: " + size + " " + what
                    + ", more than the " + max + " read back");
        }
    }

    static String quote(String s) {
        return dev.mlops.core.Names.quote(s);
    }
}
