package dev.mlops.core.monitor;

import dev.mlops.tck.MonitorContract;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the published kit against an {@link InMemoryMonitor} that closes windows on a scheduler: the
 * scheduler's task is due only at real window ends, long after each test, so snapshots close the
 * windows of the fake clock, as the kit allows.
 */
class ScheduledInMemoryMonitorContractTest extends MonitorContract {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @Override
    protected Monitor newMonitor(Setup setup) {
        return Monitor.builder(setup.schema()).clock(setup.clock()).window(setup.window())
                .keepWindows(setup.keepWindows()).binaryClassifier()
                .pendingOutcomes(InMemoryMonitor.DEFAULT_PENDING_OUTCOMES, setup.outcomeTtl())
                .closeWindowsWith(scheduler).build();
    }

    @Override
    protected Optional<Monitor> newMonitor(Setup setup, WindowDriftDetector drift) {
        return Optional.of(Monitor.builder(setup.schema()).clock(setup.clock()).window(setup.window())
                .keepWindows(setup.keepWindows()).closeWindowsWith(scheduler).drift(drift).build());
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }
}
