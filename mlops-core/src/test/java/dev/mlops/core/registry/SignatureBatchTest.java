package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.Signature.MismatchException;
import dev.mlops.core.registry.Signature.Problem;
import dev.mlops.core.registry.Signature.Report;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batches as rows and as columns: row indices, the cap on what is reported, column lengths. */
class SignatureBatchTest {
    private final Signature sig = Signature.of(Field.float64("amount"), Field.category("country").orNull(),
            Field.tensor("emb", FieldType.FLOAT32, 2)).returns(Field.float64("score"));

    @Test
    void rows_fittingBatch_passes_andEmptyBatchPasses() {
        sig.validateInputRows(List.of(
                Map.of("amount", 1.0, "country", "de", "emb", new float[] {1, 2}),
                Map.of("amount", 2, "emb", List.of(1.0, 2.0))));
        sig.validateInputRows(List.of());
        sig.validateOutputRows(List.of(Map.of("score", 0.5), Map.of("score", 0.7f)));
    }

    @Test
    void rows_violationsNameTheirRow() {
        MismatchException e = assertThrows(MismatchException.class, () -> sig.validateInputRows(List.of(
                Map.of("amount", 1.0, "emb", new float[] {1, 2}),
                Map.of("amount", "1", "emb", new float[] {1, 2}),
                Map.of("amount", 1.0, "emb", new float[] {1}, "extra", true))));
        assertEquals("input batch of 3 rows does not match the model signature (3 violations):"
                + " row 1: field \"amount\": expected float64, found String \"1\";"
                + " row 2: field \"emb\": expected float32 tensor [2], found float[1], size 1 in dimension 0;"
                + " row 2: field \"extra\": expected nothing (not declared), found Boolean true", e.getMessage());
        assertEquals(List.of(1, 2, 2), e.report().violations().stream().map(v -> v.row().getAsInt()).toList());
    }

    @Test
    void rows_reportTheFirst20_andCountTheRest() {
        List<Map<String, ?>> rows = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            rows.add(Map.of("amount", "bad", "emb", new float[] {1, 2}));
        }
        Report r = sig.validator().checkInputRows(rows);
        assertEquals(20, r.violations().size());
        assertEquals(1000, r.total());
        assertEquals(19, r.violations().get(19).row().getAsInt());
        MismatchException e = assertThrows(MismatchException.class, () -> sig.validateInputRows(rows));
        assertTrue(e.getMessage().startsWith("input batch of 1000 rows does not match the model signature"
                + " (1000 violations): row 0: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; and 980 more"), e.getMessage());
        Report counted = sig.validator().reportingAtMost(0).checkInputRows(rows);
        assertEquals(0, counted.violations().size());
        assertEquals(1000, counted.total());
    }

    @Test
    void rows_nullRow_failsNamingItsIndex() {
        List<Map<String, ?>> rows = Arrays.asList(Map.of("amount", 1.0, "emb", new float[] {1, 2}), null);
        assertEquals("rows[1]", assertThrows(NullPointerException.class, () -> sig.validateInputRows(rows))
                .getMessage());
    }

    @Test
    void columns_fittingBatch_passes_withArraysListsAndPrimitiveColumns() {
        sig.validateInputColumns(Map.of(
                "amount", new double[] {1, 2, 3},
                "country", Arrays.asList("de", null, "fr"),
                "emb", new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        sig.validateInputColumns(Map.of("amount", new LinkedList<>(List.of(1, 2L)),
                "emb", List.of(List.of(1f, 2f), new float[] {3, 4})));
        sig.validateInputColumns(Map.of("amount", new double[0], "emb", List.of()));
        sig.validateOutputColumns(Map.of("score", new Double[] {0.1, 0.2}));
    }

    @Test
    void columns_violationsNameTheirRow() {
        Report r = sig.validator().checkInputColumns(Map.of(
                "amount", new Object[] {1.0, "two", null},
                "emb", new float[][] {{1, 2}, {3, 4}, {5}}));
        assertEquals(List.of(
                "row 1: field \"amount\": expected float64, found String \"two\"",
                "row 2: field \"amount\": expected float64, found null",
                "row 2: field \"emb\": expected float32 tensor [2], found float[1], size 1 in dimension 0"),
                r.messages());
    }

    @Test
    void columns_ofUnequalLength_areOneLengthViolation_andTheirValuesAreNotChecked() {
        Report r = sig.validator().checkInputColumns(Map.of(
                "amount", new double[] {1, 2, 3},
                "country", new Object[] {1, 2},
                "emb", new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        assertEquals(List.of("field \"country\": expected a column of 3 values, as \"amount\" has, found Object[2]"),
                r.messages());
        assertEquals(Problem.LENGTH, r.violations().get(0).problem());
    }

    @Test
    void columns_missingNullNotAColumnAndUnknown_areWholeColumnViolations() {
        Map<String, Object> columns = new HashMap<>();
        columns.put("amount", 1.0);
        columns.put("emb", null);
        columns.put("extra", new int[] {1});
        assertEquals(List.of(
                "field \"amount\": expected a column (List or array) of float64, found Double 1.0",
                "field \"emb\": expected a column of float32 tensor [2], found null",
                "field \"extra\": expected nothing (not declared), found int[1]"),
                sig.validator().checkInputColumns(columns).messages());
        assertEquals(List.of("field \"amount\": expected a column of float64, found no value",
                "field \"emb\": expected a column of float32 tensor [2], found no value"),
                sig.validator().checkInputColumns(Map.of()).messages());
        assertTrue(sig.allowingUnknownFields().checkInputColumns(Map.of("amount", new double[] {1},
                "emb", new float[][] {{1, 2}}, "extra", "not even a column")).isValid());
    }

    @Test
    void columns_nonFinite_areRejected_unlessAllowed() {
        Map<String, ?> columns = Map.of("amount", new double[] {1, Double.NaN}, "emb", new float[][] {{1, 2}, {3, 4}});
        assertEquals(List.of("row 1: field \"amount\": expected float64, found Double NaN"),
                sig.validator().checkInputColumns(columns).messages());
        sig.validator().allowingNonFinite().validateInputColumns(columns);
    }
}
