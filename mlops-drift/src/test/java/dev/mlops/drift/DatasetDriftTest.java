package dev.mlops.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
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
        assertEquals(List.of(StatTest.KOLMOGOROV_SMIRNOV, StatTest.Z_PROPORTION, StatTest.CHI_SQUARE, StatTest.Z_PROPORTION),
                s.columns().stream().map(ColumnDrift::test).toList());
        DatasetDriftResult l = DatasetDrift.against(large).detect(large);
        assertEquals(List.of(StatTest.WASSERSTEIN_NORMED, StatTest.JENSEN_SHANNON),
                l.columns().stream().map(ColumnDrift::test).toList());
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
        assertTrue(y.problem().contains("100 missing"), y.problem());
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
        assertEquals(StatTest.JENSEN_SHANNON, result.columns().get(0).test());
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
        assertEquals(0.05 / shifts.length, bonferroni.columns().get(0).threshold(), 1e-15);
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
