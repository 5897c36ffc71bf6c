package dev.mlops.drift.stream;

import dev.mlops.core.drift.ChangeDetector;
import java.util.function.Supplier;

/** Every detector with its default options, and what inputs it accepts. Test helper. */
enum DetectorKind {
    ADWIN(() -> Adwin.builder().build(), Input.REAL),
    ADWIN_MOA(() -> Adwin.builder().moa().build(), Input.REAL),
    DDM(() -> Ddm.builder().build(), Input.UNIT),
    EDDM(() -> Eddm.builder().build(), Input.BINARY),
    HDDM_A(() -> HddmA.builder().build(), Input.UNIT),
    HDDM_A_MOA(() -> HddmA.builder().moa().build(), Input.UNIT),
    HDDM_W(() -> HddmW.builder().build(), Input.UNIT),
    HDDM_W_TWO_SIDED(() -> HddmW.builder().twoSided(true).build(), Input.UNIT),
    PAGE_HINKLEY(() -> PageHinkley.builder().build(), Input.REAL),
    PAGE_HINKLEY_MOA(() -> PageHinkley.builder().moa().build(), Input.REAL),
    CUSUM(() -> Cusum.builder().direction(Direction.BOTH).build(), Input.REAL),
    KSWIN(() -> Kswin.builder().seed(7).build(), Input.REAL),
    KSWIN_KEEP(() -> Kswin.builder().seed(7).resetAfterDrift(false).build(), Input.REAL),
    EWMA_CHART(() -> EwmaChart.builder().build(), Input.UNIT);

    /** The inputs a detector accepts. */
    enum Input {
        BINARY, UNIT, REAL
    }

    private final Supplier<ChangeDetector> factory;
    final Input input;

    DetectorKind(Supplier<ChangeDetector> factory, Input input) {
        this.factory = factory;
        this.input = input;
    }

    ChangeDetector create() {
        return factory.get();
    }

    /** Whether {@link ChangeDetector#estimate()} is a mean of (some of) the inputs. */
    boolean estimatesAMeanOfInputs() {
        return this != EDDM;
    }
}
