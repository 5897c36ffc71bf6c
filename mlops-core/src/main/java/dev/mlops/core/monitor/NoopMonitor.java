package dev.mlops.core.monitor;

import dev.mlops.core.Subscription;
import java.time.Instant;
import java.util.List;

/** Records nothing; stateless and thread-safe. */
final class NoopMonitor implements Monitor {
    static final NoopMonitor INSTANCE = new NoopMonitor();

    private NoopMonitor() {
    }

    @Override
    public void record(long predictionId, double score, long latencyNanos, double[] numeric, int[] categories) {
        // records nothing by design
    }

    @Override
    public void record(long predictionId, double score, long latencyNanos, double[] numeric, String[] categories) {
        // records nothing by design
    }

    @Override
    public void recordClass(long predictionId, int predictedClass, long latencyNanos, double[] numeric, int[] categories) {
        // records nothing by design
    }

    @Override
    public void recordLatency(long predictionId, long latencyNanos) {
        // records nothing by design
    }

    @Override
    public void recordFailure(long predictionId, long latencyNanos) {
        // records nothing by design
    }

    @Override
    public boolean recordOutcome(long predictionId, double actual) {
        return false;
    }

    @Override
    public MonitorSnapshot snapshot() {
        WindowSnapshot nothing = StripeLayout.empty(Instant.EPOCH, Instant.EPOCH, FeatureSchema.none(), List.of(),
                SketchLayout.latencyNanos(), InMemoryMonitor.DEFAULT_VALUE_LAYOUT);
        return new MonitorSnapshot(Instant.EPOCH, List.of(), nothing, nothing, OutcomeCounts.EMPTY);
    }

    @Override
    public Subscription addAlert(AlertRule rule, AlertListener listener) {
        return () -> { };
    }

    @Override
    public void close() {
        // holds nothing
    }
}
