package dev.mlops.core.monitor;

import dev.mlops.tck.MonitorContract;
import java.util.Optional;

/**
 * Runs the published kit against {@link InMemoryMonitor}, twice: windows closed by recordings and
 * snapshots here, and by a scheduler that never runs in {@link ScheduledInMemoryMonitorContractTest},
 * where snapshots close them.
 */
class InMemoryMonitorContractTest extends MonitorContract {
    @Override
    protected Monitor newMonitor(Setup setup) {
        return Monitor.builder(setup.schema()).clock(setup.clock()).window(setup.window())
                .keepWindows(setup.keepWindows()).binaryClassifier()
                .pendingOutcomes(InMemoryMonitor.DEFAULT_PENDING_OUTCOMES, setup.outcomeTtl()).build();
    }

    @Override
    protected Optional<Monitor> newMonitor(Setup setup, WindowDriftDetector drift) {
        return Optional.of(Monitor.builder(setup.schema()).clock(setup.clock()).window(setup.window())
                .keepWindows(setup.keepWindows()).drift(drift).build());
    }
}
