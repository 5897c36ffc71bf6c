package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftOutcome;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.UntestableException;
import dev.mlops.drift.internal.FisherExact;
import dev.mlops.drift.internal.KolmogorovSmirnov;
import dev.mlops.drift.internal.TwoProportionZ;
import java.io.IOException;
import java.io.InputStream;
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

    /** Asserts that the detector cannot test the sample: a typed outcome, and an exception from detect. */
    private static Untestable untestable(DriftDetector detector, Sample sample, Untestable.Reason reason) {
        DriftOutcome outcome = detector.evaluate(sample);
        Untestable u = assertInstanceOf(Untestable.class, outcome, String.valueOf(outcome));
        assertEquals(reason, u.reason(), u.detail());
        UntestableException e = assertThrows(UntestableException.class, () -> detector.detect(sample));
        assertEquals(u, e.untestable());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return u;
    }

    @Test
    void binaryTests_onMoreThanTwoCategories_areUntestable_namingTheCategoriesEscaped() {
        Reference ref = Reference.categorical(new String[] {"a", "b", "c\nd"});
        Untestable u = untestable(DriftDetectors.of(StatTest.FISHER_EXACT, ref), Sample.categorical(new String[] {"a"}),
                Untestable.Reason.NOT_BINARY);
        assertTrue(u.detail().contains("binary") && u.detail().contains("[\"a\", \"b\", \"c\\u000ad\"]"), u.detail());
        String[] many = new String[30];
        for (int i = 0; i < many.length; i++) {
            many[i] = "category-" + i + "-" + "x".repeat(100);
        }
        Untestable m = untestable(DriftDetectors.of(StatTest.Z_PROPORTION, Reference.categorical(many)),
                Sample.categorical(new String[] {"a"}), Untestable.Reason.NOT_BINARY);
        assertTrue(m.detail().contains("and 26 more") && m.detail().length() < 500, m.detail());
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
                .evaluate(Sample.categorical(new String[] {"a"})));
        Untestable empty = untestable(DriftDetectors.kolmogorovSmirnov(numeric), Sample.numeric(new double[] {Double.NaN}),
                Untestable.Reason.NO_CURRENT_VALUES);
        assertTrue(empty.detail().contains("no values (1 missing)"), empty.detail());
        assertEquals(1, empty.currentMissing());
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.kolmogorovSmirnov(Reference.numeric(new double[0])));
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(StatTest.KOLMOGOROV_SMIRNOV, numeric, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.of(StatTest.PSI, numeric, 0.1, Rule.P_VALUE_BELOW));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.max(1e-12, 1e-9 * Math.abs(expected)), what);
    }

    @Test
    void jensenShannon_isSciPysNaturalLogDistance_asEvidentlysStattest_andBase2IsItsOwnMethod() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/scipy/categorical/binned.json")) {
            root = new ObjectMapper().readTree(in);
        }
        assertEquals("1.10.1", root.get("scipy").asText());
        int cases = 0;
        for (JsonNode c : root.get("cases")) {
            Reference ref = Reference.numeric(doubles(c.get("reference")));
            Sample cur = Sample.numeric(doubles(c.get("current")));
            String name = c.get("name").asText();
            DriftResult natural = DriftDetectors.of(StatTest.JENSEN_SHANNON, ref).detect(cur);
            DriftResult base2 = DriftDetectors.of(StatTest.JENSEN_SHANNON_BASE2, ref).detect(cur);
            assertClose(c.get("jensen_shannon").asDouble(), natural.statistic(), name);
            assertClose(c.get("jensen_shannon_base2").asDouble(), base2.statistic(), name);
            assertEquals("jensenshannon_base2", base2.method());
            cases++;
        }
        assertTrue(cases >= 10, "the known answers were read");
    }

    @Test
    void thresholdsAboveAMethodsLargestValue_areRejected() {
        Reference ref = Reference.categorical(new String[] {"a", "b"});
        for (StatTest t : new StatTest[] {StatTest.HELLINGER, StatTest.TOTAL_VARIATION, StatTest.L_INFINITY,
                StatTest.JENSEN_SHANNON_BASE2}) {
            assertEquals(1.0, t.maxStatistic(), t.id());
            DriftDetectors.of(t, ref, 1.0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(t, ref, 1.01));
            assertTrue(e.getMessage().contains(t.id()) && e.getMessage().contains("1.01"), e.getMessage());
        }
        assertEquals(Math.sqrt(Math.log(2)), StatTest.JENSEN_SHANNON.maxStatistic());
        DriftDetectors.of(StatTest.JENSEN_SHANNON, ref, 0.83);
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(StatTest.JENSEN_SHANNON, ref, 0.9),
                "0.9 is a base-2 threshold; the natural-log distance never reaches it");
        DriftDetectors.of(StatTest.PSI, ref, 25);
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(StatTest.PSI, ref, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(StatTest.PSI, ref, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> DriftDetectors.of(StatTest.PSI, ref, -0.1));
    }

    @Test
    void kolmogorovSmirnov_canBeJudgedByItsBoundedStatistic_otherTestStatisticsCannot() {
        Reference ref = Reference.numeric(normal(5000, 0, 1));
        Sample small = Sample.numeric(normal(5000, 0.1, 2));
        DriftResult byP = DriftDetectors.kolmogorovSmirnov(ref).detect(small);
        DriftResult byD = DriftDetectors.of(StatTest.KOLMOGOROV_SMIRNOV, ref, 0.1, Rule.STATISTIC_AT_LEAST).detect(small);
        assertTrue(byP.drifted(), "a 0.1 sigma shift is significant at n = 5000: " + byP);
        assertFalse(byD.drifted(), "but its D is below 0.1: " + byD);
        assertEquals(byP.statistic(), byD.statistic());
        assertEquals(byP.pValue(), byD.pValue(), "the p-value is still reported");
        assertTrue(DriftDetectors.of(StatTest.KOLMOGOROV_SMIRNOV, ref, 0.1, Rule.STATISTIC_ABOVE)
                .detect(Sample.numeric(normal(500, 1, 3))).drifted());
        assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.of(StatTest.KOLMOGOROV_SMIRNOV, ref, 1.5, Rule.STATISTIC_AT_LEAST));
        Reference categories = Reference.categorical(new String[] {"a", "b"});
        for (StatTest t : new StatTest[] {StatTest.CHI_SQUARE, StatTest.Z_PROPORTION, StatTest.FISHER_EXACT}) {
            assertFalse(t.supports(Rule.STATISTIC_AT_LEAST), t.id());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DriftDetectors.of(t, categories, 3, Rule.STATISTIC_AT_LEAST));
            assertTrue(e.getMessage().contains("no fixed scale"), e.getMessage());
        }
        for (StatTest t : new StatTest[] {StatTest.WELCH_T, StatTest.MANN_WHITNEY, StatTest.ANDERSON_DARLING,
                StatTest.CRAMER_VON_MISES}) {
            assertFalse(t.supports(Rule.STATISTIC_ABOVE), t.id());
        }
    }

    @Test
    void binaryTests_countTheCategoryThatSortsLast_whicheverTheReferenceHolds() {
        Sample cur = Sample.categorical(new String[] {"a", "a", "a", "a", "a", "b", "b", "b", "b", "b"});
        Reference onlyA = Reference.categorical(repeat(new String[] {"a"}, 10));
        Reference onlyB = Reference.categorical(repeat(new String[] {"b"}, 10));

        DriftResult zA = DriftDetectors.of(StatTest.Z_PROPORTION, onlyA).detect(cur);
        DriftResult zB = DriftDetectors.of(StatTest.Z_PROPORTION, onlyB).detect(cur);
        assertEquals(TwoProportionZ.test(0, 10, 5, 10).z(), zA.statistic(), "share of b: 0 in the reference, 0.5 now");
        assertEquals(TwoProportionZ.test(10, 10, 5, 10).z(), zB.statistic(), "share of b: 1 in the reference, 0.5 now");
        assertTrue(zA.statistic() < 0 && zB.statistic() > 0);

        DriftResult fA = DriftDetectors.of(StatTest.FISHER_EXACT, onlyA).detect(cur);
        DriftResult fB = DriftDetectors.of(StatTest.FISHER_EXACT, onlyB).detect(cur);
        FisherExact.Result expectedB = FisherExact.test(5, 5, 10, 0, FisherExact.Alternative.TWO_SIDED);
        assertEquals(Double.POSITIVE_INFINITY, fA.statistic(), "b became more common");
        assertEquals(expectedB.oddsRatio(), fB.statistic());
        assertEquals(0.0, fB.statistic(), "b became less common");
        assertEquals(expectedB.pValue(), fB.pValue().getAsDouble());
        assertEquals(fA.pValue(), fB.pValue(), "the two-sided p-value is symmetric in the hit");

        DriftResult numeric = DriftDetectors.of(StatTest.Z_PROPORTION, Reference.numeric(new double[] {10, 10, 10, 10}))
                .detect(Sample.numeric(new double[] {9, 10, 10, 10}));
        assertEquals(TwoProportionZ.test(4, 4, 3, 4).z(), numeric.statistic(), "the larger value 10 is the hit");
    }

    @Test
    void degenerateInputs_getAnErrorNamingTheTestAndTheSide() {
        Reference one = Reference.numeric(new double[] {1});
        Reference three = Reference.numeric(new double[] {1, 2, 3});
        IllegalArgumentException ref = assertThrows(IllegalArgumentException.class,
                () -> DriftDetectors.of(StatTest.WELCH_T, one));
        assertTrue(ref.getMessage().contains("welch_t") && ref.getMessage().contains("reference"), ref.getMessage());
        Untestable cur = untestable(DriftDetectors.of(StatTest.WELCH_T, three), Sample.numeric(new double[] {2}),
                Untestable.Reason.TOO_FEW_VALUES);
        assertTrue(cur.detail().contains("welch_t") && cur.detail().contains("current"), cur.detail());
        Untestable cvm = untestable(DriftDetectors.of(StatTest.CRAMER_VON_MISES, three), Sample.numeric(new double[] {2}),
                Untestable.Reason.TOO_FEW_VALUES);
        assertTrue(cvm.detail().contains("cramer_von_mises") && cvm.detail().contains("current"), cvm.detail());

        Reference constant = Reference.numeric(new double[] {5, 5, 5});
        Untestable welch = untestable(DriftDetectors.of(StatTest.WELCH_T, constant), Sample.numeric(new double[] {5, 5}),
                Untestable.Reason.CONSTANT);
        assertTrue(welch.detail().startsWith("welch_t is undefined for these samples (")
                && welch.detail().contains("both constant at 5.0"), welch.detail());
        Untestable ad = untestable(DriftDetectors.of(StatTest.ANDERSON_DARLING, constant),
                Sample.numeric(new double[] {5, 5}), Untestable.Reason.CONSTANT);
        assertTrue(ad.detail().startsWith("anderson_darling is undefined for these samples ("), ad.detail());
        Untestable adSmall = untestable(DriftDetectors.of(StatTest.ANDERSON_DARLING, one), Sample.numeric(new double[] {2}),
                Untestable.Reason.TOO_FEW_VALUES);
        assertTrue(adSmall.detail().contains("anderson_darling needs at least 3"), adSmall.detail());

        DriftResult apart = DriftDetectors.of(StatTest.WELCH_T, constant).detect(Sample.numeric(new double[] {6, 6}));
        assertEquals(0.0, apart.pValue().getAsDouble(), "two different constants are as far apart as can be");
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
