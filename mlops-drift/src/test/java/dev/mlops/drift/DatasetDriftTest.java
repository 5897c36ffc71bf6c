package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Rule;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.ColumnDrift;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.drift.internal.ChiSquare;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class DatasetDriftTest {
    private static double[] normal(int n, double mean, Random r) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + r.nextGaussian();
        }
        return out;
    }

    private static String[] categories(int n, double shareOfB, Random r, String... extra) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextDouble() < shareOfB ? "b" : extra.length > 0 && r.nextBoolean() ? extra[0] : "a";
        }
        return out;
    }

    @Test
    void automaticChoice_followsEvidentlysRule() {
        Random r = new Random(3);
        Dataset small = Dataset.builder().numeric("x", normal(500, 0, r))
                .numeric("few", new double[500])
                .categorical("three", categories(500, 0.3, r, "c"))
                .categorical("two", categories(500, 0.3, r)).build();
        Dataset large = Dataset.builder().numeric("x", normal(5000, 0, r))
                .categorical("three", categories(5000, 0.3, r, "c")).build();

        DatasetDriftResult s = DatasetDrift.against(small).detect(small);
        assertEquals(List.of(StatTest.KOLMOGOROV_SMIRNOV, StatTest.Z_PROPORTION, StatTest.CHI_SQUARE_GOODNESS_OF_FIT,
                StatTest.Z_PROPORTION),
                s.columns().stream().map(c -> StatTest.fromId(c.method())).toList());
        DatasetDriftResult l = DatasetDrift.against(large).detect(large);
        assertEquals(List.of(StatTest.WASSERSTEIN_NORMED, StatTest.JENSEN_SHANNON),
                l.columns().stream().map(c -> StatTest.fromId(c.method())).toList());
        assertFalse(s.drifted());
        assertFalse(l.drifted());
    }

    @Test
    void identicalDistributionsOfAMillionRows_areNoDrift_inAtLeast95PercentOfSeeds() {
        int seeds = 20;
        int noDrift = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Random r = new Random(seed);
            Dataset ref = Dataset.builder().numeric("x", normal(1_000_000, 0, r)).build();
            Dataset cur = Dataset.builder().numeric("x", normal(1_000_000, 0, r)).build();
            if (!DatasetDrift.against(ref).detect(cur).drifted()) {
                noDrift++;
            }
        }
        assertTrue(noDrift >= 0.95 * seeds, noDrift + " of " + seeds + " seeds reported no drift");
    }

    @Test
    void shiftedColumns_drift_andTheShareRuleDecides() {
        Random r = new Random(11);
        Dataset ref = Dataset.builder().numeric("a", normal(4000, 0, r)).numeric("b", normal(4000, 0, r))
                .numeric("c", normal(4000, 0, r)).build();
        Dataset oneShifted = Dataset.builder().numeric("a", normal(4000, 0.5, r)).numeric("b", normal(4000, 0, r))
                .numeric("c", normal(4000, 0, r)).build();
        Dataset twoShifted = Dataset.builder().numeric("a", normal(4000, 0.5, r)).numeric("b", normal(4000, -0.5, r))
                .numeric("c", normal(4000, 0, r)).build();
        DatasetDrift drift = DatasetDrift.against(ref);

        DatasetDriftResult one = drift.detect(oneShifted);
        assertEquals(List.of(true, false, false), one.columns().stream().map(ColumnDrift::drifted).toList());
        assertFalse(one.drifted(), "1 of 3 is below the 0.5 share");
        DatasetDriftResult two = drift.detect(twoShifted);
        assertEquals(2, two.driftedColumns());
        assertTrue(two.drifted());
    }

    @Test
    void missingValues_areCounted_andAnAllMissingColumnIsReportedNotTested() {
        Random r = new Random(5);
        double[] cur = normal(100, 0, r);
        cur[3] = Double.NaN;
        double[] allMissing = new double[100];
        Arrays.fill(allMissing, Double.NaN);
        Dataset ref = Dataset.builder().numeric("x", normal(100, 0, r)).numeric("y", normal(100, 0, r)).build();
        DatasetDriftResult result = DatasetDrift.against(ref)
                .detect(Dataset.builder().numeric("x", cur).numeric("y", allMissing).build());

        assertEquals(1, result.columns().get(0).result().orElseThrow().currentMissing());
        ColumnDrift y = result.columns().get(1);
        assertTrue(y.result().isEmpty());
        assertEquals(Untestable.Reason.NO_CURRENT_VALUES, y.untestable().orElseThrow().reason());
        assertTrue(y.untestable().get().detail().contains("100 missing"), y.untestable().get().detail());
        assertFalse(y.drifted());
        assertEquals(1, result.testedColumns());
    }

    @Test
    void unseenCategories_areBinnedNotCrashed_andDriftWhenTheyDominate() {
        Random r = new Random(9);
        Dataset ref = Dataset.builder().categorical("country", categories(3000, 0.5, r)).build();
        String[] cur = categories(3000, 0.1, r);
        for (int i = 0; i < 2000; i++) {
            cur[i] = "never-seen";
        }
        DatasetDriftResult result = DatasetDrift.against(ref).detect(Dataset.builder().categorical("country", cur).build());
        assertEquals(StatTest.JENSEN_SHANNON, StatTest.fromId(result.columns().get(0).method()));
        assertTrue(result.drifted());
    }

    @Test
    void corrections_bonferroniFindsNoMoreThanBenjaminiHochberg_whichFindsNoMoreThanNone() {
        Random r = new Random(21);
        Dataset.Builder refB = Dataset.builder();
        Dataset.Builder curB = Dataset.builder();
        double[] shifts = {0, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0, 0.12, 0.18, 0.22};
        for (int i = 0; i < shifts.length; i++) {
            refB.numeric("c" + i, normal(400, 0, r));
            curB.numeric("c" + i, normal(400, shifts[i], r));
        }
        Dataset ref = refB.build();
        Dataset cur = curB.build();
        long none = DatasetDrift.builder(ref).correction(Correction.NONE).build().detect(cur).driftedColumns();
        DatasetDriftResult bh = DatasetDrift.builder(ref).correction(Correction.BENJAMINI_HOCHBERG).build().detect(cur);
        DatasetDriftResult bonferroni = DatasetDrift.builder(ref).correction(Correction.BONFERRONI).build().detect(cur);

        assertTrue(bonferroni.driftedColumns() <= bh.driftedColumns(), bonferroni.driftedColumns() + " > " + bh.driftedColumns());
        assertTrue(bh.driftedColumns() <= none, bh.driftedColumns() + " > " + none);
        assertTrue(bonferroni.driftedColumns() < none, "the correction bites on this data");
        assertEquals(0.05 / shifts.length, bonferroni.columns().get(0).result().orElseThrow().threshold(), 1e-15);
        for (ColumnDrift c : bonferroni.columns()) {
            if (c.drifted()) {
                assertTrue(bh.columns().stream().anyMatch(b -> b.column().equals(c.column()) && b.drifted()), c.column());
            }
        }
    }

    @Test
    void anExecutor_givesTheSameResultAsTheCallingThread() {
        Random r = new Random(17);
        Dataset.Builder refB = Dataset.builder();
        Dataset.Builder curB = Dataset.builder();
        for (int i = 0; i < 8; i++) {
            refB.numeric("c" + i, normal(3000, 0, r));
            curB.numeric("c" + i, normal(3000, i * 0.05, r));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            DatasetDriftResult sequential = DatasetDrift.against(refB.build()).detect(curB.build());
            DatasetDriftResult parallel = DatasetDrift.builder(refB.build()).executor(pool).build().detect(curB.build());
            assertEquals(sequential, parallel);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String[] counted(Map<String, Integer> counts) {
        List<String> out = new ArrayList<>();
        counts.forEach((k, n) -> {
            for (int i = 0; i < n; i++) {
                out.add(k);
            }
        });
        return out.toArray(new String[0]);
    }

    @Test
    void automaticChoice_smallCategoricalColumn_isEvidentlysGoodnessOfFit_andOneNewCategoryIsDrift() {
        Map<String, Integer> refCounts = new LinkedHashMap<>();
        refCounts.put("a", 200);
        refCounts.put("b", 150);
        refCounts.put("c", 150);
        Map<String, Integer> same = new LinkedHashMap<>();
        same.put("a", 190);
        same.put("b", 160);
        same.put("c", 149);
        Map<String, Integer> withNew = new LinkedHashMap<>(same);
        withNew.put("d", 1);
        Dataset ref = Dataset.builder().categorical("c", counted(refCounts)).build();
        DatasetDrift drift = DatasetDrift.against(ref);

        ColumnDrift seen = drift.detect(Dataset.builder().categorical("c", counted(same)).build()).columns().get(0);
        assertEquals(StatTest.CHI_SQUARE_GOODNESS_OF_FIT, StatTest.fromId(seen.method()));
        DriftResult r = seen.result().orElseThrow();
        assertEquals(ChiSquare.goodnessOfFit(new long[] {200, 150, 150}, new long[] {190, 160, 149}).pValue(),
                r.pValue().getAsDouble(), "scipy.stats.chisquare(current, reference * n_cur / n_ref)");
        assertFalse(seen.drifted());
        assertEquals(0, seen.unseenInReference());

        ColumnDrift fresh = drift.detect(Dataset.builder().categorical("c", counted(withNew)).build()).columns().get(0);
        assertEquals(Double.POSITIVE_INFINITY, fresh.result().orElseThrow().statistic());
        assertEquals(0.0, fresh.result().orElseThrow().pValue().getAsDouble());
        assertTrue(fresh.drifted(), "under goodness of fit a category the reference never holds is impossible");
        assertEquals(1, fresh.unseenInReference());

        ColumnDrift homogeneity = DatasetDrift.builder(ref).test("c", StatTest.CHI_SQUARE).build()
                .detect(Dataset.builder().categorical("c", counted(withNew)).build()).columns().get(0);
        assertTrue(Double.isFinite(homogeneity.result().orElseThrow().statistic()), "CHI_SQUARE is still there");
        assertFalse(homogeneity.drifted(), "one new observation in 500 does not reject homogeneity");
    }

    @Test
    void builder_checksThresholdsWhenSetAndAtBuild_namingTheColumn() {
        Random r = new Random(2);
        Dataset ref = Dataset.builder().numeric("x", normal(200, 0, r)).numeric("y", normal(200, 0, r)).build();
        for (double bad : new double[] {Double.NaN, -0.01, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DatasetDrift.builder(ref).threshold("x", bad));
            assertTrue(e.getMessage().contains("column x"), e.getMessage());
        }
        IllegalArgumentException noTest = assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.builder(ref).threshold("y", 0.01).build());
        assertTrue(noTest.getMessage().contains("column y") && noTest.getMessage().contains("no test"), noTest.getMessage());
        IllegalArgumentException pLevel = assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.builder(ref).test("x", StatTest.KOLMOGOROV_SMIRNOV).threshold("x", 1.5).build());
        assertTrue(pLevel.getMessage().contains("column x") && pLevel.getMessage().contains("[0, 1]"), pLevel.getMessage());
        IllegalArgumentException distance = assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.builder(ref).threshold("x", 1.2).test("x", StatTest.HELLINGER).build());
        assertTrue(distance.getMessage().contains("column x"), distance.getMessage());
        DatasetDrift ok = DatasetDrift.builder(ref).threshold("x", 0.2).test("x", StatTest.HELLINGER).build();
        assertEquals(0.2, ok.detect(ref).columns().get(0).result().orElseThrow().threshold());
    }

    @Test
    void benjaminiHochberg_withDifferentPValueThresholds_failsAtBuild() {
        Random r = new Random(8);
        Dataset small = Dataset.builder().numeric("x", normal(200, 0, r)).numeric("y", normal(200, 0, r)).build();
        IllegalArgumentException explicit = assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.builder(small).correction(Correction.BENJAMINI_HOCHBERG)
                        .test("x", StatTest.KOLMOGOROV_SMIRNOV).threshold("x", 0.01)
                        .test("y", StatTest.MANN_WHITNEY).build());
        assertTrue(explicit.getMessage().contains("x=[0.01]") && explicit.getMessage().contains("y=[0.05]"),
                explicit.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetDrift.builder(small)
                .correction(Correction.BENJAMINI_HOCHBERG).test("x", StatTest.KOLMOGOROV_SMIRNOV).threshold("x", 0.01)
                .build(), "y is small, so the automatic choice gives it a p-value test at 0.05");

        double[] x = normal(2000, 0, r);
        Arrays.fill(x, 200, 2000, Double.NaN);
        Dataset mixed = Dataset.builder().numeric("x", x).numeric("big", normal(2000, 0, r)).build();
        DatasetDrift fine = DatasetDrift.builder(mixed).correction(Correction.BENJAMINI_HOCHBERG)
                .test("x", StatTest.KOLMOGOROV_SMIRNOV).threshold("x", 0.01).build();
        DatasetDriftResult result = fine.detect(mixed);
        assertEquals(StatTest.KOLMOGOROV_SMIRNOV, StatTest.fromId(result.columns().get(0).method()), "200 values, 1800 missing: small");
        assertEquals(StatTest.WASSERSTEIN_NORMED, StatTest.fromId(result.columns().get(1).method()),
                "a large automatic column gets a distance, which BH leaves alone");
    }

    @Test
    void oneColumnThatCannotBeTested_isReportedWithItsProblem_andTheOthersAreTested() {
        Random r = new Random(12);
        double[] constant = new double[50];
        Arrays.fill(constant, 5);
        Dataset ref = Dataset.builder().numeric("w", constant).numeric("x", normal(50, 0, r)).build();
        Dataset cur = Dataset.builder().numeric("w", Arrays.copyOf(constant, 50)).numeric("x", normal(50, 3, r)).build();
        DatasetDriftResult result = DatasetDrift.builder(ref).test("w", StatTest.WELCH_T).build().detect(cur);

        ColumnDrift w = result.columns().get(0);
        assertTrue(w.result().isEmpty());
        assertEquals(Untestable.Reason.CONSTANT, w.untestable().orElseThrow().reason());
        assertTrue(w.untestable().get().detail().startsWith("welch_t is undefined for these samples ("),
                w.untestable().get().detail());
        assertTrue(result.columns().get(1).drifted());
        assertEquals(1, result.testedColumns());
        assertTrue(result.drifted(), "1 of 1 tested columns drifted");
    }

    @Test
    void underCorrection_eachColumnCarriesOneVerdict_theCorrectedResults() {
        Random r = new Random(21);
        Dataset.Builder refB = Dataset.builder();
        Dataset.Builder curB = Dataset.builder();
        double[] shifts = {0, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0, 0.12, 0.18, 0.22};
        for (int i = 0; i < shifts.length; i++) {
            refB.numeric("c" + i, normal(400, 0, r));
            curB.numeric("c" + i, normal(400, shifts[i], r));
        }
        Dataset ref = refB.build();
        Dataset cur = curB.build();
        int m = shifts.length;
        DatasetDriftResult none = DatasetDrift.against(ref).detect(cur);
        double[] p = none.columns().stream().mapToDouble(c -> c.result().orElseThrow().pValue().getAsDouble()).toArray();

        DatasetDriftResult bonferroni = DatasetDrift.builder(ref).correction(Correction.BONFERRONI).build().detect(cur);
        DatasetDriftResult bh = DatasetDrift.builder(ref).correction(Correction.BENJAMINI_HOCHBERG).build().detect(cur);
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (sorted[i] <= (i + 1) * 0.05 / m) {
                k = i + 1;
            }
        }
        assertTrue(k > 0 && k < m, "the data leave BH something to decide, k = " + k);
        for (int i = 0; i < m; i++) {
            ColumnDrift b = bonferroni.columns().get(i);
            DriftResult br = b.result().orElseThrow();
            assertEquals(0.05 / m, br.threshold());
            assertEquals(Rule.P_VALUE_BELOW, br.rule());
            assertEquals(br.drifted(), b.drifted());
            assertEquals(p[i] < 0.05 / m, b.drifted());

            ColumnDrift h = bh.columns().get(i);
            DriftResult hr = h.result().orElseThrow();
            assertEquals(Rule.P_VALUE_AT_MOST, hr.rule());
            assertEquals(k * 0.05 / m, hr.threshold());
            assertEquals(hr.drifted(), h.drifted());
            assertEquals(p[i] <= sorted[k - 1], h.drifted(), "exactly the k smallest p-values drift");
        }
        assertEquals(k, bh.driftedColumns());

        DatasetDriftResult quiet = DatasetDrift.builder(ref).correction(Correction.BENJAMINI_HOCHBERG).build().detect(ref);
        for (ColumnDrift c : quiet.columns()) {
            assertEquals(0.05 / m, c.result().orElseThrow().threshold(), "with k = 0 the level is the first step's");
            assertFalse(c.drifted());
        }
    }

    @Test
    void aDatasetReference_roundTripsThroughJson_andGivesTheSameResultsAsTheRawTable() {
        Random r = new Random(31);
        double[] x = normal(1500, 0, r);
        x[7] = Double.NaN;
        double[] pattern = {1, 2, 2, 3, 3, 3, -0.0, 0.0, 1e-300, 1.7976931348623157e308};
        double[] few = new double[1500];
        double[] fewNow = new double[1500];
        for (int i = 0; i < few.length; i++) {
            few[i] = pattern[i % pattern.length];
            fewNow[i] = pattern[(i * 7 + i / 3) % pattern.length];
        }
        Dataset ref = Dataset.builder().numeric("x", x).categorical("country", categories(1500, 0.3, r, "c"))
                .numeric("few", few).categorical("city", categories(1500, 0.5, r)).build();
        Dataset cur = Dataset.builder().numeric("x", normal(1500, 0.2, r)).categorical("country", categories(1500, 0.5, r, "c"))
                .numeric("few", fewNow).categorical("city", categories(1500, 0.9, r, "zz")).build();

        DatasetReference prepared = DatasetReference.of(ref);
        String json = prepared.toJson();
        DatasetReference back = DatasetReference.fromJson(json);
        assertEquals(prepared, back);
        assertEquals(List.of("x", "country", "few", "city"), back.columnNames(), "column order survives");
        assertEquals(json, back.toJson());

        DatasetDriftResult fromTable = DatasetDrift.builder(ref).correction(Correction.BONFERRONI).build().detect(cur);
        DatasetDriftResult fromJson = DatasetDrift.builder(back).correction(Correction.BONFERRONI).build().detect(cur);
        assertEquals(fromTable, fromJson);
        assertEquals(prepared, DatasetDrift.against(ref).reference(), "the detector hands out what it prepared");
    }

    @Test
    void referenceColumnWithoutAUsableValue_isRefusedAtBuild_namingTheColumn() {
        Dataset ref = Dataset.builder().numeric("ok", new double[] {1, 2, 3})
                .numeric("empty", new double[] {Double.NaN, Double.NaN, Double.NaN}).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetDrift.against(ref));
        assertTrue(e.getMessage().startsWith("reference column empty: ") && e.getMessage().contains("3 missing"),
                e.getMessage());
        IllegalArgumentException prepared = assertThrows(IllegalArgumentException.class, () -> DatasetReference.of(ref));
        assertEquals(e.getMessage(), prepared.getMessage());
    }

    @Test
    void datasetReferenceToJson_refusesANameFromJsonWouldRefuse() {
        String longName = "n".repeat(DatasetReference.MAX_COLUMN_NAME_LENGTH + 1);
        DatasetReference reference = DatasetReference.of(Dataset.builder().numeric(longName, new double[] {1, 2}).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, reference::toJson);
        assertTrue(e.getMessage().contains("at most " + DatasetReference.MAX_COLUMN_NAME_LENGTH), e.getMessage());
    }

    @Test
    void datasetReferenceJson_rejectsOtherVersionsAndDuplicateColumns() {
        String column = "{\"name\":\"x\",\"reference\":{\"format\":\"mlops.drift.reference\",\"version\":1,"
                + "\"kind\":\"numeric\",\"missing\":0,\"values\":[1.0]}}";
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class, () -> DatasetReference.fromJson(
                "{\"format\":\"mlops.drift.dataset-reference\",\"version\":2,\"columns\":[" + column + "]}"));
        assertTrue(version.getMessage().contains("version 2"), version.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> DatasetReference.fromJson(
                "{\"format\":\"mlops.drift.dataset-reference\",\"version\":1,\"columns\":[" + column + "," + column + "]}"));
        assertTrue(twice.getMessage().contains("column \"x\" appears twice"), twice.getMessage());
        IllegalArgumentException inner = assertThrows(IllegalArgumentException.class, () -> DatasetReference.fromJson(
                "{\"format\":\"mlops.drift.dataset-reference\",\"version\":1,\"columns\":["
                        + column.replace("[1.0]", "[2.0,1.0]") + "]}"));
        assertTrue(inner.getMessage().contains("at /columns/0/reference: \"values\" must be ascending"), inner.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DatasetReference.fromJson(
                "{\"format\":\"mlops.drift.dataset-reference\",\"version\":1,\"columns\":[]}"));
    }

    @Test
    void datasetReferenceJson_unknownFieldOfAColumn_isRefused_unlessTheVersionIsNewer() {
        String column = "{\"name\":\"x\",\"weight\":2,\"reference\":{\"format\":\"mlops.drift.reference\",\"version\":1,"
                + "\"kind\":\"numeric\",\"missing\":0,\"values\":[1.0]}}";
        InvalidFormatException unknown = assertThrows(InvalidFormatException.class, () -> DatasetReference.fromJson(
                "{\"format\":\"mlops.drift.dataset-reference\",\"version\":1,\"columns\":[" + column + "]}"));
        assertEquals("/columns/0/weight", unknown.path());
        assertEquals("unknown field", unknown.reason());
        InvalidFormatException newer = assertThrows(InvalidFormatException.class, () -> DatasetReference.fromJson(
                "{\"format\":\"mlops.drift.dataset-reference\",\"version\":2,\"columns\":[" + column + "]}"));
        assertEquals("/version", newer.path());
        assertEquals("format \"mlops.drift.dataset-reference\" version 2 is not supported; this library reads version 1",
                newer.reason());
    }

    @Test
    void mismatchedTables_getAClearError() {
        Dataset ref = Dataset.builder().numeric("x", new double[] {1, 2, 3}).build();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.against(ref).detect(Dataset.builder().numeric("y", new double[] {1}).build()));
        assertTrue(missing.getMessage().contains("no column x"), missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.against(ref).detect(Dataset.builder().categorical("x", new String[] {"a"}).build()));
        assertThrows(IllegalArgumentException.class, () -> DatasetDrift.builder(ref).test("nope", StatTest.PSI));
        assertThrows(IllegalArgumentException.class,
                () -> Dataset.builder().numeric("a", new double[2]).numeric("b", new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> DatasetDrift.against(Dataset.builder().numeric("x", new double[] {Double.NaN}).build()));
    }
}
