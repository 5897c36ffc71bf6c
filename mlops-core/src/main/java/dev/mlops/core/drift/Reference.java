package dev.mlops.core.drift;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Names;
import dev.mlops.core.internal.JsonFormat;
import dev.mlops.core.internal.StrictJsonReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The reference side of a drift test: a prepared {@link Sample} that can be saved as JSON and read
 * back, so that a reference built from training data once can be shipped to every replica.
 *
 * <p>JSON format, version 1:
 * <pre>{@code
 * {"format":"mlops.drift.reference","version":1,"kind":"numeric","missing":0,"values":[0.5,1.0,2.5]}
 * {"format":"mlops.drift.reference","version":1,"kind":"categorical","missing":2,"counts":{"de":10,"fr":4}}
 * }</pre>
 * Numeric values are finite and ascending. Immutable and thread-safe.
 *
 * @param sample the prepared data
 */
public record Reference(Sample sample) {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "mlops.drift.reference";
    /** The format version this class writes. */
    public static final int VERSION = 1;

    /** The most numeric values a saved reference holds; subsample a larger training column. */
    public static final int MAX_VALUES = 2_000_000;
    /** The most categories a saved reference holds. */
    public static final int MAX_CATEGORIES = 100_000;
    /** The longest category name a saved reference holds, in characters. */
    public static final int MAX_CATEGORY_LENGTH = 1_000;
    /** The longest reference document read, in characters (64 MiB). */
    public static final int MAX_JSON_CHARS = 64 << 20;

    private static final JsonFormat JSON = new JsonFormat(FORMAT, VERSION);

    /**
     * Checks the sample is there and has at least one usable value: a reference of nothing cannot be
     * compared with anything.
     *
     * @param sample the prepared data
     */
    public Reference {
        Objects.requireNonNull(sample, "sample");
        if (sample.size() == 0) {
            throw new IllegalArgumentException("sample must hold at least one usable value for a reference, had none ("
                    + sample.missing() + " missing)");
        }
    }

    /**
     * @param values reference observations; NaN and infinities count as missing
     * @return the prepared reference
     * @throws IllegalArgumentException when {@code values} is empty or holds no finite value
     */
    public static Reference numeric(double[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("values must hold at least one value for a reference, was empty");
        }
        return new Reference(Sample.numeric(values));
    }

    /**
     * @param values reference observations; {@code null} counts as missing
     * @return the prepared reference
     * @throws IllegalArgumentException when {@code values} is empty or holds only {@code null}
     */
    public static Reference categorical(String[] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("values must hold at least one value for a reference, was empty");
        }
        return new Reference(Sample.categorical(values));
    }

    /**
     * @return this reference as JSON, in the documented format
     * @throws IllegalArgumentException when the reference is beyond the format's limits (more than
     *     {@link #MAX_VALUES} values, {@link #MAX_CATEGORIES} categories, a category name longer than
     *     {@link #MAX_CATEGORY_LENGTH}, or more than {@link #MAX_JSON_CHARS} characters in all), which
     *     {@link #fromJson} would refuse to read back
     */
    public String toJson() {
        checkSavable();
        String json = JSON.writeCompact(g -> {
            if (sample instanceof NumericSample numeric) {
                g.writeStringField("kind", "numeric");
                g.writeNumberField("missing", numeric.missing());
                g.writeArrayFieldStart("values");
                for (int i = 0; i < numeric.size(); i++) {
                    g.writeNumber(numeric.valueAt(i));
                }
                g.writeEndArray();
            } else {
                CategoricalSample categorical = (CategoricalSample) sample;
                g.writeStringField("kind", "categorical");
                g.writeNumberField("missing", categorical.missing());
                g.writeObjectFieldStart("counts");
                for (Map.Entry<String, Long> e : categorical.counts().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
        });
        if (json.length() > MAX_JSON_CHARS) {
            throw new IllegalArgumentException("this reference is " + json.length()
                    + " characters as JSON; the format holds at most " + MAX_JSON_CHARS + ", so it could not be read"
                    + " back: use fewer or shorter categories, or subsample the values");
        }
        return json;
    }

    /**
     * Refuses to write what {@link #fromJson} would refuse to read, so that a saved reference always loads:
     * the limits are checked before anything is written.
     */
    private void checkSavable() {
        if (sample instanceof NumericSample numeric && numeric.size() > MAX_VALUES) {
            throw new IllegalArgumentException("this reference holds " + numeric.size() + " values; the saved format"
                    + " holds at most " + MAX_VALUES + ": subsample the training column before saving it");
        }
        if (sample instanceof CategoricalSample categorical) {
            if (categorical.counts().size() > MAX_CATEGORIES) {
                throw new IllegalArgumentException("this reference holds " + categorical.counts().size()
                        + " categories; the saved format holds at most " + MAX_CATEGORIES);
            }
            for (String category : categorical.counts().keySet()) {
                if (category.length() > MAX_CATEGORY_LENGTH) {
                    throw new IllegalArgumentException("category " + Names.quote(category) + " is " + category.length()
                            + " characters long; the saved format holds names of at most " + MAX_CATEGORY_LENGTH);
                }
            }
        }
    }

    /**
     * Reads a reference strictly: the fields above and no others, each once, of the stated types and
     * within the limits ({@link #MAX_VALUES} values, {@link #MAX_CATEGORIES} categories of at most
     * {@link #MAX_CATEGORY_LENGTH} characters, at most {@link CategoricalSample#MAX_TOTAL} observations,
     * {@link #MAX_JSON_CHARS} characters in all), nothing after the object.
     *
     * @param json a reference written by {@link #toJson()}
     * @return the reference
     * @throws InvalidFormatException when the text is not a reference in a known format version, naming
     *     the field and the character offset
     */
    public static Reference fromJson(String json) {
        try (StrictJsonReader r = JSON.reader("drift reference JSON", json, MAX_JSON_CHARS)) {
            Reference reference = read(r);
            r.endDocument();
            return reference;
        }
    }

    private static Reference read(StrictJsonReader r) {
        r.beginObject();
        String kind = null;
        long missing = -1;
        double[] values = null;
        Map<String, Long> counts = null;
        while (r.nextField()) {
            switch (r.field()) {
                case "kind" -> kind = r.string(100);
                case "missing" -> missing = r.longValue(0, Long.MAX_VALUE);
                case "values" -> values = readValues(r);
                case "counts" -> counts = readCounts(r);
                default -> r.skipUnknown();
            }
        }
        r.checkHeader();
        if (kind == null) {
            throw r.missing("kind");
        }
        if (missing < 0) {
            throw r.missing("missing");
        }
        Sample sample;
        if ("numeric".equals(kind)) {
            if (values == null) {
                throw r.missing("values");
            }
            if (counts != null) {
                throw r.fail("a numeric reference has \"values\", not \"counts\"");
            }
            try {
                sample = NumericSample.ofSorted(values, missing);
            } catch (IllegalArgumentException e) {
                throw r.fail("\"values\" must be ascending: " + e.getMessage());
            }
        } else if ("categorical".equals(kind)) {
            if (counts == null) {
                throw r.missing("counts");
            }
            if (values != null) {
                throw r.fail("a categorical reference has \"counts\", not \"values\"");
            }
            try {
                sample = new CategoricalSample(counts, missing);
            } catch (IllegalArgumentException e) {
                throw r.fail(e.getMessage());
            }
        } else {
            throw r.fail("\"kind\" must be \"numeric\" or \"categorical\", found " + Names.quote(kind));
        }
        if (sample.size() == 0) {
            throw r.fail("a reference needs at least one value, found none (" + missing + " missing)");
        }
        return new Reference(sample);
    }

    private static double[] readValues(StrictJsonReader r) {
        return r.doubleArray(MAX_VALUES);
    }

    private static Map<String, Long> readCounts(StrictJsonReader r) {
        r.beginObject();
        Map<String, Long> counts = new LinkedHashMap<>();
        while (r.nextField()) {
            String category = r.field();
            if (counts.size() == MAX_CATEGORIES) {
                throw r.fail("more than " + MAX_CATEGORIES + " categories, the limit");
            }
            if (category.length() > MAX_CATEGORY_LENGTH) {
                throw r.fail("category name of " + category.length() + " characters; the limit is "
                        + MAX_CATEGORY_LENGTH);
            }
            counts.put(category, r.longValue(0, CategoricalSample.MAX_TOTAL));
        }
        return counts;
    }
}
