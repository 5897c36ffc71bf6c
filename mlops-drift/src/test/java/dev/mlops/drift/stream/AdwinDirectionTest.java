package dev.mlops.drift.stream;

import static dev.mlops.drift.stream.RiverStreams.driftIndices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.drift.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Which ADWIN cuts are drifts. MOA's {@code ADWINChangeDetector.input} reports a cut only when
 * {@code adwin.getEstimation()} after {@code setInput} exceeds the estimate taken before it (it
 * watches an error rate); River's {@code ADWIN.update} reports every cut. Streams fall at 500 and
 * rise back at 1000.
 */
class AdwinDirectionTest {

    /** 0.8 for 500 inputs, 0.2 for 500, 0.8 for 500. */
    private static double[] fallThenRiseSteps() {
        double[] s = new double[1500];
        for (int i = 0; i < s.length; i++) {
            s[i] = i < 500 || i >= 1000 ? 0.8 : 0.2;
        }
        return s;
    }

    /** Error indicators: Bernoulli(0.8), then 0.2, then 0.8, 500 each (seed 2026). */
    private static double[] fallThenRiseErrors() {
        SplittableRandom random = new SplittableRandom(2026);
        double[] s = new double[1500];
        for (int i = 0; i < s.length; i++) {
            double p = i < 500 || i >= 1000 ? 0.8 : 0.2;
            s[i] = random.nextDouble() < p ? 1.0 : 0.0;
        }
        return s;
    }

    /** Every cut of a detector that reports all of them, with whether the window's mean rose. */
    private record Cut(int index, boolean rise) {
    }

    private static List<Cut> cuts(Adwin reportingEveryCut, double[] stream) {
        List<Cut> out = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            double before = reportingEveryCut.estimate();
            if (reportingEveryCut.update(stream[i]) == Signal.DRIFT) {
                out.add(new Cut(i, reportingEveryCut.estimate() > before));
            }
        }
        return out;
    }

    @Test
    void moaPreset_onStepsThatFallThenRise_signalsOnlyTheRiseCuts() {
        // MOA's window keeps shrinking after the fall (cuts at 543, 575, 735, mean lower each
        // time) and after the rise (1023, 1055, 1151, mean higher): only the last three are drifts.
        double[] s = fallThenRiseSteps();
        List<Cut> all = cuts(Adwin.builder().moa().direction(Direction.BOTH).build(), s);
        assertEquals(List.of(new Cut(543, false), new Cut(575, false), new Cut(735, false),
                new Cut(1023, true), new Cut(1055, true), new Cut(1151, true)), all);
        assertEquals(List.of(1023, 1055, 1151), driftIndices(Adwin.builder().moa().build(), s));
    }

    @Test
    void riverPreset_onStepsThatFallThenRise_signalsTheFallAndTheRise() {
        // River reports the first cut after the fall and restarts from an empty window, which then
        // holds only 0.2s until the rise; after the rise's cut it restarts again and sees only 0.8s.
        assertEquals(List.of(543, 1023), driftIndices(Adwin.builder().river().build(), fallThenRiseSteps()));
    }

    @Test
    void moaPreset_onErrorsThatFallThenRise_signalsOnlyTheRise() {
        double[] s = fallThenRiseErrors();
        List<Cut> all = cuts(Adwin.builder().moa().direction(Direction.BOTH).build(), s);
        assertEquals(List.of(543, 575, 607, 639, 1055), all.stream().map(Cut::index).toList());
        assertEquals(all.stream().filter(Cut::rise).map(Cut::index).toList(),
                driftIndices(Adwin.builder().moa().build(), s));
        assertEquals(List.of(1055), driftIndices(Adwin.builder().moa().build(), s));
    }

    @Test
    void riverPreset_onErrorsThatFallThenRise_signalsBoth() {
        assertEquals(List.of(543, 1055), driftIndices(Adwin.builder().river().build(), fallThenRiseErrors()));
    }

    @Test
    void directionDown_reportsOnlyTheFallCuts_andTheWindowShrinksEitherWay() {
        double[] s = fallThenRiseSteps();
        assertEquals(List.of(543, 575, 735), driftIndices(Adwin.builder().moa().direction(Direction.DOWN).build(), s));
        // Reporting does not change the window: both keep the same newer part.
        Adwin down = Adwin.builder().moa().direction(Direction.DOWN).build();
        Adwin up = Adwin.builder().moa().build();
        for (double v : s) {
            down.update(v);
            up.update(v);
            assertEquals(up.width(), down.width());
        }
    }

    @Test
    void moaPreset_onRiversStream1_stillSignalsBothRises() {
        // The published MOA answer for stream 1 ([1023, 1055]) is two rises: it agrees with the rule.
        double[] s1 = RiverStreams.s1();
        List<Cut> all = cuts(Adwin.builder().moa().direction(Direction.BOTH).build(), s1);
        assertTrue(all.stream().allMatch(Cut::rise), all.toString());
        assertEquals(List.of(1023, 1055), driftIndices(Adwin.builder().moa().build(), s1));
    }

    @Test
    void toString_namesTheDirection() {
        assertTrue(Adwin.builder().moa().build().toString().contains("direction=UP"));
        assertTrue(Adwin.builder().river().build().toString().contains("direction=BOTH"));
    }
}
