package dev.mlops.core.monitor.micrometer;

import dev.mlops.core.monitor.CategoricalSummary;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.MonitorSnapshot;
import dev.mlops.core.monitor.NumericSummary;
import dev.mlops.core.monitor.WindowSnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a {@link Monitor}'s health as Micrometer meters, so that a service that already exports its
 * metrics (to Prometheus, Datadog, ...) shows its model's beside them. Micrometer is an optional
 * dependency of mlops-core: add {@code io.micrometer:micrometer-core} to use this class.
 *
 * <pre>{@code
 * MonitorMeters.of(monitor, Tags.of("model", "fraud-scorer", "version", "7")).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>What is registered, all with the given tags (Prometheus names in brackets, as its registry renders
 * them):
 * <ul>
 *   <li>two counters since the monitor started: {@code mlops.predictions} ({@code mlops_predictions_total})
 *       and {@code mlops.prediction.failures} ({@code mlops_prediction_failures_total});
 *   <li>a gauge per {@link Metric} of the <b>last closed window</b>, named {@code mlops.window.} and the
 *       metric in lower case with dots ({@code mlops.window.failure.rate}, {@code mlops.window.accuracy},
 *       ...), except the latency quantiles: one gauge {@code mlops.window.latency} in seconds with a
 *       {@code quantile} tag ({@code 0.5}, {@code 0.9}, {@code 0.99}, {@code 0.999}), and
 *       {@code mlops.window.latency.max} in seconds;
 *   <li>per numeric feature (tag {@code feature}): {@code mlops.window.feature.mean},
 *       {@code mlops.window.feature.missing}, {@code mlops.window.feature.out.of.range}; per categorical
 *       feature: {@code mlops.window.feature.missing} and {@code mlops.window.feature.unseen}.
 * </ul>
 * A gauge the window cannot answer (no closed window yet, an outcome metric before labels arrive) reads
 * NaN, which Prometheus shows as {@code NaN}. One scrape reads many gauges: they share one
 * {@link Monitor#snapshot()}, taken at most once per {@code maxAge} (one second unless set), so a scrape
 * costs one snapshot whatever the number of meters. Thread-safe.
 */
@SuppressWarnings("exports") // Micrometer's types are the point: whoever calls this has Micrometer on its path
public final class MonitorMeters implements MeterBinder {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final Metric[] LATENCY_QUANTILES = {Metric.LATENCY_P50, Metric.LATENCY_P90, Metric.LATENCY_P99,
        Metric.LATENCY_P999};
    private static final String[] QUANTILE_TAGS = {"0.5", "0.9", "0.99", "0.999"};

    private final Monitor monitor;
    private final Tags tags;
    private final long maxAgeNanos;
    private MonitorSnapshot cached;
    private long cachedAt;

    private MonitorMeters(Monitor monitor, Tags tags, Duration maxAge) {
        this.monitor = Objects.requireNonNull(monitor, "monitor");
        this.tags = Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must be zero or positive, was " + maxAge);
        }
        this.maxAgeNanos = maxAge.toNanos();
        for (Tag t : tags) {
            if (t.getKey().equals("feature") || t.getKey().equals("quantile")) {
                throw new IllegalArgumentException("tag " + t.getKey() + " is set by MonitorMeters itself; name the"
                        + " model and version with other tags, such as model and version");
            }
        }
    }

    /**
     * @param monitor the monitor to expose
     * @param tags tags on every meter, such as {@code model} and {@code version}; not {@code feature} or
     *     {@code quantile}, which this class sets
     * @return the binder; call {@link #bindTo(MeterRegistry)}
     */
    public static MonitorMeters of(Monitor monitor, Tags tags) {
        return new MonitorMeters(monitor, tags, Duration.ofSeconds(1));
    }

    /**
     * @param monitor the monitor to expose
     * @param tags tags on every meter
     * @param maxAge how long one snapshot serves the gauges; zero takes one per gauge read
     * @return the binder
     */
    public static MonitorMeters of(Monitor monitor, Tags tags, Duration maxAge) {
        return new MonitorMeters(monitor, tags, maxAge);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        FunctionCounter.builder("mlops.predictions", this, m -> m.snapshot().cumulative().predictions())
                .description("Successful predictions recorded since the monitor started").tags(tags)
                .register(registry);
        FunctionCounter.builder("mlops.prediction.failures", this, m -> m.snapshot().cumulative().failures())
                .description("Failed predictions recorded since the monitor started").tags(tags).register(registry);
        for (int i = 0; i < LATENCY_QUANTILES.length; i++) {
            Metric metric = LATENCY_QUANTILES[i];
            gauge(registry, "mlops.window.latency", "Latency quantile of the last closed window",
                    Tags.of("quantile", QUANTILE_TAGS[i]), w -> w.value(metric) / NANOS_PER_SECOND, "seconds");
        }
        gauge(registry, "mlops.window.latency.max", "Largest latency of the last closed window", Tags.empty(),
                w -> w.value(Metric.LATENCY_MAX) / NANOS_PER_SECOND, "seconds");
        for (Metric metric : Metric.values()) {
            if (metric.name().startsWith("LATENCY_")) {
                continue;
            }
            gauge(registry, "mlops.window." + metric.name().toLowerCase(Locale.ROOT).replace('_', '.'),
                    describe(metric), Tags.empty(), w -> w.value(metric), null);
        }
        WindowSnapshot shape = monitor.snapshot().current();
        for (NumericSummary f : shape.numeric()) {
            String name = f.name();
            Tags feature = Tags.of("feature", name);
            gauge(registry, "mlops.window.feature.mean", "Mean of the feature's finite values in the last closed"
                    + " window", feature, w -> w.numeric(name).mean(), null);
            gauge(registry, "mlops.window.feature.missing", "Missing values of the feature in the last closed window",
                    feature, w -> w.numeric(name).missing(), null);
            gauge(registry, "mlops.window.feature.out.of.range", "Values outside the schema's range in the last"
                    + " closed window", feature, w -> w.numeric(name).outOfRange(), null);
        }
        for (CategoricalSummary f : shape.categorical()) {
            String name = f.name();
            Tags feature = Tags.of("feature", name);
            gauge(registry, "mlops.window.feature.missing", "Missing values of the feature in the last closed window",
                    feature, w -> w.categorical(name).missing(), null);
            gauge(registry, "mlops.window.feature.unseen", "Values outside the known categories in the last closed"
                    + " window", feature, w -> w.categorical(name).unseen(), null);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, Tags extra,
            ToDoubleFunction<WindowSnapshot> value, String unit) {
        Gauge.Builder<MonitorMeters> b = Gauge.builder(name, this, m -> m.snapshot().lastClosed()
                        .map(value::applyAsDouble).orElse(Double.NaN))
                .description(description).tags(tags).tags(extra);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }

    private static String describe(Metric metric) {
        return metric.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " of the last closed window";
    }

    /** One snapshot for every gauge read within {@code maxAge}. */
    private synchronized MonitorSnapshot snapshot() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt >= maxAgeNanos) {
            cached = monitor.snapshot();
            cachedAt = now;
        }
        return cached;
    }
}
