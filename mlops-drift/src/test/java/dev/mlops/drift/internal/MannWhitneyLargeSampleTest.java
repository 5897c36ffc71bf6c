package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The limit law that replaces the exact table beyond 10^8 counts agrees with the exact table where
 * both can be computed, to within its error bound of about 1 / n.
 */
class MannWhitneyLargeSampleTest {
    @Test
    void irwinHallLimit_againstExactTable_agreesWithinTwoOverN() {
        int n = 200_000;
        for (int m = 1; m <= 8; m++) {
            long mn = (long) m * n;
            for (double fraction : new double[] {0.5, 0.4, 0.25, 0.1, 0.03, 0.001}) {
                long u = mn - (long) (fraction * mn);
                double exact = MannWhitney.exactSf(u, m, n);
                double limit = MannWhitney.irwinHallCdf((mn - u + 0.5) / n, m);
                assertEquals(exact, limit, 2.0 / n, "m=" + m + ", U=" + u);
            }
        }
    }
}
