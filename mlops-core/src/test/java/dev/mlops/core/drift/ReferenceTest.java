package dev.mlops.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.OptionalDouble;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    @Test
    void numeric_countsNaNAndInfinitiesAsMissing_andSortsTheRest() {
        NumericSample s = Sample.numeric(new double[] {3, Double.NaN, 1, Double.NEGATIVE_INFINITY, 2, Double.POSITIVE_INFINITY});
        assertEquals(3, s.size());
        assertEquals(3, s.missing());
        assertEquals(1, s.valueAt(0));
        assertEquals(3, s.valueAt(2));
    }

    @Test
    void categorical_countsNullAsMissing() {
        CategoricalSample s = Sample.categorical(new String[] {"de", null, "fr", "de"});
        assertEquals(Map.of("de", 2L, "fr", 1L), s.counts());
        assertEquals(3, s.size());
        assertEquals(1, s.missing());
    }

    @Property(tries = 100)
    void numericReference_roundTripsThroughJson_orIsRejectedWithoutAFiniteValue(@ForAll double[] values) {
        if (java.util.Arrays.stream(values).noneMatch(Double::isFinite)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reference.numeric(values));
            assertTrue(e.getMessage().startsWith("values must") || e.getMessage().startsWith("sample must"), e.getMessage());
            return;
        }
        Reference r = Reference.numeric(values);
        assertEquals(r, Reference.fromJson(r.toJson()));
    }

    @Property(tries = 100)
    void categoricalReference_roundTripsThroughJson_orIsRejectedWithoutAValue(@ForAll String[] values) {
        if (java.util.Arrays.stream(values).allMatch(java.util.Objects::isNull)) {
            assertThrows(IllegalArgumentException.class, () -> Reference.categorical(values));
            return;
        }
        Reference r = Reference.categorical(values);
        assertEquals(r, Reference.fromJson(r.toJson()));
    }

    private static String golden(String name) throws java.io.IOException {
        try (var in = ReferenceTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void fromJson_readsTheVersion1GoldenFiles() throws java.io.IOException {
        NumericSample numeric = (NumericSample) Reference.fromJson(golden("drift-reference-v1-numeric.json")).sample();
        assertEquals(5, numeric.size());
        assertEquals(2, numeric.missing());
        assertEquals(-1.5, numeric.valueAt(0));
        assertEquals(1.0e300, numeric.valueAt(4));
        CategoricalSample categorical = (CategoricalSample) Reference.fromJson(golden("drift-reference-v1-categorical.json"))
                .sample();
        assertEquals(Map.of("de", 10L, "fr", 4L, "\u00e9t\u00e9", 1L), categorical.counts());
        assertEquals(1, categorical.missing());
    }

    @Test
    void toJson_writesTheVersion1GoldenBytes() throws java.io.IOException {
        Reference r = new Reference(NumericSample.ofSorted(new double[] {-1.5, 0.0, 0.0, 2.25, 1.0e300}, 2));
        assertEquals(golden("drift-reference-v1-numeric.json").strip(), r.toJson());
    }

    @Test
    void fromJson_unknownVersionOrUnsortedValues_isRejectedWithAClearMessage() {
        IllegalArgumentException v = assertThrows(IllegalArgumentException.class, () -> Reference.fromJson(
                "{\"format\":\"mlops.drift.reference\",\"version\":2,\"kind\":\"numeric\",\"missing\":0,\"values\":[]}"));
        assertTrue(v.getMessage().contains("version 2"), v.getMessage());
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> Reference.fromJson(
                "{\"format\":\"mlops.drift.reference\",\"version\":1,\"kind\":\"numeric\",\"missing\":0,\"values\":[2,1]}"));
        assertTrue(u.getMessage().contains("ascending"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reference.fromJson("not json"));
    }

    @Test
    void driftResult_verdictFollowsTheRule_andPValueOutsideUnitIntervalIsRejected() {
        DriftResult pBelow = new DriftResult("ks", 0.3, OptionalDouble.of(0.01), 0.05, Rule.P_VALUE_BELOW, 10, 10, 0, 0);
        DriftResult distance = new DriftResult("js", 0.05, OptionalDouble.empty(), 0.1, Rule.STATISTIC_AT_LEAST, 10, 10, 0, 0);
        assertTrue(pBelow.drifted());
        assertTrue(!distance.drifted());
        assertThrows(IllegalArgumentException.class,
                () -> new DriftResult("ks", 0.3, OptionalDouble.of(1.5), 0.05, Rule.P_VALUE_BELOW, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new DriftResult("js", 0.3, OptionalDouble.empty(), 0.05, Rule.P_VALUE_BELOW, 1, 1, 0, 0));
    }
}
