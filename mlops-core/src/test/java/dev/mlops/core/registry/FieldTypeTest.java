package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table in {@link FieldType}'s Javadoc, row by row: what each type accepts and what it refuses. */
class FieldTypeTest {
    private static final long TWO_53 = 1L << 53;
    private static final long TWO_24 = 1L << 24;

    @Test
    void float64_acceptsFloatsAndExactIntegers_refusesLongsBeyond2pow53AndOtherNumbers() {
        assertAccepts(Field.float64("x"), 1.5, 1.5f, 3, (short) 3, (byte) 3, TWO_53, -TWO_53, Double.MAX_VALUE,
                -0.0, Double.MIN_VALUE);
        assertRefuses(Field.float64("x"), TWO_53 + 1, -TWO_53 - 1, Long.MAX_VALUE, Long.MIN_VALUE,
                new BigDecimal("1.5"), BigInteger.ONE, "1.5", true, 'c');
        assertEquals("field \"x\": expected float64, found Long 9007199254740993 (not exact in float64, |v| > 2^53)",
                message(Field.float64("x"), TWO_53 + 1));
    }

    @Test
    void float32_acceptsFloatsRoundedDoublesAndSmallIntegers_refusesOverflowUnderflowAndLargeIntegers() {
        assertAccepts(Field.float32("x"), 1.5f, 0.1, -0.0, (double) Float.MAX_VALUE, 1e-40 /* subnormal float */,
                (int) TWO_24, -TWO_24, (short) 7, (byte) 7);
        assertRefuses(Field.float32("x"), 1e39, -1e39, 1e-50, (int) TWO_24 + 1, TWO_24 + 1, Long.MIN_VALUE,
                new BigDecimal("0.5"), "0.5");
        assertEquals("field \"x\": expected float32, found Double 1.0E39 (overflows float32)",
                message(Field.float32("x"), 1e39));
        assertEquals("field \"x\": expected float32, found Double 1.0E-50 (underflows float32 to zero)",
                message(Field.float32("x"), 1e-50));
    }

    @Test
    void int64_acceptsIntegralBoxes_refusesEveryFloatEvenIntegral() {
        assertAccepts(Field.int64("x"), Long.MAX_VALUE, Long.MIN_VALUE, 3, (short) 3, (byte) 3);
        assertRefuses(Field.int64("x"), 3.0, 3.0f, BigInteger.ONE, "3", true);
    }

    @Test
    void int32_acceptsIntsAndLongsInRange_refusesLongsOutOfRangeAndFloats() {
        assertAccepts(Field.int32("x"), Integer.MAX_VALUE, Integer.MIN_VALUE, (long) Integer.MAX_VALUE,
                (long) Integer.MIN_VALUE, (short) 3, (byte) 3);
        assertRefuses(Field.int32("x"), Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L, 3.0, "3");
        assertEquals("field \"x\": expected int32, found Long 2147483648 (outside int32 range)",
                message(Field.int32("x"), Integer.MAX_VALUE + 1L));
    }

    @Test
    void boolean_acceptsBooleanOnly() {
        assertAccepts(Field.bool("x"), true, false);
        assertRefuses(Field.bool("x"), "true", 1, 0, 'y');
    }

    @Test
    void stringAndCategory_acceptStringOnly_emptyIncluded() {
        for (Field f : List.of(Field.string("x"), Field.category("x"))) {
            assertAccepts(f, "de", "");
            assertRefuses(f, new StringBuilder("de"), 'd', 1, true, new char[] {'d'});
        }
    }

    @Test
    void bytes_acceptsByteArrayOnly() {
        assertAccepts(Field.bytes("x"), new byte[0], new byte[] {1, 2});
        assertRefuses(Field.bytes("x"), ByteBuffer.wrap(new byte[1]), List.of((byte) 1), "AQI=");
    }

    @Test
    void floats_refuseNaNAndInfinities_unlessTheValidatorAllowsThem() {
        Signature.Validator strict = Signature.of(Field.float64("d"), Field.float32("f")).validator();
        for (Object v : List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN,
                Float.POSITIVE_INFINITY)) {
            Signature.Report r = strict.checkInput(Map.of("d", v, "f", v));
            assertEquals(2, r.total(), r.toString());
            assertTrue(r.violations().stream().allMatch(x -> x.problem() == Signature.Problem.NOT_FINITE), r.toString());
            assertTrue(strict.allowingNonFinite().checkInput(Map.of("d", v, "f", v)).isValid());
        }
        assertEquals("field \"d\": expected float64, found Double NaN",
                strict.checkInput(Map.of("d", Double.NaN, "f", 1f)).messages().get(0));
    }

    @Test
    void primitiveArrays_inTensors_followTheScalarRuleElementByElement() {
        assertAccepts(Field.tensor("t", FieldType.FLOAT64, -1), new double[] {1}, new float[] {1}, new int[] {1},
                new long[] {TWO_53}, new short[] {1}, new byte[] {1});
        assertRefuses(Field.tensor("t", FieldType.FLOAT64, -1), new long[] {TWO_53 + 1}, new double[] {Double.NaN},
                new boolean[] {true}, new char[] {'a'});
        assertAccepts(Field.tensor("t", FieldType.INT32, -1), new int[] {1}, new long[] {1});
        assertRefuses(Field.tensor("t", FieldType.INT32, -1), new long[] {1L << 40}, new double[] {1});
        assertAccepts(Field.tensor("t", FieldType.BOOLEAN, 2), new boolean[] {true, false});
    }

    private static String message(Field f, Object value) {
        return Signature.of(f).validator().checkInput(Map.of(f.name(), value)).messages().get(0);
    }

    private static void assertAccepts(Field f, Object... values) {
        for (Object v : values) {
            Signature.Report r = Signature.of(f).validator().checkInput(Map.of(f.name(), v));
            assertTrue(r.isValid(), f.describe() + " should accept " + Signature.describe(v) + ": " + r);
        }
    }

    private static void assertRefuses(Field f, Object... values) {
        List<String> accepted = new ArrayList<>();
        for (Object v : values) {
            Signature.Report r = Signature.of(f).validator().checkInput(Map.of(f.name(), v));
            if (r.isValid()) {
                accepted.add(Signature.describe(v));
            } else {
                assertEquals(1, r.total(), r.toString());
            }
        }
        assertTrue(accepted.isEmpty(), f.describe() + " should refuse " + accepted);
    }
}
