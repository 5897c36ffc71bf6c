package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.Signature.Problem;
import dev.mlops.core.registry.Signature.Report;
import dev.mlops.core.registry.Signature.Violation;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariants of signature checking over random signatures and rows. Each try draws a signature (1 to 6
 * fields of any type, scalar or tensor of rank 1 or 2, optional or not) and its values from one seed, so a
 * failure is reproduced by the seed jqwik prints.
 */
class SignaturePropertiesTest {
    private static final String[] NAMES = {"a", "b", "c", "d", "e", "f"};

    @Property(tries = 500)
    void rowOfValidValues_fromTheSignaturesOwnFields_alwaysPasses(@ForAll long seed) {
        Random r = new Random(seed);
        Signature sig = signature(r);
        Map<String, Object> row = validRow(sig.inputs(), r);
        Report report = sig.validator().checkInput(row);
        assertTrue(report.isValid(), sig + " " + row + ": " + report);
        assertTrue(sig.validator().checkOutput(validRow(sig.outputs(), r)).isValid());
    }

    @Property(tries = 500)
    void addingAnUnknownKey_addsExactlyOneUnknownViolation_unlessAllowed(@ForAll long seed) {
        Random r = new Random(seed);
        Signature sig = signature(r);
        Map<String, Object> row = validRow(sig.inputs(), r);
        String key = r.nextBoolean() ? "zz" + r.nextInt(1000) : "A";
        row.put(key, r.nextBoolean() ? 1.0 : "x");
        Report report = sig.validator().checkInput(row);
        assertEquals(1, report.total(), report.toString());
        assertEquals(Problem.UNKNOWN, report.violations().get(0).problem());
        assertEquals(key, report.violations().get(0).field());
        assertTrue(sig.allowingUnknownFields().checkInput(row).isValid());
    }

    @Property(tries = 500)
    void removingAField_failsOnlyWhenItIsRequired(@ForAll long seed) {
        Random r = new Random(seed);
        Signature sig = signature(r);
        Map<String, Object> row = validRow(sig.inputs(), r);
        Field removed = sig.inputs().get(r.nextInt(sig.inputs().size()));
        row.remove(removed.name());
        Report report = sig.validator().checkInput(row);
        if (removed.nullable()) {
            assertTrue(report.isValid(), report.toString());
        } else {
            assertEquals(List.of(Problem.MISSING), report.violations().stream().map(Violation::problem).toList());
        }
    }

    @Property(tries = 300)
    void batchAsRows_andTheSameBatchAsColumns_reportTheSameViolations(@ForAll long seed) {
        Random r = new Random(seed);
        Signature sig = signature(r);
        int n = r.nextInt(6);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = validRow(sig.inputs(), r);
            for (Field f : sig.inputs()) {
                row.putIfAbsent(f.name(), null);
                if (r.nextInt(4) == 0) {
                    row.put(f.name(), invalid(f, r));
                }
            }
            rows.add(row);
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        for (Field f : sig.inputs()) {
            List<Object> column = new ArrayList<>();
            rows.forEach(row -> column.add(row.get(f.name())));
            columns.put(f.name(), r.nextBoolean() ? column : column.toArray());
        }
        Signature.Validator v = sig.validator().reportingAtMost(1000);
        assertEquals(v.checkInputRows(rows), v.checkInputColumns(columns));
    }

    @Property(tries = 300)
    void theCap_keepsTheFirstViolations_andNeverChangesTheTotal(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 30) int cap) {
        Random r = new Random(seed);
        Signature sig = signature(r);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> row = new HashMap<>();
            for (Field f : sig.inputs()) {
                row.put(f.name(), r.nextBoolean() ? invalid(f, r) : value(f, r));
            }
            rows.add(row);
        }
        Report all = sig.validator().reportingAtMost(Integer.MAX_VALUE).checkInputRows(rows);
        Report capped = sig.validator().reportingAtMost(cap).checkInputRows(rows);
        assertEquals(all.total(), capped.total());
        assertEquals(all.violations().subList(0, Math.min(cap, all.violations().size())), capped.violations());
    }

    @Property(tries = 200)
    void outputs_areCheckedExactlyAsInputsWouldBe(@ForAll long seed) {
        Random r = new Random(seed);
        Signature sig = signature(r);
        Signature flipped = new Signature(sig.outputs(), sig.inputs());
        Map<String, Object> row = validRow(sig.outputs(), r);
        if (r.nextBoolean()) {
            Field f = sig.outputs().get(0);
            row.put(f.name(), invalid(f, r));
        }
        assertEquals(flipped.validator().checkInput(row), sig.validator().checkOutput(row));
    }

    private static Signature signature(Random r) {
        return new Signature(fields(r), fields(r));
    }

    private static List<Field> fields(Random r) {
        List<Field> fields = new ArrayList<>();
        int count = 1 + r.nextInt(NAMES.length);
        for (int i = 0; i < count; i++) {
            FieldType type = FieldType.values()[r.nextInt(FieldType.values().length)];
            List<Integer> shape = new ArrayList<>();
            if (type != FieldType.BYTES && r.nextInt(3) == 0) {
                int rank = 1 + r.nextInt(2);
                for (int d = 0; d < rank; d++) {
                    shape.add(r.nextBoolean() ? -1 : 1 + r.nextInt(3));
                }
            }
            fields.add(new Field(NAMES[i], type, shape, r.nextBoolean()));
        }
        return fields;
    }

    private static Map<String, Object> validRow(List<Field> fields, Random r) {
        Map<String, Object> row = new HashMap<>();
        for (Field f : fields) {
            if (!f.nullable() || r.nextInt(3) > 0) {
                row.put(f.name(), f.nullable() && r.nextInt(4) == 0 ? null : value(f, r));
            }
        }
        return row;
    }

    private static Object value(Field f, Random r) {
        return f.shape().isEmpty() ? scalar(f.type(), r) : tensor(f, 0, r);
    }

    /** A value no field of this type accepts: a string for numbers and booleans, a number for strings. */
    private static Object invalid(Field f, Random r) {
        return switch (f.type()) {
            case STRING, CATEGORY -> r.nextInt();
            case FLOAT32, FLOAT64 -> r.nextBoolean() ? Double.NaN : "1.5";
            default -> r.nextBoolean() ? "1" : 1.5;
        };
    }

    private static Object tensor(Field f, int dim, Random r) {
        int declared = f.shape().get(dim);
        int size = declared == -1 ? r.nextInt(4) : declared;
        boolean last = dim == f.shape().size() - 1;
        if (last && r.nextBoolean()) {
            Class<?> primitive = primitive(f.type());
            if (primitive != null) {
                Object array = Array.newInstance(primitive, size);
                for (int i = 0; i < size; i++) {
                    Array.set(array, i, primitiveValue(f.type(), r));
                }
                return array;
            }
        }
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            elements.add(last ? scalar(f.type(), r) : tensor(f, dim + 1, r));
        }
        return r.nextBoolean() ? elements : elements.toArray();
    }

    private static Class<?> primitive(FieldType type) {
        return switch (type) {
            case FLOAT64 -> double.class;
            case FLOAT32 -> float.class;
            case INT64 -> long.class;
            case INT32 -> int.class;
            case BOOLEAN -> boolean.class;
            default -> null;
        };
    }

    private static Object primitiveValue(FieldType type, Random r) {
        return switch (type) {
            case FLOAT64 -> r.nextGaussian() * 1e6;
            case FLOAT32 -> (float) r.nextGaussian();
            case INT64 -> r.nextLong();
            case INT32 -> r.nextInt();
            case BOOLEAN -> r.nextBoolean();
            default -> throw new AssertionError(type);
        };
    }

    /** Every kind of boxed value the type's rule accepts, at its edges as well as in the middle. */
    private static Object scalar(FieldType type, Random r) {
        long twoTo53 = 1L << 53;
        long twoTo24 = 1L << 24;
        return switch (type) {
            case FLOAT64 -> switch (r.nextInt(7)) {
                case 0 -> r.nextGaussian() * Math.pow(10, r.nextInt(600) - 300);
                case 1 -> (float) r.nextGaussian();
                case 2 -> r.nextInt();
                case 3 -> (short) r.nextInt();
                case 4 -> (byte) r.nextInt();
                case 5 -> r.nextBoolean() ? twoTo53 : -twoTo53;
                default -> r.nextLong() % twoTo53;
            };
            case FLOAT32 -> switch (r.nextInt(5)) {
                case 0 -> (float) (r.nextDouble() * 2 - 1) * Float.MAX_VALUE;
                case 1 -> (r.nextBoolean() ? 1 : -1) * (1 + r.nextDouble()) * Math.pow(10, r.nextInt(70) - 37);
                case 2 -> r.nextBoolean() ? (int) twoTo24 : (int) -twoTo24;
                case 3 -> r.nextLong() % twoTo24;
                default -> (short) r.nextInt();
            };
            case INT64 -> switch (r.nextInt(4)) {
                case 0 -> r.nextLong();
                case 1 -> r.nextInt();
                case 2 -> (short) r.nextInt();
                default -> r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            };
            case INT32 -> switch (r.nextInt(4)) {
                case 0 -> r.nextInt();
                case 1 -> (long) r.nextInt();
                case 2 -> (byte) r.nextInt();
                default -> r.nextBoolean() ? (long) Integer.MIN_VALUE : (long) Integer.MAX_VALUE;
            };
            case BOOLEAN -> r.nextBoolean();
            case STRING, CATEGORY -> r.nextBoolean() ? "" : "s\n\u00e9" + r.nextInt();
            case BYTES -> new byte[r.nextInt(4)];
        };
    }
}
