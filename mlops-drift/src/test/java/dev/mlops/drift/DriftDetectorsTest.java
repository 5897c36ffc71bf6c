package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.drift.internal.KolmogorovSmirnov;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DriftDetectorsTest {
    private static double[] normal(int n, double mean, long seed) {
        Random r = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + r.nextGaussian();
        }
        return out;
    }

    @Test
    void kolmogorovSmirnov_reportsTheInternalTestsNumbersWithSizesAndMissingCounts() {
        double[] ref = normal(300, 0, 1);
        double[] cur = normal(200, 0.5, 2);
        double[] curWithNaN = java.util.Arrays.copyOf(cur, 203);
        curWithNaN[200] = Double.NaN;
        curWithNaN[201] = Double.NaN;
        curWithNaN[202] = Double.NaN;

        DriftResult r = DriftDetectors.kolmogorovSmirnov(Reference.numeric(ref)).detect(Sample.numeric(curWithNaN));

        double[] sortedRef = ref.clone();
        double[] sortedCur = cur.clone();
        java.util.Arrays.sort(sortedRef);
        java.util.Arrays.sort(sortedCur);
        var expected = KolmogorovSmirnov.test(sortedRef, sortedCur);
        assertEquals("ks", r.method());
        assertEquals(expected.statistic(), r.statistic());
        assertEquals(expected.pValue(), r.pValue().getAsDouble());
        assertEquals(300, r.referenceSize());
        assertEquals(200, r.currentSize());
        assertEquals(3, r.currentMissing());
        assertEquals(Rule.P_VALUE_BELOW, r.rule());
        assertEquals(0.05, r.threshold());
        assertTrue(r.drifted(), "a half-sigma shift at n=200 is found");
    }

    @Test
    void wassersteinNormed_dividesByTheReferencesPopulationStandardDeviation() {
        DriftResult r = DriftDetectors.wassersteinNormed(Reference.numeric(new double[] {0, 1, 2, 3}))
                .detect(Sample.numeric(new double[] {1, 2, 3, 4}));
        assertEquals(1 / Math.sqrt(1.25), r.statistic(), 1e-15);
        assertTrue(r.pValue().isEmpty());
        assertTrue(r.drifted());
    }

    @Test
    void wassersteinNormed_constantReference_usesEvidentlysFloor() {
        DriftResult r = DriftDetectors.wassersteinNormed(Reference.numeric(new double[] {5, 5, 5}))
                .detect(Sample.numeric(new double[] {5, 5, 5.0001}));
        assertEquals(0.0001 / 3 / 0.001, r.statistic(), 1e-9);
    }

    @Test
    void categoricalDistances_acceptCategoriesUnseenInTheReference() {
        Reference ref = Reference.categorical(repeat(new String[] {"de", "de", "fr", "us"}, 20));
        String[] cur = repeat(new String[] {"de", "br", "br", "br"}, 20);
        cur[0] = null;
        for (StatTest t : new StatTest[] {StatTest.JENSEN_SHANNON, StatTest.PSI, StatTest.KULLBACK_LEIBLER,
                StatTest.HELLINGER, StatTest.TOTAL_VARIATION, StatTest.L_INFINITY, StatTest.CHI_SQUARE, StatTest.G_TEST}) {
            DriftResult r = DriftDetectors.of(t, ref).detect(Sample.categorical(cur));
            assertTrue(Double.isFinite(r.statistic()), t + " " + r);
            assertTrue(r.drifted(), t + " sees three quarters of the data in a new category: " + r);
            assertEquals(1, r.currentMissing());
        }
    }

    private static String[] repeat(String[] block, int times) {
        String[] out = new String[block.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = block[i % block.length];
        }
        return out;
    }

    @Test
    void binaryTests_onMoreThanTwoCategories_throwNamingTheCategories() {
        Reference ref = Reference.categorical(new String[] {"a", "b", "c"});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.of(StatTest.FISHER_EXACT, ref).detect(Sample.categorical(new String[] {"a"})));
        assertTrue(e.getMessage().contains("binary") && e.getMessage().contains("[a, b, c]"), e.getMessage());
    }

    @Test
    void zProportion_identicalSingleCategory_isNoDrift() {
        DriftResult r = DriftDetectors.of(StatTest.Z_PROPORTION, Reference.categorical(new String[] {"x", "x"}))
                .detect(Sample.categorical(new String[] {"x"}));
        assertEquals(1.0, r.pValue().getAsDouble());
        assertFalse(r.drifted());
    }

    @Test
    void misuse_getsAClearError() {
        Reference numeric = Reference.numeric(new double[] {1, 2, 3});
        Reference categorical = Reference.categorical(new String[] {"a"});
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.kolmogorovSmirnov(categorical));
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.kolmogorovSmirnov(numeric)
                .detect(Sample.categorical(new String[] {"a"})));
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.kolmogorovSmirnov(numeric).detect(Sample.numeric(new double[] {Double.NaN})));
        assertTrue(empty.getMessage().contains("no values (1 missing)"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.kolmogorovSmirnov(Reference.numeric(new double[0])));
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(StatTest.KOLMOGOROV_SMIRNOV, numeric, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.of(StatTest.PSI, numeric, 0.1, Rule.P_VALUE_BELOW));
    }

    @Property(tries = 50)
    void everyMethod_onNumericData_givesAResultInRange(@ForAll long seed) {
        Reference ref = Reference.numeric(normal(60, 0, seed));
        Sample cur = Sample.numeric(normal(40, 0.3, seed + 1));
        for (StatTest t : StatTest.values()) {
            if (t == StatTest.FISHER_EXACT || t == StatTest.Z_PROPORTION) {
                continue;
            }
            DriftDetector d = DriftDetectors.of(t, ref);
            DriftResult r = d.detect(cur);
            assertEquals(t.id(), r.method());
            assertFalse(Double.isNaN(r.statistic()), t + " " + r);
            r.pValue().ifPresent(p -> assertTrue(p >= 0 && p <= 1, t + " " + r));
            assertEquals(t.hasPValue(), r.pValue().isPresent(), t.id());
        }
    }
}
