package dev.mlops.core.monitor;

import dev.mlops.core.Subscription;
import dev.mlops.core.drift.NumericSample;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Monitor} that keeps tumbling windows in memory: the open window, the last {@code K} closed
 * ones, and a cumulative view since it started.
 *
 * <pre>{@code
 * FeatureSchema schema = FeatureSchema.builder().numeric("amount", 0, 10_000).categorical("country", "de", "fr").build();
 * InMemoryMonitor monitor = Monitor.builder(schema).window(Duration.ofMinutes(5)).keepWindows(288).build();
 *
 * long start = System.nanoTime();
 * double score = model.score(features);
 * monitor.record(requestId, score, System.nanoTime() - start, numericFeatures, categoryIndexes);
 *
 * MonitorSnapshot s = monitor.snapshot();
 * }</pre>
 *
 * <p><b>Windows</b> are aligned to the clock's epoch ({@code [k·length, (k+1)·length)} in epoch millis), so
 * replicas with the same window length close the same windows and their snapshots merge window by
 * window. A recording lands in the window that is open when it claims its stripe; one that races the
 * close of a window lands wholly in it or wholly in the next. Windows with no recordings are kept as
 * empty windows, so the closed list is consecutive.
 *
 * <p><b>Threads.</b> Safe from any number of threads. Recording takes no lock and never waits for
 * another thread: it reads the clock ({@link InstantSource#millis()}), claims one stripe of the open
 * window with a compare-and-set, updates that stripe's counters with plain writes, and frees it (see
 * the package-private {@code WindowAccumulator} for the protocol). It allocates nothing, except that
 * contention may double the stripes (a few times in a monitor's life) and that the recording which
 * first finds the clock past the open window closes it: it swaps in a recycled accumulator, waits for
 * recordings under way in the old window to finish (nanoseconds), adds up its stripes into a
 * {@link WindowSnapshot} and publishes it, once per window. {@link #snapshot()} reads the open window
 * stripe by stripe without stopping recording.
 *
 * <p><b>Closing windows on a scheduler.</b> Given {@link Builder#closeWindowsWith(ScheduledExecutorService)},
 * a task on that scheduler closes each window when the clock reaches its end, and recording neither
 * reads the clock nor ever closes a window: the cheapest path, and no serving thread pays for a
 * window's snapshot. A recording made after a window's end but before the task runs (the scheduler's
 * lag) still counts in that window. {@link #close()} stops the task.
 *
 * <p><b>Bad data never throws on the serving thread</b>: NaN features and scores count as missing,
 * infinite ones as non-finite, out-of-range values and unknown categories are counted, a negative
 * latency is counted as invalid in {@link QuantileSketchSnapshot#negativeCount()}. Arrays whose length
 * does not match the schema are a programming error and throw {@link IllegalArgumentException} naming
 * the expected length, before anything is recorded.
 *
 * <p><b>Memory</b> is fixed by the schema and layouts: per stripe, the latency layout's buckets plus,
 * for the score and each numeric feature, twice the value layout's buckets (8 bytes each); about 300
 * KiB for 10 numeric features with the default layouts. There are two accumulators (the open window and
 * a recycled spare), each with as many stripes as contention required (one for a single recording
 * thread; at most twice {@link QuantileSketch#defaultMaxStripes()} unless more threads than that are
 * caught mid-record at once), plus the closed windows' compact snapshots. With a model kind, add the
 * pending-outcome store (40 bytes per entry, about 5 MiB by default) and, per kept window that got
 * outcomes, its metrics (16 bytes per AUC bin for a binary classifier, 8 per confusion cell). With a drift
 * detector, each stripe also holds the {@link DriftPlan}'s bins and reservoirs: per planned feature
 * {@code (edges + 1) + (sampleSize + 3)} longs, about 16 KB for a sample of 2,000.
 *
 * <p><b>Outcomes</b> (ground truth arriving later) are joined when the builder names the model's kind:
 * {@link Builder#binaryClassifier()}, {@link Builder#multiClassClassifier()} or
 * {@link Builder#regression()}. Each recording with a score (or, for multi-class, a class) then offers
 * its id, score and window to a bounded {@link PendingOutcomes} store (lock-free, allocation-free;
 * {@link Builder#pendingOutcomes(int, Duration)}), and reads the clock once for the outcome's time to
 * live, also when windows close on a scheduler. {@link #recordOutcome(long, double)} takes the
 * prediction out of the store exactly once and attributes the outcome to <i>the prediction's</i> window,
 * not the one open when the label arrives: a closed window's outcome metrics stay writable while the
 * monitor keeps the window (the last {@code K}), so snapshots of closed windows show the outcomes joined
 * so far; an outcome for an older window counts in the cumulative view only. Late, duplicate, unknown
 * and invalid outcomes are counted in the window open when they arrive ({@link WindowOutcomes}), and
 * monitor-wide in {@link MonitorSnapshot#outcomes()}. A window close also expires the store's predictions
 * past their time to live (a scan of the store, on the closing thread).
 *
 * <p><b>Drift.</b> Given {@link Builder#drift(WindowDriftDetector)}, each closed window that recorded
 * features is tested against the detector's reference, and the result is part of the window
 * ({@link WindowSnapshot#drift()}), for snapshots, JSON and alerts ({@link Metric#DATASET_DRIFT},
 * {@link WindowSignal#drifted(String)}, ...). No raw row is kept: the detector's {@link DriftPlan} says
 * what each stripe keeps besides its counters, namely per numeric feature counts on fixed bin edges
 * (a binary search on the edges, into the stripe's counters) and a bounded uniform sample (a reservoir per
 * stripe, merged uniformly at the close; see {@link DriftPlan.Numeric}); categorical features are tested
 * from the window's category counts. Recording stays lock-free and allocation-free; without a detector it
 * pays one null check. <b>Where the test runs</b>: on the thread that closes the window, after the window
 * is drained and before it is published, so that every snapshot and alert sees the window with its
 * result. With {@link Builder#closeWindowsWith(ScheduledExecutorService)} that is the scheduler's task
 * (or a {@link #snapshot()} that finds the clock past a window before the task ran) and never a serving
 * thread; without a scheduler it is the recording that first finds the clock past the window, which then
 * pays for the test (sorting and testing each sample: milliseconds for samples of thousands), so use a
 * scheduler with drift. A snapshot taken while a window closes waits for its test. A detector that throws
 * is logged at WARN and leaves that window without a result; nothing reaches the recording thread.
 *
 * <p><b>Alerts</b> are evaluated when a window closes, on the thread that closes it; see
 * {@link #addAlert(AlertRule, AlertListener)}.
 */
public final class InMemoryMonitor implements Monitor {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryMonitor.class);
    /**
     * The default layout of scores and numeric features: magnitudes from 1e-6 to 1e9 at 1.5% relative
     * accuracy (32 buckets per octave, 1,595 buckets per sign). Magnitudes below 1e-6 are counted below
     * the range, ones above 1e9 above it.
     */
    public static final SketchLayout DEFAULT_VALUE_LAYOUT = SketchLayout.of(1e-6, 1e9, 0.02);
    /** How many predictions wait for their outcome at most, by default: 100,000 (a 5 MiB store). */
    public static final int DEFAULT_PENDING_OUTCOMES = 100_000;
    /** How long a prediction waits for its outcome, by default: one hour. */
    public static final Duration DEFAULT_OUTCOME_TTL = Duration.ofHours(1);

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(InMemoryMonitor.class, "current", Epoch.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The open window: an accumulator and the start it was opened for (it may have been recycled since). */
    private record Epoch(WindowAccumulator accumulator, long start) {
    }

    /** Closed windows, oldest first, at most {@code keep}; the merge of every closed window, or null. */
    private record History(List<WindowSnapshot> closed, WindowSnapshot cumulative) {
    }

    private final FeatureSchema schema;
    private final StripeLayout layout;
    private final long windowMillis;
    private final int keep;
    private final InstantSource clock;
    private final WindowDriftDetector driftDetector;
    private final CategoryDictionary[] dictionaries;
    private final int numericCount;
    private final int categoricalCount;
    private final AtomicReference<WindowAccumulator> spare = new AtomicReference<>();
    private final AtomicReference<History> history = new AtomicReference<>(new History(List.of(), null));
    private final AtomicInteger closing = new AtomicInteger();
    private final boolean readsClock;
    private final ScheduledExecutorService scheduler;
    private final boolean clockOnRecord;
    private final OutcomeWindows outcomes;
    private final PendingOutcomes pending;
    private final boolean offersScores;
    private final boolean offersClasses;
    private final LongAdder outcomesWithoutModel = new LongAdder();
    private final ThreadLocal<PendingOutcomes.Joined> joined = ThreadLocal.withInitial(PendingOutcomes.Joined::new);
    private final List<AlertRegistration> alerts = new CopyOnWriteArrayList<>();
    private final ReentrantLock alertLock = new ReentrantLock();
    private final AtomicInteger alertRequests = new AtomicInteger();
    private long lastJudgedStart = Long.MIN_VALUE;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> nextClose;
    private volatile Epoch current;

    private InMemoryMonitor(Builder b) {
        this.schema = b.schema;
        this.driftDetector = b.driftDetector;
        DriftPlan plan = null;
        if (b.driftDetector != null) {
            plan = Objects.requireNonNull(b.driftDetector.plan(b.schema), "the drift detector's plan");
        }
        this.layout = new StripeLayout(b.schema, b.classes, b.latencyLayout, b.valueLayout, b.maxNewCategories, plan);
        this.windowMillis = b.window.toMillis();
        this.keep = b.keepWindows;
        this.clock = b.clock;
        this.numericCount = schema.numeric().size();
        this.categoricalCount = schema.categorical().size();
        this.dictionaries = new CategoryDictionary[categoricalCount];
        for (int i = 0; i < categoricalCount; i++) {
            dictionaries[i] = new CategoryDictionary(schema.categorical().get(i).categories(), b.maxNewCategories);
        }
        this.scheduler = b.scheduler;
        this.readsClock = b.scheduler == null;
        if (b.kind == null) {
            this.outcomes = null;
            this.pending = null;
        } else {
            this.outcomes = new OutcomeWindows(b.kind, b.threshold, b.aucBins, b.classes.size(), windowMillis, keep);
            this.pending = PendingOutcomes.of(b.pendingEntries, b.outcomeTtl);
        }
        this.offersScores = b.kind == OutcomeWindows.Kind.BINARY || b.kind == OutcomeWindows.Kind.REGRESSION;
        this.offersClasses = b.kind == OutcomeWindows.Kind.MULTI_CLASS;
        this.clockOnRecord = readsClock || pending != null;
        long start = windowStart(clock.millis());
        this.current = new Epoch(new WindowAccumulator(layout, start), start);
    }

    private InMemoryMonitor started() {
        if (scheduler != null) {
            closeEndedWindow();
        }
        return this;
    }

    // The scheduler's task: closes the open window if the clock has passed its end, then comes back at
    // the end of the next one.
    private void closeEndedWindow() {
        if (closed) {
            return;
        }
        long now = clock.millis();
        Epoch epoch = current;
        if (now - epoch.start() >= windowMillis) {
            rollOver(epoch, now);
        }
        long delay = Math.max(1, current.start() + windowMillis - clock.millis());
        try {
            nextClose = scheduler.schedule(this::closeEndedWindow, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler was shut down: windows now close on snapshots only.
            nextClose = null;
        }
        if (closed) {
            cancelNextClose();
        }
    }

    private void cancelNextClose() {
        ScheduledFuture<?> f = nextClose;
        if (f != null) {
            f.cancel(false);
        }
    }

    /**
     * @param schema the features to track
     * @return a builder; the window defaults to one minute, 60 closed windows are kept, the clock is the
     *     system clock
     */
    public static Builder builder(FeatureSchema schema) {
        return new Builder(schema);
    }

    /** @return the features tracked */
    public FeatureSchema schema() {
        return schema;
    }

    /** @return the length of a window */
    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /**
     * Records a successful prediction. Lock-free, allocation-free; see the class description.
     *
     * @throws IllegalArgumentException if an array's length does not match the schema
     */
    @Override
    public void record(long predictionId, double score, long latencyNanos, double[] numeric, int[] categories) {
        checkLengths(numeric, Objects.requireNonNull(categories, "categories").length);
        long now = clockOnRecord ? clock.millis() : 0;
        long[] stripe = claim(now);
        stripe[StripeLayout.PREDICTIONS]++;
        layout.latency(stripe, latencyNanos);
        layout.score(stripe, score);
        layout.numeric(stripe, numeric);
        layout.categories(stripe, categories);
        boolean offer = offersScores && joinable(stripe, score);
        long window = stripe[StripeLayout.WINDOW];
        WindowAccumulator.release(stripe);
        if (offer) {
            pending.offer(predictionId, window, score, now * NANOS_PER_MILLI);
        }
    }

    /**
     * Records a successful prediction whose categories are given by name: known names count as their
     * category, null as missing, and a name not known in advance is counted as unseen and, for the
     * first {@link Builder#maxNewCategories(int)} such names of each feature, also by name. Slower than
     * the index variant by a hash lookup per categorical feature; allocation-free once the names have
     * been seen.
     *
     * @throws IllegalArgumentException if an array's length does not match the schema
     */
    @Override
    public void record(long predictionId, double score, long latencyNanos, double[] numeric, String[] categories) {
        checkLengths(numeric, Objects.requireNonNull(categories, "categories").length);
        long now = clockOnRecord ? clock.millis() : 0;
        long[] stripe = claim(now);
        stripe[StripeLayout.PREDICTIONS]++;
        layout.latency(stripe, latencyNanos);
        layout.score(stripe, score);
        layout.numeric(stripe, numeric);
        layout.categories(stripe, categories, dictionaries);
        boolean offer = offersScores && joinable(stripe, score);
        long window = stripe[StripeLayout.WINDOW];
        WindowAccumulator.release(stripe);
        if (offer) {
            pending.offer(predictionId, window, score, now * NANOS_PER_MILLI);
        }
    }

    /**
     * Records a classifier's prediction: its class index in {@link Builder#classes(String...)} ({@code -1}
     * for none, any other index outside the list counted as unseen). Lock-free, allocation-free.
     *
     * @throws IllegalArgumentException if an array's length does not match the schema
     */
    @Override
    public void recordClass(long predictionId, int predictedClass, long latencyNanos, double[] numeric,
            int[] categories) {
        checkLengths(numeric, Objects.requireNonNull(categories, "categories").length);
        long now = clockOnRecord ? clock.millis() : 0;
        long[] stripe = claim(now);
        stripe[StripeLayout.PREDICTIONS]++;
        layout.latency(stripe, latencyNanos);
        layout.predictedClass(stripe, predictedClass);
        layout.numeric(stripe, numeric);
        layout.categories(stripe, categories);
        boolean offer = offersClasses && joinable(stripe, predictedClass);
        long window = stripe[StripeLayout.WINDOW];
        WindowAccumulator.release(stripe);
        if (offer) {
            pending.offer(predictionId, window, predictedClass, now * NANOS_PER_MILLI);
        }
    }

    /** Refuses arrays whose lengths do not match the schema, before anything is recorded. */
    private void checkLengths(double[] numeric, int categories) {
        if (Objects.requireNonNull(numeric, "numeric").length != numericCount) {
            throw schema.numericLengthMismatch(numeric.length);
        }
        if (categories != categoricalCount) {
            throw schema.categoricalLengthMismatch(categories);
        }
    }

    /** Records a successful prediction's latency only; it counts in no score or feature summary. */
    @Override
    public void recordLatency(long predictionId, long latencyNanos) {
        long[] stripe = claim(readsClock ? clock.millis() : 0);
        stripe[StripeLayout.PREDICTIONS]++;
        layout.latency(stripe, latencyNanos);
        WindowAccumulator.release(stripe);
    }

    /** Records a failed prediction and its latency. Lock-free, allocation-free. */
    @Override
    public void recordFailure(long predictionId, long latencyNanos) {
        long[] stripe = claim(readsClock ? clock.millis() : 0);
        stripe[StripeLayout.FAILURES]++;
        layout.latency(stripe, latencyNanos);
        WindowAccumulator.release(stripe);
    }

    /**
     * Joins an outcome to its prediction and attributes it to the prediction's window (see the class
     * description). The actual value is 0 or 1 for a binary classifier (1 the positive class), a class
     * index for a multi-class one, any finite number for regression. Never throws for bad data: an
     * actual value the model kind cannot take is counted in the open window's
     * {@link WindowOutcomes#invalidActuals()} and leaves the prediction pending; a late, duplicate or
     * unknown id is counted in the open window's outcomes and in {@link MonitorSnapshot#outcomes()}.
     * Lock-free up to the metrics' own lock (O(1)); allocates nothing once the thread has joined an
     * outcome before, except when the prediction's window gets its first outcome.
     *
     * @return whether the prediction was pending and is now joined; false without a model kind
     */
    @Override
    public boolean recordOutcome(long predictionId, double actual) {
        if (pending == null) {
            outcomesWithoutModel.increment();
            count(StripeLayout.UNKNOWN);
            return false;
        }
        if (!outcomes.validActual(actual)) {
            count(StripeLayout.INVALID_ACTUALS);
            return false;
        }
        PendingOutcomes.Joined j = joined.get();
        OutcomeStatus status = pending.take(predictionId, clock.millis() * NANOS_PER_MILLI, j);
        switch (status) {
            case JOINED -> {
                outcomes.record(j.windowId(), j.score(), actual);
                return true;
            }
            case LATE -> count(StripeLayout.LATE);
            case DUPLICATE -> count(StripeLayout.DUPLICATE);
            case UNKNOWN -> count(StripeLayout.UNKNOWN);
            default -> throw new IllegalStateException("unexpected outcome status " + status);
        }
        return false;
    }

    // Counts an outcome that joined nothing in the open window.
    private void count(int counter) {
        long[] stripe = claim(readsClock ? clock.millis() : 0);
        stripe[counter]++;
        WindowAccumulator.release(stripe);
    }

    // Whether the stripe's recording can be offered for a join; counts it as an invalid score if not.
    private boolean joinable(long[] stripe, double scoreOrClass) {
        if (outcomes.validPrediction(scoreOrClass)) {
            return true;
        }
        stripe[StripeLayout.INVALID_SCORES]++;
        return false;
    }

    /**
     * Closes the open window first if the clock has passed its end, then copies the closed windows and
     * reads the open one without stopping recording.
     */
    @Override
    public MonitorSnapshot snapshot() {
        long now = clock.millis();
        while (true) {
            Epoch epoch = current;
            if (now - epoch.start() >= windowMillis) {
                rollOver(epoch, now);
                continue;
            }
            if (closing.get() != 0) {
                // Another thread is publishing a window it closed; it is done in microseconds.
                Thread.yield();
                continue;
            }
            History h = history.get();
            long[] total = epoch.accumulator().read();
            if (total == null || epoch.accumulator().start() != epoch.start()) {
                continue;
            }
            Instant start = Instant.ofEpochMilli(epoch.start());
            Instant end = Instant.ofEpochMilli(Math.max(now, epoch.start()));
            WindowSnapshot open = layout.snapshot(total, start, end, dictionaries);
            WindowSnapshot cumulative = h.cumulative() == null ? open : h.cumulative().merge(open);
            List<WindowSnapshot> windows = new ArrayList<>(h.closed().size() + 1);
            windows.addAll(h.closed());
            windows.add(open);
            WindowSnapshot[] attached = attachOutcomes(windows, cumulative);
            int n = windows.size();
            return new MonitorSnapshot(Instant.ofEpochMilli(now), Arrays.asList(attached).subList(0, n - 1),
                    attached[n - 1], attached[n], outcomeCounts());
        }
    }

    /**
     * Adds a rule, judged from the next window that closes on (see {@link AlertRule} for how), on the
     * thread that closes the window: a recording thread, a snapshot, or the scheduler's task. Evaluation
     * is O(rules) per closed window plus, with a model kind, a copy of the kept windows' outcome metrics;
     * it takes no lock that recording takes, and a closing thread never waits for another's evaluation
     * (one that finds it under way leaves its window to that thread). Listeners are called after the
     * evaluation, outside any lock; their exceptions are caught and logged at WARN.
     *
     * @param rule when to fire; a feature signal must name a feature of the schema of the right kind, and
     *     the lag must be below the windows kept
     * @param listener who to tell
     * @return closing it removes the rule; the listener is not called after the close returns, unless an
     *     evaluation under way had already decided to call it
     * @throws IllegalArgumentException if the rule does not fit this monitor
     */
    @Override
    public Subscription addAlert(AlertRule rule, AlertListener listener) {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(listener, "listener");
        if (rule.signal() instanceof FeatureSignal f) {
            f.checkAgainst(schema);
        }
        boolean driftSignal = rule.signal() instanceof Metric m && m.isDriftMetric()
                || rule.signal() instanceof FeatureSignal f && f.statistic().isDrift();
        if (driftSignal && driftDetector == null) {
            throw new IllegalArgumentException(rule.signal().name() + " reads each window's drift result, and this "
                    + "monitor tests no drift: build it with drift(detector)");
        }
        if (rule.lagWindows() >= keep) {
            throw new IllegalArgumentException("lagWindows must be below the " + keep + " windows kept, was "
                    + rule.lagWindows());
        }
        AlertRegistration registration = new AlertRegistration(rule, listener);
        alerts.add(registration);
        return () -> alerts.remove(registration);
    }

    // Judges the closed windows no evaluation has seen yet, then tells the listeners. A closer that finds
    // another evaluating bumps the request count, and the evaluating thread goes round once more for it.
    private void evaluateAlerts() {
        if (alerts.isEmpty()) {
            return;
        }
        alertRequests.incrementAndGet();
        while (alertLock.tryLock()) {
            int seen;
            List<Fired> fired;
            try {
                seen = alertRequests.get();
                fired = judgeNewWindows();
            } finally {
                alertLock.unlock();
            }
            for (Fired f : fired) {
                try {
                    f.listener().onAlert(f.alert());
                } catch (RuntimeException e) {
                    LOG.warn("alert listener {} failed on {}", f.listener(), f.alert().describe(), e);
                }
            }
            if (alertRequests.get() == seen) {
                return;
            }
        }
    }

    private List<Fired> judgeNewWindows() {
        List<WindowSnapshot> closedWindows = history.get().closed();
        int n = closedWindows.size();
        int from = n;
        while (from > 0 && closedWindows.get(from - 1).start().toEpochMilli() > lastJudgedStart) {
            from--;
        }
        if (from == n) {
            return List.of();
        }
        lastJudgedStart = closedWindows.get(n - 1).start().toEpochMilli();
        WindowSnapshot[] windows = attachOutcomes(closedWindows, closedWindows.get(n - 1));
        Instant now = clock.instant();
        List<Fired> fired = new ArrayList<>();
        for (AlertRegistration r : alerts) {
            for (int i = from; i < n; i++) {
                int target = i - r.rule.lagWindows();
                if (target < 0) {
                    continue;
                }
                Alert alert = r.judge(windows[target], now);
                if (alert != null) {
                    fired.add(new Fired(r.listener, alert));
                }
            }
        }
        return fired;
    }

    private record Fired(AlertListener listener, Alert alert) {
    }

    /** A rule, its listener, and its run of breaching windows; judged under the monitor's alert lock. */
    private static final class AlertRegistration {
        private final AlertRule rule;
        private final AlertListener listener;
        private int run;
        private Instant lastFired;

        AlertRegistration(AlertRule rule, AlertListener listener) {
            this.rule = rule;
            this.listener = listener;
        }

        Alert judge(WindowSnapshot window, Instant now) {
            double value = rule.signal().value(window);
            if (rule.signal().samples(window) < rule.minSamples() || Double.isNaN(value)) {
                return null;
            }
            if (!rule.breached(value)) {
                run = 0;
                return null;
            }
            run++;
            if (run < rule.forWindows()
                    || lastFired != null && Duration.between(lastFired, now).compareTo(rule.cooldown()) < 0) {
                return null;
            }
            lastFired = now;
            return new Alert(rule, value, window.start(), window.end(), run, now);
        }
    }

    /**
     * Stops the scheduled closing of windows, if a scheduler was given (the scheduler itself belongs to
     * the caller and is not shut down). Holds no other resources: recording and snapshots still work
     * afterwards; with a scheduler, windows then close only when a snapshot finds the clock past them.
     */
    @Override
    public void close() {
        closed = true;
        cancelNextClose();
    }

    /** @return how many stripes the open window has grown to (for tests and tuning) */
    int stripes() {
        return current.accumulator().stripeCount();
    }

    private long windowStart(long millis) {
        return Math.floorDiv(millis, windowMillis) * windowMillis;
    }

    // The windows with the outcome metrics joined to them so far, then the total with the metrics of all.
    private WindowSnapshot[] attachOutcomes(List<WindowSnapshot> windows, WindowSnapshot total) {
        int n = windows.size();
        WindowSnapshot[] result = new WindowSnapshot[n + 1];
        if (outcomes == null) {
            windows.toArray(result);
            result[n] = total;
            return result;
        }
        long[] starts = new long[n];
        WindowOutcomes[] counts = new WindowOutcomes[n + 1];
        for (int i = 0; i < n; i++) {
            starts[i] = windows.get(i).start().toEpochMilli();
            counts[i] = windows.get(i).outcomes();
        }
        counts[n] = total.outcomes();
        WindowOutcomes[] attached = new WindowOutcomes[n + 1];
        outcomes.views(starts, attached, counts);
        for (int i = 0; i < n; i++) {
            result[i] = windows.get(i).withOutcomes(attached[i]);
        }
        result[n] = total.withOutcomes(attached[n]);
        return result;
    }

    private OutcomeCounts outcomeCounts() {
        if (pending == null) {
            return new OutcomeCounts(0, 0, 0, 0, outcomesWithoutModel.sum(), 0, 0);
        }
        return pending.counts();
    }

    // Claims a stripe of the window open at `now` (read by the caller when the monitor reads the clock
    // on recording), closing windows that have ended, and writes the window's start into it.
    private long[] claim(long now) {
        while (true) {
            Epoch epoch = current;
            if (readsClock && now - epoch.start() >= windowMillis) {
                rollOver(epoch, now);
                continue;
            }
            WindowAccumulator accumulator = epoch.accumulator();
            long[] stripe = accumulator.claim();
            if (stripe == null) {
                continue;
            }
            if (accumulator.start() == epoch.start()) {
                stripe[StripeLayout.WINDOW] = epoch.start();
                return stripe;
            }
            WindowAccumulator.release(stripe);
        }
    }

    // Moves the monitor from the window of `epoch` to the one holding `now`; the thread that wins the
    // compare-and-set closes the old window and publishes it.
    private void rollOver(Epoch epoch, long now) {
        long newStart = windowStart(now);
        WindowAccumulator next = spare.getAndSet(null);
        if (next == null) {
            next = new WindowAccumulator(layout, newStart);
        } else {
            next.reopen(newStart);
        }
        closing.incrementAndGet();
        try {
            if (!CURRENT.compareAndSet(this, epoch, new Epoch(next, newStart))) {
                // Lost the race: close the unused accumulator again (a stale claim may be under way)
                // and keep it for the next window.
                next.close();
                next.drain();
                spare.compareAndSet(null, next);
                return;
            }
            WindowAccumulator old = epoch.accumulator();
            old.close();
            long oldStart = epoch.start();
            double[][] samples = layout.drift() == null ? null : old.driftSamples(driftSeed(oldStart));
            long[] total = old.drain();
            spare.compareAndSet(null, old);
            WindowSnapshot closed = layout.snapshot(total, Instant.ofEpochMilli(oldStart),
                    Instant.ofEpochMilli(oldStart + windowMillis), dictionaries);
            if (driftDetector != null && closed.featureRows() > 0) {
                closed = closed.withDrift(testDrift(closed, total, samples));
            }
            publish(closed, oldStart + windowMillis, newStart);
        } finally {
            closing.decrementAndGet();
        }
        // Once the window is published and snapshots no longer wait for this close: a listener may take one.
        if (pending != null) {
            pending.expire(now * NANOS_PER_MILLI);
        }
        evaluateAlerts();
    }

    // The seed of a window's reservoir merge: fixed by the window's start, so a window's sample can be
    // reproduced, and different for every window.
    private static long driftSeed(long windowStart) {
        return windowStart * 0x9E3779B97F4A7C15L ^ 0xD1B54A32D192ED03L;
    }

    // Hands a closed window's data to the drift detector; its failure is logged, never thrown.
    private Optional<DatasetDriftResult> testDrift(WindowSnapshot closed, long[] total, double[][] samples) {
        DriftStripes drift = layout.drift();
        try {
            List<DriftWindow.Numeric> numeric = new ArrayList<>(numericCount);
            for (int i = 0; i < numericCount; i++) {
                NumericSummary summary = closed.numeric().get(i);
                int entry = drift == null ? -1 : drift.entryOf(i);
                Optional<NumericSample> sample = Optional.empty();
                List<Long> bins = List.of();
                if (entry >= 0) {
                    if (drift.keepsSample(entry)) {
                        double[] values = samples[entry];
                        Arrays.sort(values);
                        sample = Optional.of(NumericSample.ofSorted(values, summary.missing() + summary.infinite()));
                    }
                    bins = drift.binCounts(total, entry);
                }
                numeric.add(new DriftWindow.Numeric(summary, sample, bins));
            }
            DriftWindow window = new DriftWindow(closed.start(), closed.end(), numeric, closed.categorical());
            return Optional.of(Objects.requireNonNull(driftDetector.detect(window), "the drift detector's result"));
        } catch (RuntimeException e) {
            LOG.warn("drift detector {} failed on window [{}, {}); the window has no drift result", driftDetector,
                    closed.start(), closed.end(), e);
            return Optional.empty();
        }
    }

    // Adds a closed window, and the empty windows from emptyFrom to emptyTo, to the history.
    private void publish(WindowSnapshot closed, long emptyFrom, long emptyTo) {
        List<WindowSnapshot> added = new ArrayList<>();
        added.add(closed);
        long gap = (emptyTo - emptyFrom) / windowMillis;
        long from = Math.max(emptyFrom, emptyTo - Math.min(gap, keep) * windowMillis);
        for (long s = from; s < emptyTo; s += windowMillis) {
            added.add(layout.empty(Instant.ofEpochMilli(s), Instant.ofEpochMilli(s + windowMillis)));
        }
        WindowSnapshot span = closed;
        if (emptyTo > emptyFrom) {
            span = closed.merge(added.get(added.size() - 1));
        }
        while (true) {
            History h = history.get();
            List<WindowSnapshot> windows = new ArrayList<>(h.closed());
            windows.addAll(added);
            windows.sort(Comparator.comparing(WindowSnapshot::start));
            if (windows.size() > keep) {
                windows = windows.subList(windows.size() - keep, windows.size());
            }
            WindowSnapshot cumulative = h.cumulative() == null ? span : h.cumulative().merge(span);
            if (history.compareAndSet(h, new History(List.copyOf(windows), cumulative))) {
                return;
            }
        }
    }

    /**
     * Builds an {@link InMemoryMonitor}. Not thread-safe.
     *
     * <pre>{@code
     * InMemoryMonitor m = InMemoryMonitor.builder(schema)
     *         .window(Duration.ofMinutes(5)).keepWindows(288).clock(Clock.systemUTC()).build();
     * }</pre>
     */
    public static final class Builder {
        private final FeatureSchema schema;
        private Duration window = Duration.ofMinutes(1);
        private int keepWindows = 60;
        private InstantSource clock = InstantSource.system();
        private SketchLayout latencyLayout = SketchLayout.latencyNanos();
        private SketchLayout valueLayout = DEFAULT_VALUE_LAYOUT;
        private int maxNewCategories = 100;
        private ScheduledExecutorService scheduler;
        private List<String> classes = List.of();
        private OutcomeWindows.Kind kind;
        private double threshold = ClassificationMetrics.DEFAULT_THRESHOLD;
        private int aucBins = ClassificationMetrics.DEFAULT_BINS;
        private int pendingEntries = DEFAULT_PENDING_OUTCOMES;
        private Duration outcomeTtl = DEFAULT_OUTCOME_TTL;
        private boolean pendingSet;
        private WindowDriftDetector driftDetector;

        private Builder(FeatureSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
        }

        /**
         * @param length the window length, whole milliseconds, at least 1 ms
         * @return this
         */
        public Builder window(Duration length) {
            Objects.requireNonNull(length, "window");
            if (length.toMillis() < 1 || !length.equals(Duration.ofMillis(length.toMillis()))) {
                throw new IllegalArgumentException("window must be a whole number of milliseconds >= 1 ms, was " + length);
            }
            this.window = length;
            return this;
        }

        /**
         * @param k how many closed windows to keep, at least 1
         * @return this
         */
        public Builder keepWindows(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("keepWindows must be >= 1, was " + k);
            }
            this.keepWindows = k;
            return this;
        }

        /**
         * @param source the clock; the hot path calls {@link InstantSource#millis()}, which the system
         *     clock (and any source that overrides it) answers without allocating
         * @return this
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * @param layout the buckets of the latency sketch, in nanoseconds
         * @return this
         */
        public Builder latencyLayout(SketchLayout layout) {
            this.latencyLayout = Objects.requireNonNull(layout, "latencyLayout");
            return this;
        }

        /**
         * @param layout the buckets of the score and numeric feature sketches (per sign)
         * @return this
         */
        public Builder valueLayout(SketchLayout layout) {
            this.valueLayout = Objects.requireNonNull(layout, "valueLayout");
            return this;
        }

        /**
         * @param bound how many category names not known in advance are counted by name per feature
         *     (string variant of recording), 0 to 10,000; further new names are counted as unseen only
         * @return this
         */
        public Builder maxNewCategories(int bound) {
            if (bound < 0 || bound > 10_000) {
                throw new IllegalArgumentException("maxNewCategories must be in [0, 10000], was " + bound);
            }
            this.maxNewCategories = bound;
            return this;
        }

        /**
         * @param labels the classes {@link InMemoryMonitor#recordClass} counts, in index order, unique
         * @return this
         */
        public Builder classes(String... labels) {
            List<String> list = List.of(labels);
            if (new HashSet<>(list).size() != list.size()) {
                throw new IllegalArgumentException("classes must be unique, were " + list);
            }
            this.classes = list;
            return this;
        }

        /**
         * Closes windows from a task on {@code windowCloser} at each window's end, so that recording never
         * reads the clock nor closes a window; see the class description. The monitor does not shut the
         * scheduler down; {@link InMemoryMonitor#close()} stops its task.
         *
         * @param windowCloser a scheduler owned by the caller
         * @return this
         */
        public Builder closeWindowsWith(ScheduledExecutorService windowCloser) {
            this.scheduler = Objects.requireNonNull(windowCloser, "windowCloser");
            return this;
        }

        /**
         * The model is a binary classifier whose score is the probability of the positive class, with
         * threshold {@value ClassificationMetrics#DEFAULT_THRESHOLD} and
         * {@value ClassificationMetrics#DEFAULT_BINS} AUC bins: see {@link #binaryClassifier(double, int)}.
         *
         * @return this
         * @throws IllegalStateException if a model kind was set already
         */
        public Builder binaryClassifier() {
            return binaryClassifier(ClassificationMetrics.DEFAULT_THRESHOLD, ClassificationMetrics.DEFAULT_BINS);
        }

        /**
         * The model is a binary classifier: {@code record} takes the probability of the positive class,
         * and outcomes (0 or 1) joined to it feed each window's {@link ClassificationMetrics} (accuracy,
         * precision, recall, F1, log loss, AUC). A score outside [0, 1] is counted in
         * {@link WindowOutcomes#invalidScores()} and not kept for a join.
         *
         * @param threshold the score at or above which the positive class is predicted, in [0, 1]
         * @param aucBins how many equal-width bins of [0, 1] the AUC is computed from, in [1, 2^20]; 16
         *     bytes each per kept window
         * @return this
         * @throws IllegalArgumentException if the threshold or bins are out of range
         * @throws IllegalStateException if a model kind was set already
         */
        public Builder binaryClassifier(double threshold, int aucBins) {
            ClassificationSnapshot.checkThreshold(threshold);
            ClassificationSnapshot.checkBins(aucBins);
            kind(OutcomeWindows.Kind.BINARY);
            this.threshold = threshold;
            this.aucBins = aucBins;
            return this;
        }

        /**
         * The model is a multi-class classifier over the {@link #classes(String...)} (at least 2):
         * {@link InMemoryMonitor#recordClass} takes the predicted class index, and outcomes (the actual
         * class index) joined to it feed each window's {@link ClassificationMetrics}. A predicted class
         * outside the list is counted in {@link WindowOutcomes#invalidScores()}; scores given to
         * {@code record} are not joined.
         *
         * @return this
         * @throws IllegalStateException if a model kind was set already
         */
        public Builder multiClassClassifier() {
            kind(OutcomeWindows.Kind.MULTI_CLASS);
            return this;
        }

        /**
         * The model is a regression: {@code record} takes the predicted value, and outcomes (the actual
         * value) joined to it feed each window's {@link RegressionMetrics} (MAE, RMSE, MAPE). A
         * non-finite prediction is counted in {@link WindowOutcomes#invalidScores()} and not kept for a
         * join.
         *
         * @return this
         * @throws IllegalStateException if a model kind was set already
         */
        public Builder regression() {
            kind(OutcomeWindows.Kind.REGRESSION);
            return this;
        }

        /**
         * Bounds the store of predictions waiting for their outcome (see {@link PendingOutcomes}):
         * by default {@value InMemoryMonitor#DEFAULT_PENDING_OUTCOMES} entries and one hour. Size it at about twice the
         * predictions made within one TTL; memory is 40 bytes per entry, rounded up to a power of two.
         * Used only with a model kind.
         *
         * @param maxEntries how many predictions may wait, in [1, 2^28]
         * @param ttl how long after its prediction an outcome can still join, whole milliseconds, at
         *     least 1 ms
         * @return this
         * @throws IllegalArgumentException if a bound is out of range
         * @throws IllegalStateException if the bounds were set already
         */
        public Builder pendingOutcomes(int maxEntries, Duration ttl) {
            if (pendingSet) {
                throw new IllegalStateException("pendingOutcomes was set already, to " + pendingEntries + " and "
                        + outcomeTtl);
            }
            Objects.requireNonNull(ttl, "ttl");
            if (maxEntries < 1 || maxEntries > 1 << 28) {
                throw new IllegalArgumentException("maxEntries must be in [1, 2^28], was " + maxEntries);
            }
            if (ttl.toMillis() < 1 || !ttl.equals(Duration.ofMillis(ttl.toMillis())) || ttl.toDays() > 36_500) {
                throw new IllegalArgumentException(
                        "ttl must be a whole number of milliseconds in [1 ms, 36500 days], was " + ttl);
            }
            this.pendingEntries = maxEntries;
            this.outcomeTtl = ttl;
            this.pendingSet = true;
            return this;
        }

        /**
         * Tests each closed window's features against a reference with {@code detector} (for example
         * {@code mlops-drift}'s {@code MonitorDrift.against(datasetReference)}); the result is part of the
         * window, see {@link WindowSnapshot#drift()} and the class description for where the test runs.
         * {@link #build()} asks the detector for its {@link DriftPlan}.
         *
         * @param detector the drift detector
         * @return this
         * @throws IllegalStateException if a drift detector was set already
         */
        public Builder drift(WindowDriftDetector detector) {
            Objects.requireNonNull(detector, "detector");
            if (driftDetector != null) {
                throw new IllegalStateException("drift was set already, to " + driftDetector);
            }
            this.driftDetector = detector;
            return this;
        }

        private void kind(OutcomeWindows.Kind k) {
            if (kind != null) {
                throw new IllegalStateException("the model kind was set already, to " + kind + "; cannot set " + k);
            }
            this.kind = k;
        }

        /**
         * @return the monitor, its first window open at the clock's current time
         * @throws IllegalArgumentException if a multi-class classifier has fewer than 2 classes, or the drift
         *     detector cannot test the schema or plans a feature that is not a numeric feature of it
         */
        public InMemoryMonitor build() {
            if (kind == OutcomeWindows.Kind.MULTI_CLASS && classes.size() < 2) {
                throw new IllegalArgumentException(
                        "multiClassClassifier needs at least 2 classes, set with classes(...); had " + classes);
            }
            return new InMemoryMonitor(this).started();
        }
    }
}
