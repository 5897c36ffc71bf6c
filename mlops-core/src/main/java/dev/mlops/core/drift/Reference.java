package dev.mlops.core.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
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

    private static final JsonFactory JSON = new JsonFactory();

    /** Checks the sample is there. */
    public Reference {
        Objects.requireNonNull(sample, "sample");
    }

    /**
     * @param values reference observations; NaN and infinities count as missing
     * @return the prepared reference
     */
    public static Reference numeric(double[] values) {
        return new Reference(Sample.numeric(values));
    }

    /**
     * @param values reference observations; {@code null} counts as missing
     * @return the prepared reference
     */
    public static Reference categorical(String[] values) {
        return new Reference(Sample.categorical(values));
    }

    /**
     * @return this reference as JSON, in the documented format
     */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("version", VERSION);
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
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a reference to a string cannot fail", e);
        }
        return out.toString();
    }

    /**
     * @param json a reference written by {@link #toJson()}
     * @return the reference
     * @throws IllegalArgumentException when the text is not a reference in a known format version
     */
    public static Reference fromJson(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "a JSON object");
            String format = null;
            long version = -1;
            String kind = null;
            long missing = -1;
            double[] values = null;
            Map<String, Long> counts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "format" -> format = p.getValueAsString();
                    case "version" -> version = p.getValueAsLong(-1);
                    case "kind" -> kind = p.getValueAsString();
                    case "missing" -> missing = p.getValueAsLong(-1);
                    case "values" -> values = readValues(p, t);
                    case "counts" -> counts = readCounts(p, t);
                    default -> p.skipChildren();
                }
            }
            expect(FORMAT.equals(format), "\"format\":\"" + FORMAT + "\"");
            if (version != VERSION) {
                throw new IllegalArgumentException("reference format version " + version
                        + " is not supported; this library reads version " + VERSION);
            }
            expect(missing >= 0, "\"missing\" >= 0");
            if ("numeric".equals(kind)) {
                expect(values != null, "\"values\" for a numeric reference");
                return new Reference(NumericSample.ofSorted(values, missing));
            }
            if ("categorical".equals(kind)) {
                expect(counts != null, "\"counts\" for a categorical reference");
                return new Reference(new CategoricalSample(counts, missing));
            }
            throw new IllegalArgumentException("reference JSON: expected \"kind\" numeric or categorical, was " + kind);
        } catch (IOException e) {
            throw new IllegalArgumentException("reference JSON is not well-formed: " + e.getMessage(), e);
        }
    }

    private static double[] readValues(JsonParser p, JsonToken start) throws IOException {
        expect(start == JsonToken.START_ARRAY, "\"values\" to be an array");
        double[] out = new double[1024];
        int n = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new IllegalArgumentException("reference JSON: \"values\"[" + n + "] must be a number, was " + t);
            }
            double v = p.getDoubleValue();
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    private static Map<String, Long> readCounts(JsonParser p, JsonToken start) throws IOException {
        expect(start == JsonToken.START_OBJECT, "\"counts\" to be an object");
        Map<String, Long> counts = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String category = p.currentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw new IllegalArgumentException("reference JSON: count of category " + category + " must be an integer");
            }
            counts.put(category, p.getLongValue());
        }
        return counts;
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("reference JSON: expected " + what);
        }
    }
}
