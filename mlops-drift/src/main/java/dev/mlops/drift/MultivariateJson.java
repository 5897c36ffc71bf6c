package dev.mlops.drift;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.internal.StrictJsonReader;
import java.util.Arrays;

/**
 * Reading of the JSON formats of the prepared multivariate references. Package-private: the formats
 * are documented on {@link MmdDetector#toJson()} and {@link PcaReconstructionDetector#toJson()}, and
 * written and read through core's {@code JsonFormat}.
 *
 * <p>Documents are read by core's {@link StrictJsonReader}, the one reader of every saved format:
 * strict types, no duplicate keys, nothing after the document, every size checked against a stated
 * limit before anything is allocated for it, and every failure an {@link InvalidFormatException} of
 * one line with the JSON Pointer of the value and the character offset. This class adds what the
 * multivariate formats need on top: tables of rows and length checks. Fields may come in any order,
 * so a row length fixed by a field read later is checked once the object is read.
 *
 * <p>Stateless; thread-safe.
 */
final class MultivariateJson {
    private MultivariateJson() {
    }

    /**
     * A table of finite numbers read from an array of rows, flattened row after row.
     *
     * @param values {@code count · width} values
     * @param count the number of rows
     * @param width the length of every row; -1 when there is no row
     */
    record Rows(double[] values, int count, int width) {
    }

    /**
     * Reads the next value, an array of rows of finite numbers, checking every size against its
     * limit before the values are stored: the row count, the row length and the values in all.
     *
     * @param r the reader, before the value
     * @param pointer the value's JSON Pointer, for messages
     * @param width the required row length, or -1 when it is not known yet (the first row's is taken)
     * @param widthName what fixes the row length, for messages
     * @param maxRows the most rows
     * @param maxWidth the longest row
     * @param maxValues the most values in all
     * @return the rows
     * @throws InvalidFormatException naming the row or value at fault
     */
    static Rows rows(StrictJsonReader r, String pointer, int width, String widthName, int maxRows, int maxWidth,
            long maxValues) {
        r.beginArray();
        double[] values = new double[(int) Math.min(Math.min(maxValues, 1024), Math.max(width, 1) * 16L)];
        int count = 0;
        int size = 0;
        int w = width;
        while (r.nextElement(count, maxRows)) {
            if (!r.isArrayStart()) {
                throw r.fail("expected a row, an array of numbers");
            }
            int limit = w >= 0 ? w : maxWidth;
            int j = 0;
            while (r.nextElement(j, Integer.MAX_VALUE)) {
                if (j >= limit) {
                    throw r.fail(w >= 0 ? "row holds more than " + w + " values (" + widthName + ")"
                            : "row holds more than " + maxWidth + " values, the limit");
                }
                double v = r.currentFiniteDouble();
                if (size == values.length) {
                    if (size >= maxValues) {
                        throw r.fail("the table holds more than " + maxValues + " values in all, the limit");
                    }
                    values = Arrays.copyOf(values, (int) Math.min((long) size * 2, maxValues));
                }
                values[size++] = v;
                j++;
            }
            if (w < 0) {
                if (j == 0) {
                    throw r.failAt(pointer + "/" + count, "expected at least one value, found an empty row");
                }
                w = j;
            } else if (j != w) {
                throw r.failAt(pointer + "/" + count, "expected " + w + " values (" + widthName + "), found " + j);
            }
            count++;
        }
        return new Rows(Arrays.copyOf(values, size), count, w);
    }

    /**
     * @param r the reader
     * @param pointer the array's JSON Pointer
     * @param values the array read
     * @param length the length it must have
     * @param lengthName what fixes the length, for the message
     * @throws InvalidFormatException when the length differs
     */
    static void checkLength(StrictJsonReader r, String pointer, double[] values, int length, String lengthName) {
        if (values.length != length) {
            throw r.failAt(pointer, "expected " + length + " values (" + lengthName + "), found " + values.length);
        }
    }

    /**
     * @param r the reader
     * @param field a required field of the object the reader just finished
     * @param value what was read, null when absent
     * @param <T> the field's type
     * @return the value
     * @throws InvalidFormatException naming the field as missing
     */
    static <T> T required(StrictJsonReader r, String field, T value) {
        if (value == null) {
            throw r.missing(field);
        }
        return value;
    }

    /**
     * For a field of a nested object, checked after the document's header, so that a document of
     * another format is reported as such rather than as a missing field.
     *
     * @param r the reader
     * @param pointer the field's JSON Pointer, such as {@code /options/pValue}
     * @param value what was read, null when absent
     * @param <T> the field's type
     * @return the value
     * @throws InvalidFormatException naming the field as missing
     */
    static <T> T requiredAt(StrictJsonReader r, String pointer, T value) {
        if (value == null) {
            throw r.failAt(pointer, "missing field");
        }
        return value;
    }
}
