package dev.mlops.core.monitor.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.InMemoryMonitor;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.WindowSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link MonitorMeters} against Micrometer's own registries: the meters read what the monitor's last
 * closed window says, and Prometheus's scrape shows them under the documented names and tags.
 */
class MonitorMetersTest {
    private static final long T0 = 1_700_000_040_000L;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final AtomicLong millis = new AtomicLong(T0);
    private final InstantSource clock = new InstantSource() {
        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }

        @Override
        public long millis() {
            return millis.get();
        }
    };

    private InMemoryMonitor monitor() {
        FeatureSchema schema = FeatureSchema.builder().numeric("amount", 0, 100).categorical("country", "de", "fr")
                .build();
        return Monitor.builder(schema).window(MINUTE).keepWindows(3).clock(clock).binaryClassifier().build();
    }

    /** Two closed windows' worth of traffic: the second is the one the gauges show. */
    private WindowSnapshot feed(InMemoryMonitor m) {
        for (int i = 0; i < 50; i++) {
            m.record(i, 0.9, 2_000_000, new double[] {10}, new int[] {0});
        }
        millis.addAndGet(MINUTE.toMillis());
        for (int i = 100; i < 180; i++) {
            double amount = i % 10 == 0 ? Double.NaN : i % 10 == 1 ? 500 : i - 100;
            m.record(i, i % 2 == 0 ? 0.8 : 0.3, 1_000_000L * (1 + i % 20), new double[] {amount},
                    new int[] {i % 7 == 0 ? 5 : i % 2});
            m.recordOutcome(i, i % 3 == 0 ? 0 : 1);
        }
        m.recordFailure(999, 4_000_000);
        millis.addAndGet(MINUTE.toMillis());
        m.record(1000, 0.5, 1, new double[] {1}, new int[] {0}); // the open window: never shown
        return m.snapshot().lastClosed().orElseThrow();
    }

    @Test
    void gauges_readTheLastClosedWindow_andCountersEverything() {
        InMemoryMonitor m = monitor();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MonitorMeters.of(m, Tags.of("model", "fraud", "version", "7"), Duration.ZERO).bindTo(registry);
        assertTrue(Double.isNaN(registry.get("mlops.window.failure.rate").gauge().value()), "no closed window yet");

        WindowSnapshot w = feed(m);
        assertEquals(81, w.count());
        assertEquals(w.value(Metric.FAILURE_RATE), registry.get("mlops.window.failure.rate").gauge().value());
        assertEquals(w.value(Metric.ACCURACY), registry.get("mlops.window.accuracy").gauge().value());
        assertEquals(w.value(Metric.AUC), registry.get("mlops.window.auc").gauge().value());
        assertEquals(80, registry.get("mlops.window.labeled").gauge().value());
        Gauge p99 = registry.get("mlops.window.latency").tags("quantile", "0.99", "model", "fraud", "version", "7").gauge();
        assertEquals(w.latencyNanos().quantile(0.99) / 1e9, p99.value(), 0.0);
        assertEquals("seconds", p99.getId().getBaseUnit());
        assertEquals(w.numeric("amount").mean(), registry.get("mlops.window.feature.mean").tag("feature", "amount")
                .gauge().value());
        assertEquals(8, registry.get("mlops.window.feature.missing").tag("feature", "amount").gauge().value());
        assertEquals(8, registry.get("mlops.window.feature.out.of.range").tag("feature", "amount").gauge().value());
        assertEquals(w.categorical("country").unseen(), registry.get("mlops.window.feature.unseen")
                .tag("feature", "country").gauge().value());
        assertTrue(w.categorical("country").unseen() > 0);
        assertEquals(50 + 80 + 1, registry.get("mlops.predictions").functionCounter().count(),
                "the counter counts every window, the open one too");
        assertEquals(1, registry.get("mlops.prediction.failures").functionCounter().count());
    }

    @Test
    void prometheusScrape_showsTheDocumentedNamesAndTags() {
        InMemoryMonitor m = monitor();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // a snapshot for every read: the default (one a second) could serve the empty one read at registration
        MonitorMeters.of(m, Tags.of("model", "fraud", "version", "7"), Duration.ZERO).bindTo(registry);
        WindowSnapshot w = feed(m);
        String scrape = registry.scrape();

        assertEquals(131.0, sample(scrape, "mlops_predictions_total{model=\"fraud\",version=\"7\"}"));
        assertEquals(1.0, sample(scrape, "mlops_prediction_failures_total{model=\"fraud\",version=\"7\"}"));
        assertEquals(w.value(Metric.ACCURACY), sample(scrape, "mlops_window_accuracy{model=\"fraud\",version=\"7\"}"),
                1e-12);
        assertEquals(w.latencyNanos().quantile(0.5) / 1e9,
                sample(scrape, "mlops_window_latency_seconds{model=\"fraud\",quantile=\"0.5\",version=\"7\"}"), 1e-12);
        assertEquals(8.0, sample(scrape, "mlops_window_feature_missing{feature=\"amount\",model=\"fraud\",version=\"7\"}"));
        assertEquals(w.categorical("country").missing(),
                sample(scrape, "mlops_window_feature_missing{feature=\"country\",model=\"fraud\",version=\"7\"}"));
        assertTrue(scrape.contains("# HELP mlops_window_accuracy accuracy of the last closed window"), scrape);
    }

    @Test
    void oneSnapshotServesAScrape() {
        AtomicLong snapshots = new AtomicLong();
        InMemoryMonitor m = monitor();
        Monitor counting = new Monitor() {
            @Override
            public void record(long id, double score, long latency, double[] numeric, int[] categories) {
            }

            @Override
            public void record(long id, double score, long latency, double[] numeric, String[] categories) {
            }

            @Override
            public void recordClass(long id, int predictedClass, long latency, double[] numeric, int[] categories) {
            }

            @Override
            public void recordLatency(long id, long latency) {
            }

            @Override
            public void recordFailure(long id, long latency) {
            }

            @Override
            public boolean recordOutcome(long id, double actual) {
                return false;
            }

            @Override
            public dev.mlops.core.monitor.MonitorSnapshot snapshot() {
                snapshots.incrementAndGet();
                return m.snapshot();
            }

            @Override
            public dev.mlops.core.Subscription addAlert(dev.mlops.core.monitor.AlertRule rule,
                    dev.mlops.core.monitor.AlertListener listener) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {
            }
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MonitorMeters.of(counting, Tags.of("model", "fraud"), Duration.ofHours(1)).bindTo(registry);
        long before = snapshots.get();
        registry.scrape();
        registry.scrape();
        assertEquals(1, snapshots.get() - before, "every gauge of two scrapes within maxAge read one snapshot");
    }

    @Test
    void reservedTags_areRefused() {
        InMemoryMonitor m = monitor();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MonitorMeters.of(m, Tags.of("feature", "x")));
        assertTrue(e.getMessage().contains("feature"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MonitorMeters.of(m, Tags.empty(), Duration.ofSeconds(-1)));
    }

    private static double sample(String scrape, String series) {
        Matcher mt = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(mt.find(), () -> series + " not in the scrape:\n" + scrape);
        return Double.parseDouble(mt.group(1));
    }
}
