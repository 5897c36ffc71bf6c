package dev.mlops.core.registry;

import dev.mlops.core.Names;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.RandomAccess;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a model takes and returns: named, typed, shaped fields. A signature checks requests before
 * they reach the model and answers before they leave it, so a caller gets a message naming the bad
 * field instead of a wrong score.
 *
 * <pre>{@code
 * Signature sig = Signature.of(Field.float64("amount"), Field.category("country").orNull())
 *                          .returns(Field.float64("score"));
 * sig.validateInput(Map.of("amount", 12.5, "country", "de"));      // passes
 * sig.validateInput(Map.of("amount", "12.5", "cuntry", "de"));     // throws MismatchException:
 *     // field "amount": expected float64, found String "12.5"; field "cuntry": expected nothing (not declared), ...
 * sig.validateOutput(Map.of("score", 0.93));                       // passes
 * sig.validateInputRows(List.of(row0, row1));                      // messages name the row: "row 1: field ..."
 * sig.validateInputColumns(Map.of("amount", new double[] {1, 2}, "country", List.of("de", "fr")));
 * sig.allowingUnknownFields().validateInput(requestWithExtras);    // extra fields let through
 * Report r = sig.validator().checkInputRows(batch);                // no exception: r.isValid(), r.violations()
 * }</pre>
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A field declared and not {@linkplain Field#nullable() optional} must be present and non-null:
 *       {@link Problem#MISSING} or {@link Problem#NULL} otherwise. An optional field may be absent or null.
 *   <li>A present value must be of the field's type, as {@link FieldType} states value by value; NaN and
 *       infinities fail float fields ({@link Problem#NOT_FINITE}) unless the validator
 *       {@linkplain Validator#allowingNonFinite() allows them}.
 *   <li>A tensor field takes nested {@link List}s or arrays (primitive arrays too) of its shape, {@code -1}
 *       matching any size; the first element or size that does not fit is reported, with its index.
 *   <li>A field the request carries but the signature does not declare is {@link Problem#UNKNOWN}, unless
 *       the validator {@linkplain Validator#allowingUnknownFields() allows unknown fields}: a misspelt
 *       optional field would otherwise be dropped without a word.
 *   <li>A side with no fields is undeclared and checks nothing: a model registered without outputs, or
 *       {@link #none()}, accepts anything there.
 * </ul>
 *
 * <p>Every check reports all violations it finds up to {@link Validator#maxReported()} (default
 * {@value #DEFAULT_MAX_REPORTED}) and counts the rest. Each violation's message is one line that names the
 * row (in a batch), the field, what was expected and what was found, with strings escaped and shortened by
 * {@link Names#quote(String)}.
 *
 * <p>Immutable and thread-safe, as is every {@link Validator}. The {@code validate*} methods here build a
 * strict validator per call (a few allocations per field); a hot path can hold one from {@link #validator()}.
 *
 * @param inputs the input fields, names unique
 * @param outputs the output fields, names unique
 */
public record Signature(List<Field> inputs, List<Field> outputs) {
    /** How many violations a check keeps unless told otherwise; the rest are counted in {@link Report#total()}. */
    public static final int DEFAULT_MAX_REPORTED = 20;

    private static final Signature NONE = new Signature(List.of(), List.of());

    /**
     * Validates and copies the parts.
     *
     * @param inputs the input fields, names unique
     * @param outputs the output fields, names unique
     */
    public Signature {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        unique("input", inputs);
        unique("output", outputs);
    }

    private static void unique(String side, List<Field> fields) {
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name())) {
                throw new IllegalArgumentException(side + " field " + Names.quote(f.name())
                        + " appears twice in the signature");
            }
        }
    }

    /**
     * @return the empty signature: nothing declared, nothing checked
     */
    public static Signature none() {
        return NONE;
    }

    /**
     * @param inputs the input fields
     * @return a signature with these inputs and no outputs yet
     */
    public static Signature of(Field... inputs) {
        return new Signature(List.of(inputs), List.of());
    }

    /**
     * @param outputs the output fields
     * @return this signature with its outputs replaced
     */
    public Signature returns(Field... outputs) {
        return new Signature(inputs, List.of(outputs));
    }

    /**
     * @return whether the signature declares nothing
     */
    public boolean isEmpty() {
        return inputs.isEmpty() && outputs.isEmpty();
    }

    /**
     * @return a strict validator: unknown fields and non-finite floats rejected,
     *     {@value #DEFAULT_MAX_REPORTED} violations reported
     */
    public Validator validator() {
        return new Validator(this, false, false, DEFAULT_MAX_REPORTED);
    }

    /**
     * A validator that lets fields the signature does not declare through, unchecked (MLflow's behaviour).
     *
     * <pre>{@code
     * sig.allowingUnknownFields().validateInput(Map.of("amount", 1.0, "trace_id", "abc"));   // passes
     * }</pre>
     *
     * @return {@code validator().allowingUnknownFields()}
     */
    public Validator allowingUnknownFields() {
        return validator().allowingUnknownFields();
    }

    /**
     * @param row input field name to value
     * @throws MismatchException (an {@link IllegalArgumentException}) naming every field that does not fit
     */
    public void validateInput(Map<String, ?> row) {
        validator().validateInput(row);
    }

    /**
     * @param row output field name to value, as the model answered
     * @throws MismatchException naming every field that does not fit
     */
    public void validateOutput(Map<String, ?> row) {
        validator().validateOutput(row);
    }

    /**
     * @param rows a batch of input rows
     * @throws MismatchException naming the row and field of each violation
     */
    public void validateInputRows(List<? extends Map<String, ?>> rows) {
        validator().validateInputRows(rows);
    }

    /**
     * @param rows a batch of output rows
     * @throws MismatchException naming the row and field of each violation
     */
    public void validateOutputRows(List<? extends Map<String, ?>> rows) {
        validator().validateOutputRows(rows);
    }

    /**
     * @param columns a batch of inputs by column: field name to a {@link List} or array holding one value
     *     per row, all columns of equal length
     * @throws MismatchException naming the row and field of each violation
     */
    public void validateInputColumns(Map<String, ?> columns) {
        validator().validateInputColumns(columns);
    }

    /**
     * @param columns a batch of outputs by column
     * @throws MismatchException naming the row and field of each violation
     */
    public void validateOutputColumns(Map<String, ?> columns) {
        validator().validateOutputColumns(columns);
    }

    /**
     * The input check, as messages. Unknown fields are violations (they were ignored before issue 8).
     *
     * @param request input field name to value
     * @return one line per violation, at most {@value #DEFAULT_MAX_REPORTED}; empty when the request fits
     */
    public List<String> violations(Map<String, ?> request) {
        return validator().checkInput(request).messages();
    }

    /**
     * Same as {@link #validateInput(Map)}.
     *
     * @param request input field name to value
     * @throws MismatchException naming every field that does not fit
     */
    public void validate(Map<String, ?> request) {
        validateInput(request);
    }

    /** What kind of violation a {@link Violation} is. */
    public enum Problem {
        /** A required field is absent. */
        MISSING,
        /** A required field, or an element of a tensor, is {@code null}. */
        NULL,
        /** A value of a type the field does not accept, or one that would not convert exactly. */
        TYPE,
        /** NaN or an infinity in a float field whose validator does not allow them. */
        NOT_FINITE,
        /** A tensor whose nesting or dimension sizes differ from the field's shape. */
        SHAPE,
        /** In a batch by columns: a column that is not a list or array, or not as long as the others. */
        LENGTH,
        /** A field the signature does not declare. */
        UNKNOWN
    }

    /**
     * One way a row or batch fails the signature.
     *
     * @param row the row index within a batch; empty for a single row or a whole column
     * @param field the field's name, as declared or (for {@link Problem#UNKNOWN}) as sent
     * @param problem what kind of violation
     * @param expected what the signature asks for, e.g. {@code float32 tensor [3]}
     * @param found what was there, printable and bounded, e.g. {@code String "12.5"}
     */
    public record Violation(OptionalInt row, String field, Problem problem, String expected, String found) {
        /**
         * Checks the parts.
         *
         * @param row the row index within a batch; empty for a single row or a whole column
         * @param field the field's name, as declared or (for {@link Problem#UNKNOWN}) as sent
         * @param problem what kind of violation
         * @param expected what the signature asks for, e.g. {@code float32 tensor [3]}
         * @param found what was there, printable and bounded, e.g. {@code String "12.5"}
         */
        public Violation {
            Objects.requireNonNull(row, "row");
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(found, "found");
            if (row.isPresent() && row.getAsInt() < 0) {
                throw new IllegalArgumentException("row must be >= 0, was " + row.getAsInt());
            }
        }

        /**
         * @return one line: {@code row 3: field "amount": expected float64, found String "12.5"}
         */
        public String message() {
            return (row.isPresent() ? "row " + row.getAsInt() + ": " : "") + "field " + Names.quote(field)
                    + ": expected " + expected + ", found " + found;
        }

        @Override
        public String toString() {
            return message();
        }
    }

    /**
     * The outcome of a check: the first violations found and how many there were in all.
     *
     * @param violations the violations kept, in the order found (rows in order; in a row, declared fields
     *     in signature order, then unknown fields)
     * @param total how many violations there were, kept or not
     */
    public record Report(List<Violation> violations, long total) {
        private static final Report VALID = new Report(List.of(), 0);

        /**
         * Checks and copies the parts.
         *
         * @param violations the violations kept, in the order found (rows in order; in a row, declared fields in
         *     signature order, then unknown fields)
         * @param total how many violations there were, kept or not
         */
        public Report {
            violations = List.copyOf(Objects.requireNonNull(violations, "violations"));
            if (total < violations.size()) {
                throw new IllegalArgumentException("total must be >= the " + violations.size()
                        + " violations kept, was " + total);
            }
        }

        /** @return whether nothing was wrong */
        public boolean isValid() {
            return total == 0;
        }

        /** @return how many violations were counted but not kept */
        public long omitted() {
            return total - violations.size();
        }

        /** @return each kept violation's one-line message */
        public List<String> messages() {
            return violations.stream().map(Violation::message).toList();
        }

        /** @return the messages joined by {@code "; "}, and how many more there were */
        @Override
        public String toString() {
            if (isValid()) {
                return "no violations";
            }
            String kept = violations.stream().map(Violation::message).collect(Collectors.joining("; "));
            long more = omitted();
            return kept.isEmpty() ? total + " violations" : more == 0 ? kept : kept + "; and " + more + " more";
        }
    }

    /** Thrown by the {@code validate*} methods: a request or answer does not fit the signature. */
    public static final class MismatchException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** What did not fit. */
        private final Report report;

        MismatchException(String what, Report report) {
            super(what + " does not match the model signature (" + report.total()
                    + (report.total() == 1 ? " violation): " : " violations): ") + report);
            this.report = report;
        }

        /** @return what was wrong, the same as a {@code check*} call on the validator returns */
        public Report report() {
            return report;
        }
    }

    /**
     * Checks rows and batches against a {@link Signature} with chosen options. Obtain one with
     * {@link Signature#validator()}; each option returns a changed copy.
     *
     * <pre>{@code
     * Signature.Validator v = sig.validator().allowingNonFinite().reportingAtMost(100);
     * Signature.Report r = v.checkInputColumns(columns);
     * if (!r.isValid()) log.warn("rejected batch: {}", r);
     * }</pre>
     *
     * <p>Immutable and thread-safe; holding one saves the per-call index of field names.
     */
    public static final class Validator {
        private final Signature signature;
        private final boolean allowUnknown;
        private final boolean allowNonFinite;
        private final int maxReported;
        private final Map<String, Field> inputsByName;
        private final Map<String, Field> outputsByName;

        private Validator(Signature signature, boolean allowUnknown, boolean allowNonFinite, int maxReported) {
            this.signature = signature;
            this.allowUnknown = allowUnknown;
            this.allowNonFinite = allowNonFinite;
            this.maxReported = maxReported;
            this.inputsByName = byName(signature.inputs);
            this.outputsByName = byName(signature.outputs);
        }

        private static Map<String, Field> byName(List<Field> fields) {
            Map<String, Field> map = new HashMap<>();
            for (Field f : fields) {
                map.put(f.name(), f);
            }
            return Collections.unmodifiableMap(map);
        }

        /** @return a copy that lets fields the signature does not declare through, unchecked */
        public Validator allowingUnknownFields() {
            return new Validator(signature, true, allowNonFinite, maxReported);
        }

        /** @return a copy that accepts NaN and infinities in {@code FLOAT32} and {@code FLOAT64} fields */
        public Validator allowingNonFinite() {
            return new Validator(signature, allowUnknown, true, maxReported);
        }

        /**
         * @param max how many violations a report keeps; the rest are only counted. {@code 0} counts only.
         * @return a copy keeping at most {@code max}
         */
        public Validator reportingAtMost(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max must be >= 0, was " + max);
            }
            return new Validator(signature, allowUnknown, allowNonFinite, max);
        }

        /** @return the signature checked against */
        public Signature signature() {
            return signature;
        }

        /** @return whether undeclared fields pass */
        public boolean allowsUnknownFields() {
            return allowUnknown;
        }

        /** @return whether NaN and infinities pass float fields */
        public boolean allowsNonFinite() {
            return allowNonFinite;
        }

        /** @return how many violations a report keeps */
        public int maxReported() {
            return maxReported;
        }

        /**
         * @param row input field name to value
         * @return the violations; {@link Report#isValid()} when the row fits
         */
        public Report checkInput(Map<String, ?> row) {
            return checkRow(signature.inputs, inputsByName, row);
        }

        /**
         * @param row output field name to value
         * @return the violations; {@link Report#isValid()} when the row fits
         */
        public Report checkOutput(Map<String, ?> row) {
            return checkRow(signature.outputs, outputsByName, row);
        }

        /**
         * @param rows a batch of input rows, none null
         * @return the violations, each with its row index
         */
        public Report checkInputRows(List<? extends Map<String, ?>> rows) {
            return checkRows(signature.inputs, inputsByName, rows);
        }

        /**
         * @param rows a batch of output rows, none null
         * @return the violations, each with its row index
         */
        public Report checkOutputRows(List<? extends Map<String, ?>> rows) {
            return checkRows(signature.outputs, outputsByName, rows);
        }

        /**
         * A batch by columns. Each column is a {@link List} or an array (primitive arrays included) with one
         * value per row; for a tensor field each value is itself a tensor. A null element is a null value.
         * The first declared column present sets the batch's length; a column of another length, or one
         * that is not a list or array, is one {@link Problem#LENGTH} violation and its values are not checked.
         *
         * @param columns input field name to column
         * @return the violations: whole-column ones without a row, then value ones with their row index
         */
        public Report checkInputColumns(Map<String, ?> columns) {
            return checkColumns(signature.inputs, inputsByName, columns);
        }

        /**
         * @param columns output field name to column
         * @return the violations, as {@link #checkInputColumns(Map)}
         */
        public Report checkOutputColumns(Map<String, ?> columns) {
            return checkColumns(signature.outputs, outputsByName, columns);
        }

        /**
         * @param row input field name to value
         * @throws MismatchException when {@link #checkInput(Map)} finds anything
         */
        public void validateInput(Map<String, ?> row) {
            throwIfInvalid("input row", checkInput(row));
        }

        /**
         * @param row output field name to value
         * @throws MismatchException when {@link #checkOutput(Map)} finds anything
         */
        public void validateOutput(Map<String, ?> row) {
            throwIfInvalid("output row", checkOutput(row));
        }

        /**
         * @param rows a batch of input rows
         * @throws MismatchException when {@link #checkInputRows(List)} finds anything
         */
        public void validateInputRows(List<? extends Map<String, ?>> rows) {
            Report report = checkInputRows(rows);
            if (!report.isValid()) {
                throw new MismatchException("input batch of " + rows.size() + " rows", report);
            }
        }

        /**
         * @param rows a batch of output rows
         * @throws MismatchException when {@link #checkOutputRows(List)} finds anything
         */
        public void validateOutputRows(List<? extends Map<String, ?>> rows) {
            Report report = checkOutputRows(rows);
            if (!report.isValid()) {
                throw new MismatchException("output batch of " + rows.size() + " rows", report);
            }
        }

        /**
         * @param columns input field name to column
         * @throws MismatchException when {@link #checkInputColumns(Map)} finds anything
         */
        public void validateInputColumns(Map<String, ?> columns) {
            throwIfInvalid("input columns", checkInputColumns(columns));
        }

        /**
         * @param columns output field name to column
         * @throws MismatchException when {@link #checkOutputColumns(Map)} finds anything
         */
        public void validateOutputColumns(Map<String, ?> columns) {
            throwIfInvalid("output columns", checkOutputColumns(columns));
        }

        private static void throwIfInvalid(String what, Report report) {
            if (!report.isValid()) {
                throw new MismatchException(what, report);
            }
        }

        @Override
        public String toString() {
            return "Signature.Validator[" + (allowUnknown ? "unknown fields allowed" : "unknown fields rejected")
                    + ", " + (allowNonFinite ? "non-finite allowed" : "non-finite rejected")
                    + ", reporting at most " + maxReported + "]";
        }

        private Report checkRow(List<Field> fields, Map<String, Field> byName, Map<String, ?> row) {
            Objects.requireNonNull(row, "row");
            if (fields.isEmpty()) {
                return Report.VALID;
            }
            Collector c = new Collector(maxReported);
            checkRow(fields, byName, row, -1, c);
            return c.report();
        }

        private Report checkRows(List<Field> fields, Map<String, Field> byName, List<? extends Map<String, ?>> rows) {
            Objects.requireNonNull(rows, "rows");
            if (fields.isEmpty()) {
                rows.forEach(r -> Objects.requireNonNull(r, "row"));
                return Report.VALID;
            }
            Collector c = new Collector(maxReported);
            int i = 0;
            for (Map<String, ?> row : rows) {
                if (row == null) {
                    throw new NullPointerException("rows[" + i + "]");
                }
                checkRow(fields, byName, row, i++, c);
            }
            return c.report();
        }

        private void checkRow(List<Field> fields, Map<String, Field> byName, Map<String, ?> row, int index,
                Collector c) {
            int present = 0;
            for (Field f : fields) {
                Object value = row.get(f.name());
                if (value != null || row.containsKey(f.name())) {
                    present++;
                    checkValue(f, value, index, c);
                } else if (!f.nullable()) {
                    c.add(index, f.name(), Problem.MISSING, f.describe(), "no value");
                }
            }
            if (!allowUnknown && row.size() > present) {
                reportUnknown(byName, row, index, c);
            }
        }

        private void reportUnknown(Map<String, Field> byName, Map<String, ?> row, int index, Collector c) {
            for (Map.Entry<String, ?> e : row.entrySet()) {
                String key = e.getKey();
                if (key == null || !byName.containsKey(key)) {
                    c.add(index, String.valueOf(key), Problem.UNKNOWN, "nothing (not declared)",
                            c.keeping() ? describe(e.getValue()) : "");
                }
            }
        }

        private Report checkColumns(List<Field> fields, Map<String, Field> byName, Map<String, ?> columns) {
            Objects.requireNonNull(columns, "columns");
            if (fields.isEmpty()) {
                return Report.VALID;
            }
            Collector c = new Collector(maxReported);
            List<Field> checked = new ArrayList<>(fields.size());
            List<List<?>> values = new ArrayList<>(fields.size());
            int length = -1;
            String lengthFrom = null;
            for (Field f : fields) {
                Object column = columns.get(f.name());
                if (column == null) {
                    if (!f.nullable()) {
                        boolean absent = !columns.containsKey(f.name());
                        c.add(-1, f.name(), absent ? Problem.MISSING : Problem.NULL, "a column of " + f.describe(),
                                absent ? "no value" : "null");
                    }
                    continue;
                }
                List<?> list = asList(column);
                if (list == null) {
                    c.add(-1, f.name(), Problem.LENGTH, "a column (List or array) of " + f.describe(),
                            describe(column));
                    continue;
                }
                if (length < 0) {
                    length = list.size();
                    lengthFrom = f.name();
                } else if (list.size() != length) {
                    c.add(-1, f.name(), Problem.LENGTH, "a column of " + length + " values, as "
                            + Names.quote(lengthFrom) + " has", describe(column));
                    continue;
                }
                checked.add(f);
                values.add(list);
            }
            if (!allowUnknown) {
                reportUnknown(byName, columns, -1, c);
            }
            for (int row = 0; row < length; row++) {
                for (int j = 0; j < checked.size(); j++) {
                    checkValue(checked.get(j), values.get(j).get(row), row, c);
                }
            }
            return c.report();
        }

        /** @return a random-access view of a column, or {@code null} when it is not a list or array */
        private static List<?> asList(Object column) {
            if (column instanceof List<?> list) {
                return list instanceof RandomAccess ? list : new ArrayList<>(list);
            }
            if (column.getClass().isArray()) {
                if (column instanceof Object[] array) {
                    return java.util.Arrays.asList(array);
                }
                return new java.util.AbstractList<Object>() {
                    private final int size = Array.getLength(column);

                    @Override
                    public Object get(int index) {
                        return Array.get(column, index);
                    }

                    @Override
                    public int size() {
                        return size;
                    }
                };
            }
            return null;
        }

        private void checkValue(Field f, Object value, int row, Collector c) {
            if (value == null) {
                if (!f.nullable()) {
                    c.add(row, f.name(), Problem.NULL, f.describe(), "null");
                }
                return;
            }
            if (f.shape().isEmpty()) {
                FieldType.Refusal refusal = f.type().refuse(value, allowNonFinite);
                if (refusal != null) {
                    c.add(row, f.name(), refusal.problem(), f.describe(),
                            c.keeping() ? describe(value) + reason(refusal) : "");
                }
                return;
            }
            int[] index = new int[f.shape().size()];
            checkTensor(f, value, 0, index, row, c);
        }

        /** @return whether the tensor fit; reports its first problem otherwise */
        private boolean checkTensor(Field f, Object value, int dim, int[] index, int row, Collector c) {
            int length;
            List<?> list = value instanceof List<?> l ? l : null;
            if (list != null) {
                length = list.size();
            } else if (value.getClass().isArray()) {
                length = Array.getLength(value);
            } else {
                c.add(row, f.name(), Problem.SHAPE, f.describe(), c.keeping()
                        ? describe(value) + at(index, dim) + " where dimension " + dim + " needs a List or array" : "");
                return false;
            }
            int expected = f.shape().get(dim);
            if (expected != -1 && length != expected) {
                c.add(row, f.name(), Problem.SHAPE, f.describe(), c.keeping()
                        ? describe(value) + at(index, dim) + ", size " + length + " in dimension " + dim : "");
                return false;
            }
            boolean last = dim == f.shape().size() - 1;
            Object[] boxed = list == null && value instanceof Object[] a ? a : null;
            for (int i = 0; i < length; i++) {
                index[dim] = i;
                Object element = list != null ? list.get(i) : boxed != null ? boxed[i] : Array.get(value, i);
                if (element == null) {
                    c.add(row, f.name(), Problem.NULL, f.describe(), c.keeping() ? "null" + at(index, dim + 1) : "");
                    return false;
                }
                if (last) {
                    FieldType.Refusal refusal = f.type().refuse(element, allowNonFinite);
                    if (refusal != null) {
                        c.add(row, f.name(), refusal.problem(), f.describe(),
                                c.keeping() ? describe(element) + reason(refusal) + at(index, dim + 1) : "");
                        return false;
                    }
                } else if (!checkTensor(f, element, dim + 1, index, row, c)) {
                    return false;
                }
            }
            return true;
        }

        private static String at(int[] index, int depth) {
            if (depth == 0) {
                return "";
            }
            StringBuilder b = new StringBuilder(" at ");
            for (int d = 0; d < depth; d++) {
                b.append('[').append(index[d]).append(']');
            }
            return b.toString();
        }

        private static String reason(FieldType.Refusal refusal) {
            return refusal.reason().isEmpty() ? "" : " (" + refusal.reason() + ")";
        }
    }

    /** Keeps the first violations and counts them all; builds no message text once full. */
    private static final class Collector {
        private final int max;
        private final List<Violation> kept = new ArrayList<>();
        private long total;

        Collector(int max) {
            this.max = max;
        }

        boolean keeping() {
            return kept.size() < max;
        }

        void add(int row, String field, Problem problem, String expected, String found) {
            total++;
            if (keeping()) {
                kept.add(new Violation(row < 0 ? OptionalInt.empty() : OptionalInt.of(row), field, problem,
                        expected, found));
            }
        }

        Report report() {
            return total == 0 ? Report.VALID : new Report(kept, total);
        }
    }

    /**
     * @param value anything a request may carry
     * @return its type and, for simple values, the value itself, printable and bounded
     */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "String " + Names.quote(s);
        }
        if (value instanceof Double || value instanceof Float || value instanceof Long || value instanceof Integer
                || value instanceof Short || value instanceof Byte || value instanceof Boolean) {
            return value.getClass().getSimpleName() + " " + value;
        }
        if (value instanceof Character ch) {
            return "Character " + Names.quote(String.valueOf(ch));
        }
        if (value instanceof Number n && n.getClass().getName().startsWith("java.")) {
            return n.getClass().getSimpleName() + " " + Names.quote(n.toString());
        }
        if (value instanceof List<?> list) {
            return "List of " + list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return "Map of " + map.size();
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            Class<?> base = type;
            int dims = 0;
            while (base.isArray()) {
                base = base.getComponentType();
                dims++;
            }
            return base.getSimpleName() + "[" + Array.getLength(value) + "]" + "[]".repeat(dims - 1);
        }
        String simple = type.getSimpleName();
        return simple.isEmpty() ? Names.quote(type.getName()) : simple;
    }
}
