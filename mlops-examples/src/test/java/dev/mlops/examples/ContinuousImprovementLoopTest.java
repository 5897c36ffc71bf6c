package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The whole loop as a test, on the example's fake clock, with no sleeps: shift, the monitor's drift alert
 * and accuracy alert, retraining,
 * shadow, gate, four-eyes approval, swap without a failed request, a bad promotion rolled back.
 */
class ContinuousImprovementLoopTest {

    @Test
    void theLoopCloses() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ContinuousImprovementLoop.Result r = ContinuousImprovementLoop.run(new PrintStream(printed, true,
                StandardCharsets.UTF_8));
        List<String> steps = r.steps();
        String all = String.join("\n", steps);
        int shift = indexOf(steps, "the data shifts");
        int driftAlert = indexOf(steps, "drift alert");
        int accuracyAlert = indexOf(steps, "accuracy alert");
        int retrained = indexOf(steps, "retraining on");
        int gate = indexOf(steps, "gate: PASSED");
        int refused = indexOf(steps, "alice's own approval refused");
        int promoted = indexOf(steps, "bob approved; PROMOTED");
        int bad = indexOf(steps, "a bad version");
        int rolledBack = indexOf(steps, "rolled back in one call: serving fraud:2, champion points at v2");
        assertTrue(shift < driftAlert && shift < accuracyAlert && accuracyAlert < retrained && retrained < gate
                && gate < refused && refused < promoted && promoted < bad && bad < rolledBack, all);
        assertTrue(steps.get(promoted).contains("serving fraud:2"), "the service swapped to the challenger: " + all);
        assertTrue(steps.get(driftAlert).contains("amount.drifted") && steps.get(driftAlert).contains("amount ks p=")
                && steps.get(driftAlert).contains("drifted"), "the monitor's own drift test raised it: " + all);
        assertTrue(steps.subList(0, shift).stream().noneMatch(s -> s.startsWith("drift alert")),
                "no drift alert before the shift: " + all);
        assertTrue(steps.subList(bad, rolledBack).stream().anyMatch(s -> s.startsWith("accuracy alert")),
                "the bad promotion raised the accuracy alert before the rollback: " + all);
        assertEquals(0, r.failedRequests(), "no request failed across swaps and rollback");
        assertEquals(2, r.champion());
        assertTrue(r.auditVerified());
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("shadow for PT"), "the shadow report is printed");
    }

    private static int indexOf(List<String> steps, String prefix) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no step starts with \"" + prefix + "\" in\n" + String.join("\n", steps));
    }
}
