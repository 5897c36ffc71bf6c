package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.Signature.MismatchException;
import dev.mlops.core.registry.Signature.Problem;
import dev.mlops.core.registry.Signature.Report;
import dev.mlops.core.registry.Signature.Violation;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** One test per rule in {@link Signature}'s Javadoc, for single rows, inputs and outputs. */
class SignatureRulesTest {
    private final Signature sig = Signature.of(Field.float64("amount"), Field.category("country").orNull())
            .returns(Field.float64("score"), Field.string("reason").orNull());

    @Test
    void requiredField_missing_isMissing_andNull_isNull() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("amount", null);
        assertEquals(List.of(new Violation(OptionalInt.empty(), "amount", Problem.MISSING, "float64", "no value")),
                sig.validator().checkInput(Map.of()).violations());
        assertEquals(List.of(new Violation(OptionalInt.empty(), "amount", Problem.NULL, "float64", "null")),
                sig.validator().checkInput(withNull).violations());
    }

    @Test
    void optionalField_missingOrNull_passes() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("amount", 1.0);
        withNull.put("country", null);
        sig.validateInput(Map.of("amount", 1.0));
        sig.validateInput(withNull);
    }

    @Test
    void unknownField_isRejectedByDefault_naming_it() {
        Report r = sig.validator().checkInput(Map.of("amount", 1.0, "cuntry", "de"));
        assertEquals(List.of(new Violation(OptionalInt.empty(), "cuntry", Problem.UNKNOWN, "nothing (not declared)",
                "String \"de\"")), r.violations());
    }

    @Test
    void unknownField_passesWhenAllowed_andIsNotChecked() {
        Signature.Validator lenient = sig.allowingUnknownFields();
        assertTrue(lenient.allowsUnknownFields());
        assertTrue(lenient.checkInput(Map.of("amount", 1.0, "cuntry", new Object())).isValid());
        assertFalse(lenient.checkInput(Map.of("cuntry", "de")).isValid(), "required fields are still required");
    }

    @Test
    void nullKey_isAnUnknownField_notACrash() {
        Map<String, Object> row = new HashMap<>();
        row.put("amount", 1.0);
        row.put(null, 2);
        assertEquals(List.of("field \"null\": expected nothing (not declared), found Integer 2"), sig.violations(row));
    }

    @Test
    void validateOutput_checksTheOutputs_notTheInputs() {
        sig.validateOutput(Map.of("score", 0.93));
        sig.validateOutput(Map.of("score", 0.93, "reason", "high amount"));
        MismatchException e = assertThrows(MismatchException.class,
                () -> sig.validateOutput(Map.of("score", "high", "amount", 1.0)));
        assertEquals("output row does not match the model signature (2 violations): field \"score\": expected"
                + " float64, found String \"high\"; field \"amount\": expected nothing (not declared), found Double 1.0",
                e.getMessage());
        assertEquals(2, e.report().total());
    }

    @Test
    void undeclaredSide_checksNothing() {
        Signature inputsOnly = Signature.of(Field.float64("amount"));
        inputsOnly.validateOutput(Map.of("anything", "goes"));
        inputsOnly.validateOutputRows(List.of(Map.of("a", 1)));
        inputsOnly.validateOutputColumns(Map.of("a", new int[] {1, 2}));
        Signature.none().validateInput(Map.of("x", 1));
        assertTrue(Signature.none().violations(Map.of("x", 1)).isEmpty());
    }

    @Test
    void messages_areOneLine_withFoundValuesEscapedAndShortened() {
        String hostile = "1.5\nERROR forged log line \u001b[31m" + "x".repeat(500);
        Map<String, Object> row = Map.of("amount", hostile, "evil\r\nkey" + "k".repeat(300), hostile);
        List<String> messages = sig.violations(row);
        assertEquals(2, messages.size(), messages.toString());
        for (String m : messages) {
            assertFalse(m.contains("\n") || m.contains("\r") || m.contains("\u001b"), m);
            assertTrue(m.length() < 400, m.length() + ": " + m);
            assertTrue(m.contains("...(") && m.contains(" chars)"), m);
        }
        assertTrue(messages.get(0).startsWith("field \"amount\": expected float64, found String \"1.5\\u000aERROR"),
                messages.get(0));
    }

    @Test
    void foundValues_nameTypeAndValue_butNeverCallToStringOnUserObjects() {
        Object opaque = new Object() {
            @Override
            public String toString() {
                throw new AssertionError("toString must not be called");
            }
        };
        List<String> m = sig.violations(Map.of("amount", opaque));
        assertTrue(m.get(0).startsWith("field \"amount\": expected float64, found \""), m.get(0));
        assertEquals("field \"amount\": expected float64, found List of 2",
                sig.violations(Map.of("amount", List.of(1, 2))).get(0));
        assertEquals("field \"amount\": expected float64, found double[3][]",
                sig.violations(Map.of("amount", new double[3][2])).get(0));
        assertEquals("field \"amount\": expected float64, found BigDecimal \"0.1\"",
                sig.violations(Map.of("amount", new java.math.BigDecimal("0.1"))).get(0));
    }

    @Test
    void tensor_takesNestedListsOrArraysOfItsShape_anySizeWhereMinusOne() {
        Signature t = Signature.of(Field.tensor("img", FieldType.FLOAT32, -1, 2, 2));
        t.validateInput(Map.of("img", new float[][][] {{{1, 2}, {3, 4}}}));
        t.validateInput(Map.of("img", List.of(List.of(List.of(1f, 2f), new float[] {3, 4}),
                new Float[][] {{1f, 2f}, {3f, 4f}})));
        t.validateInput(Map.of("img", List.of()));
    }

    @Test
    void tensor_reportsItsFirstBadElementOrSize_withTheIndex() {
        Signature t = Signature.of(Field.tensor("img", FieldType.FLOAT64, -1, 2));
        assertEquals(List.of("field \"img\": expected float64 tensor [-1, 2], found String \"x\" at [1][0]"),
                t.violations(Map.of("img", List.of(List.of(1, 2), List.of("x", "y")))));
        assertEquals(List.of("field \"img\": expected float64 tensor [-1, 2], found null at [0][1]"),
                t.violations(Map.of("img", List.of(Arrays.asList(1.0, null)))));
        assertEquals(List.of("field \"img\": expected float64 tensor [-1, 2], found double[3] at [0],"
                + " size 3 in dimension 1"), t.violations(Map.of("img", new double[][] {{1, 2, 3}})));
        assertEquals(List.of("field \"img\": expected float64 tensor [-1, 2], found Double 1.0 at [0]"
                + " where dimension 1 needs a List or array"), t.violations(Map.of("img", List.of(1.0))));
        assertEquals(List.of("field \"img\": expected float64 tensor [-1, 2], found Double NaN at [0][1]"),
                t.violations(Map.of("img", new double[][] {{1, Double.NaN}})));
        assertEquals(Problem.NOT_FINITE, t.validator().checkInput(Map.of("img", new double[][] {{1, Double.NaN}}))
                .violations().get(0).problem());
    }

    @Test
    void singleRow_withManyUnknownKeys_reportsTheFirst20_andCountsTheRest() {
        Map<String, Object> row = new HashMap<>();
        row.put("amount", 1.0);
        for (int i = 0; i < 1000; i++) {
            row.put("k" + i, i);
        }
        Report r = sig.validator().checkInput(row);
        assertEquals(Signature.DEFAULT_MAX_REPORTED, r.violations().size());
        assertEquals(1000, r.total());
        assertEquals(980, r.omitted());
        assertTrue(r.toString().endsWith("; and 980 more"), r.toString());
    }

    @Test
    void legacyViolationsAndValidate_areTheInputCheck() {
        Map<String, Object> bad = Map.of("amount", "x");
        assertEquals(sig.validator().checkInput(bad).messages(), sig.violations(bad));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sig.validate(bad));
        assertEquals(MismatchException.class, e.getClass());
    }

    @Test
    void validatorOptions_returnChangedCopies_andLeaveTheOriginalStrict() {
        Signature.Validator strict = sig.validator();
        Signature.Validator loose = strict.allowingUnknownFields().allowingNonFinite().reportingAtMost(3);
        assertNotSame(strict, loose);
        assertFalse(strict.allowsUnknownFields() || strict.allowsNonFinite());
        assertEquals(Signature.DEFAULT_MAX_REPORTED, strict.maxReported());
        assertTrue(loose.allowsUnknownFields() && loose.allowsNonFinite());
        assertEquals(3, loose.maxReported());
        assertEquals(sig, loose.signature());
        assertThrows(IllegalArgumentException.class, () -> strict.reportingAtMost(-1));
        assertEquals("Signature.Validator[unknown fields rejected, non-finite rejected, reporting at most 20]",
                strict.toString());
    }

    @Test
    void reportAndViolation_refuseInconsistentParts() {
        Violation v = new Violation(OptionalInt.of(0), "a", Problem.TYPE, "float64", "String \"x\"");
        assertThrows(IllegalArgumentException.class, () -> new Report(List.of(v), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Violation(OptionalInt.of(-1), "a", Problem.TYPE, "float64", "x"));
        assertThrows(NullPointerException.class, () -> new Violation(OptionalInt.empty(), null, Problem.TYPE, "", ""));
        assertEquals("row 0: field \"a\": expected float64, found String \"x\"", v.message());
        assertEquals("no violations", new Report(List.of(), 0).toString());
        assertEquals("5 violations", new Report(List.of(), 5).toString());
    }

    @Test
    void nullArguments_failNamingTheArgument() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> sig.validateInput(null));
        assertEquals("row", e.getMessage());
        assertEquals("rows", assertThrows(NullPointerException.class, () -> sig.validateInputRows(null)).getMessage());
        assertEquals("columns",
                assertThrows(NullPointerException.class, () -> sig.validateInputColumns(null)).getMessage());
    }
}
