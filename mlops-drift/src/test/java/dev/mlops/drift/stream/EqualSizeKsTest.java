package dev.mlops.drift.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The exact KS test KSWIN uses, against SciPy 1.10.1's ks_2samp (see ks_2samp_equal_sizes.py). */
class EqualSizeKsTest {
    @Test
    void statisticAndPValue_matchScipyKs2samp() {
        String[] lines = new String(readResource(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
        int checked = 0;
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.strip().split(";");
            int n = Integer.parseInt(f[0]);
            double statistic = Double.parseDouble(f[1]);
            double pValue = Double.parseDouble(f[2]);
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = Double.parseDouble(f[3 + i]);
                b[i] = Double.parseDouble(f[3 + n + i]);
            }
            Arrays.sort(a);
            Arrays.sort(b);
            int h = EqualSizeKs.scaledStatistic(a, b, n);
            assertEquals(statistic, (double) h / n, 1e-15, line);
            double p = EqualSizeKs.pValue(n, h);
            assertEquals(pValue, p, 1e-12 * Math.max(pValue, 1e-300), line);
            checked++;
        }
        assertEquals(60, checked);
    }

    @Test
    void pValue_decreasesWithTheStatisticAndStaysInUnitInterval() {
        double[] table = EqualSizeKs.pValueTable(100);
        assertEquals(1.0, table[0]);
        for (int h = 1; h <= 100; h++) {
            assertTrue(table[h] <= table[h - 1], "h=" + h);
            assertTrue(table[h] >= 0.0 && table[h] <= 1.0, "h=" + h);
        }
    }

    private static byte[] readResource() {
        try (var in = EqualSizeKsTest.class.getResourceAsStream("/river-streams/ks_2samp_equal_sizes.csv")) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
