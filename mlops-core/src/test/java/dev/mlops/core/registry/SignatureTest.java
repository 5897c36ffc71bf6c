package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignatureTest {
    private final Signature sig = Signature.of(
            Field.float64("amount"),
            Field.category("country").orNull(),
            Field.int64("age"),
            Field.tensor("embedding", FieldType.FLOAT32, 3),
            Field.tensor("image", FieldType.FLOAT64, -1, 2))
            .returns(Field.float64("score"));

    @Test
    void validate_fittingRequest_passes() {
        sig.validate(Map.of("amount", 12.5, "age", 41, "embedding", new float[] {1, 2, 3},
                "image", new double[][] {{1, 2}, {3, 4}, {5, 6}}));
    }

    @Test
    void validate_extraField_isRejectedByDefault_andPassesWhenAllowed() {
        Map<String, Object> request = Map.of("amount", 12.5, "age", 41, "embedding", new float[] {1, 2, 3},
                "image", new double[][] {{1, 2}}, "extra", "ignored");
        Signature.MismatchException e = assertThrows(Signature.MismatchException.class, () -> sig.validate(request));
        assertEquals("input row does not match the model signature (1 violation): field \"extra\": expected"
                + " nothing (not declared), found String \"ignored\"", e.getMessage());
        sig.allowingUnknownFields().validateInput(request);
    }

    @Test
    void violations_listEveryBadFieldByName() {
        Map<String, Object> request = new HashMap<>();
        request.put("amount", "12.5");
        request.put("country", null);
        request.put("embedding", new float[] {1, 2});
        request.put("image", List.of(List.of(1.0, 2.0), List.of(3.0)));
        List<String> problems = sig.violations(request);

        assertEquals(List.of(
                "field \"amount\": expected float64, found String \"12.5\"",
                "field \"age\": expected int64, found no value",
                "field \"embedding\": expected float32 tensor [3], found float[2], size 2 in dimension 0",
                "field \"image\": expected float64 tensor [-1, 2], found List of 1 at [1], size 1 in dimension 1"),
                problems);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sig.validate(request));
        assertTrue(e.getMessage().contains("field \"amount\""), e.getMessage());
    }

    @Test
    void signature_duplicateFieldOrBadShape_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> Signature.of(Field.float64("a"), Field.int32("a")));
        assertThrows(IllegalArgumentException.class, () -> Field.tensor("t", FieldType.FLOAT32, 0));
    }

    @Test
    void modelRef_parse_readsAllThreeForms() {
        assertEquals(ModelRef.of("fraud", 7), ModelRef.parse("fraud:7"));
        assertEquals(ModelRef.latest("fraud"), ModelRef.parse("fraud:latest"));
        assertEquals(ModelRef.alias("fraud", "champion"), ModelRef.parse("fraud@champion"));
        assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("fraud"));
        assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("fraud:seven"));
        assertThrows(IllegalArgumentException.class, () -> ModelRef.parse("fraud:0"));
        for (String nonCanonical : new String[] {"a:+1", "a:01", "a:\u0661", "a:-1", "a:1 ", "a: 1", "a:",
            "a:9223372036854775808", "a:99999999999999999999", "a:1e3", "a:0x1", "a:\uff11"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRef.parse(nonCanonical),
                    nonCanonical);
            assertFalse(e.getMessage().contains("\u0661") || e.getMessage().contains("\uff11"), e.getMessage());
        }
        assertEquals(ModelRef.of("a", Long.MAX_VALUE), ModelRef.parse("a:9223372036854775807"));
    }

    @Test
    void newVersionBuilder_settingAPartTwiceOrOmittingTheArtifact_failsFast() {
        NewVersion.Builder b = NewVersion.builder("m").artifact(new byte[0]).param("lr", "0.1");
        assertThrows(IllegalStateException.class, () -> b.artifact(new byte[0]));
        assertThrows(IllegalStateException.class, () -> b.param("lr", "0.2"));
        assertThrows(IllegalStateException.class, () -> NewVersion.builder("m").build());
        assertThrows(IllegalArgumentException.class, () -> NewVersion.builder("m").artifact(new byte[0])
                .metric("auc", Double.NaN).build());
    }
}
