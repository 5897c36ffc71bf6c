package dev.mlops.core.drift.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.Sample;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ColumnProfileTest {
    @Test
    void numeric_matchesNumPysMeanStdAndLinearQuantiles() {
        // numpy: mean 3.0, std 1.4142135623730951, quantile([.05,.25,.5,.75,.95]) = [1.2, 2., 3., 4., 4.8]
        ColumnProfile.Numeric p = (ColumnProfile.Numeric) ColumnProfile.of(Sample.numeric(new double[] {5, 1, 4, 2, 3,
            Double.NaN}));
        assertEquals(5, p.count());
        assertEquals(1, p.missing());
        assertEquals(5, p.distinct());
        assertEquals(3.0, p.mean(), 1e-15);
        assertEquals(Math.sqrt(2), p.std(), 1e-15);
        List<Double> expected = List.of(1.2, 2.0, 3.0, 4.0, 4.8);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), p.quantiles().get(i), 1e-12);
        }
        assertTrue(p.integral());
        assertEquals(1.0 / 6, p.missingShare(), 1e-15);
    }

    @Test
    void numeric_hugeMagnitudes_giveFiniteMomentsInsteadOfOverflow() {
        ColumnProfile.Numeric p = (ColumnProfile.Numeric) ColumnProfile.of(Sample.numeric(new double[] {-1e308, 1e308,
            1e308, -1e308}));
        assertEquals(0.0, p.mean());
        assertEquals(1e308, p.std(), 1e293);
        ColumnProfile.Numeric same = (ColumnProfile.Numeric) ColumnProfile.of(Sample.numeric(new double[] {1e300, 1e300}));
        assertEquals(1e300, same.mean(), 1e285);
        assertEquals(0.0, same.std());
    }

    @Property(tries = 200)
    void numeric_anyFiniteValues_giveFiniteSummaries(@ForAll double[] values) {
        ColumnProfile p = ColumnProfile.of(Sample.numeric(values));
        assertEquals(values.length, p.count() + p.missing());
    }

    @Test
    void categorical_keepsTheTopTenByCount_tiesByName() {
        String[] values = new String[70];
        for (int i = 0; i < values.length; i++) {
            values[i] = "c" + (char) ('l' - i % 12);
        }
        ColumnProfile.Categorical p = (ColumnProfile.Categorical) ColumnProfile.of(Sample.categorical(values));
        assertEquals(12, p.distinct());
        assertEquals(10, p.top().size());
        // 70 values over cl, ck, ..., ca: the first ten of those get 6, cb and ca get 5
        assertEquals(new ColumnProfile.CategoryCount("cc", 6), p.top().get(0));
        assertEquals(new ColumnProfile.CategoryCount("cl", 6), p.top().get(9));
    }

    @Test
    void columnDrift_refusesProfilesOfTwoKinds() {
        ColumnProfile n = ColumnProfile.of(Sample.numeric(new double[] {1}));
        ColumnProfile c = ColumnProfile.of(Sample.categorical(new String[] {"a"}));
        dev.mlops.core.drift.Untestable u = new dev.mlops.core.drift.Untestable("ks",
                dev.mlops.core.drift.Untestable.Reason.NO_CURRENT_VALUES, "none", 1, 0, 0, 1);
        dev.mlops.core.drift.BinCounts none = new dev.mlops.core.drift.BinCounts(List.of(), List.of(), List.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> new ColumnDrift("x", u, n, c, List.of(), none));
    }

    @Test
    void columnDrift_refusesBinsOtherThanTheTestsOwn_soAChartShowsWhatTheVerdictCameFrom() {
        ColumnProfile a = ColumnProfile.of(Sample.categorical(new String[] {"a", "b"}));
        dev.mlops.core.drift.BinCounts counted = new dev.mlops.core.drift.BinCounts(List.of("a", "b"), List.of(),
                List.of(1L, 1L), List.of(1L, 1L));
        dev.mlops.core.drift.DriftResult r = new dev.mlops.core.drift.DriftResult("psi", 0, java.util.OptionalDouble.empty(),
                0.1, dev.mlops.core.drift.Rule.STATISTIC_AT_LEAST, 2, 2, 0, 0, java.util.Optional.of(counted));
        dev.mlops.core.drift.BinCounts other = new dev.mlops.core.drift.BinCounts(List.of("a", "b"), List.of(),
                List.of(1L, 1L), List.of(2L, 0L));

        assertThrows(IllegalArgumentException.class, () -> new ColumnDrift("x", r, a, a, List.of(), other));
        assertTrue(new ColumnDrift("x", r, a, a, List.of(), counted).binnedByTest());
    }
}
