package dev.mlops.drift.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The median heuristic rests on the quickselect: it must agree with a full sort, ties included. */
class MmdKernelSelectTest {

    @Provide
    Arbitrary<double[]> values() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 5).map(Integer::doubleValue),
                Arbitraries.doubles().between(-1e6, 1e6)).array(double[].class).ofMinSize(1).ofMaxSize(300);
    }

    @Property(tries = 500)
    void select_returnsTheKthValueOfTheSortedArray(@ForAll("values") double[] a, @ForAll int seed) {
        int k = Math.floorMod(seed, a.length);
        double[] sorted = a.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[k], MmdKernel.select(a.clone(), k));
    }
}
