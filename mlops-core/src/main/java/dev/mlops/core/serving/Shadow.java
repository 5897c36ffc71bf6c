package dev.mlops.core.serving;

import dev.mlops.core.lifecycle.ShadowSummary;
import dev.mlops.core.monitor.Monitor;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow traffic: every request is answered by the champion; a sampled share is also answered by the
 * challenger, off the serving path, and its answer is never returned. Both are recorded in their own
 * monitors (when given); agreement is counted as answers arrive, and outcomes that arrive later
 * ({@link #recordOutcome}) give the paired difference of the two on the same inputs, with a confidence
 * interval ({@link #report()}).
 *
 * <pre>{@code
 * Shadow<Scorer, Transaction> shadow = Shadow.builder(champion, challenger, Scorer::score, pool)
 *         .binary(0.5).sample(0.10).monitors(championMonitor, challengerMonitor, Transaction::features, 10, 2)
 *         .build();
 * double score = shadow.serve(requestId, tx);          // the champion's answer, always
 * shadow.recordOutcome(requestId, wasFraud ? 1 : 0);   // later
 * ShadowReport r = shadow.report();                    // agreement, accuracy delta [95% CI]
 * }</pre>
 *
 * <p>Which requests are shadowed depends only on the request id (a hash below the share), so replicas
 * that see the same ids shadow the same requests. The challenger runs on the executor given; when the
 * executor refuses, the request is not shadowed. Thread-safe.
 *
 * @param <M> the model type
 * @param <I> the request's input type
 */
public final class Shadow<M, I> {
    private static final Logger LOG = LoggerFactory.getLogger(Shadow.class);
    private static final double Z95 = 1.959963984540054;

    /**
     * Runs a model on an input.
     *
     * @param <M> the model type
     * @param <I> the input type
     */
    @FunctionalInterface
    public interface Predictor<M, I> {
        /**
         * @param model the model
         * @param input the request
         * @return the model's score
         */
        double predict(M model, I input);
    }

    /**
     * Fills a request's features for the monitors, in their schema's order.
     *
     * @param <I> the input type
     */
    @FunctionalInterface
    public interface Features<I> {
        /**
         * @param input the request
         * @param numeric to fill: numeric features, NaN for missing
         * @param categories to fill: category indexes, -1 for missing
         */
        void fill(I input, double[] numeric, int[] categories);
    }

    private final LiveModel<M> champion;
    private final LiveModel<M> challenger;
    private final Predictor<M, I> predictor;
    private final Executor executor;
    private final long sampleBelow;
    private final boolean binary;
    private final double threshold;
    private final double tolerance;
    private final Optional<Monitor> championMonitor;
    private final Optional<Monitor> challengerMonitor;
    private final Features<I> features;
    private final int numericCount;
    private final int categoryCount;
    private final InstantSource clock;
    private final Instant started;
    private final int maxPending;
    /** Per thread, the arrays features are filled into: monitors do not keep them. */
    private final ThreadLocal<double[]> numericBuffer;
    private final ThreadLocal<int[]> categoryBuffer;

    private final AtomicLong shadowed = new AtomicLong();
    private final AtomicLong agreements = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong droppedPending = new AtomicLong();
    /** Shadowed requests awaiting their outcome: the two answers. */
    private final ConcurrentHashMap<Long, double[]> pending = new ConcurrentHashMap<>();
    private final Object pairs = new Object();
    private long labeled;
    /** Paired differences (challenger minus champion, per labeled request): Welford's mean and M2. */
    private double mean;
    private double m2;

    private Shadow(Builder<M, I> b) {
        this.champion = b.champion;
        this.challenger = b.challenger;
        this.predictor = b.predictor;
        this.executor = b.executor;
        this.sampleBelow = b.share >= 1 ? Long.MAX_VALUE : (long) (b.share * Long.MAX_VALUE);
        this.binary = b.binary;
        this.threshold = b.threshold;
        this.tolerance = b.tolerance;
        this.championMonitor = b.championMonitor;
        this.challengerMonitor = b.challengerMonitor;
        this.features = b.features;
        this.numericCount = b.numericCount;
        this.categoryCount = b.categoryCount;
        this.clock = b.clock;
        this.started = clock.instant();
        this.maxPending = b.maxPending;
        this.numericBuffer = ThreadLocal.withInitial(() -> new double[numericCount]);
        this.categoryBuffer = ThreadLocal.withInitial(() -> new int[categoryCount]);
    }

    /**
     * @param champion answers every request
     * @param challenger answers a sampled share, off the serving path
     * @param predictor how a model answers an input
     * @param executor where the challenger runs
     * @param <M> the model type
     * @param <I> the input type
     * @return a builder: binary at 0.5, 10% sampled, no monitors, system clock
     */
    public static <M, I> Builder<M, I> builder(LiveModel<M> champion, LiveModel<M> challenger,
            Predictor<M, I> predictor, Executor executor) {
        return new Builder<>(champion, challenger, predictor, executor);
    }

    /**
     * Builds a {@link Shadow}. Not thread-safe.
     *
     * @param <M> the model type
     * @param <I> the input type
     */
    public static final class Builder<M, I> {
        private final LiveModel<M> champion;
        private final LiveModel<M> challenger;
        private final Predictor<M, I> predictor;
        private final Executor executor;
        private double share = 0.1;
        private boolean binary = true;
        private double threshold = 0.5;
        private double tolerance;
        private Optional<Monitor> championMonitor = Optional.empty();
        private Optional<Monitor> challengerMonitor = Optional.empty();
        private Features<I> features = (input, numeric, categories) -> { };
        private int numericCount;
        private int categoryCount;
        private InstantSource clock = InstantSource.system();
        private int maxPending = 100_000;

        private Builder(LiveModel<M> champion, LiveModel<M> challenger, Predictor<M, I> predictor, Executor executor) {
            this.champion = Objects.requireNonNull(champion, "champion");
            this.challenger = Objects.requireNonNull(challenger, "challenger");
            this.predictor = Objects.requireNonNull(predictor, "predictor");
            this.executor = Objects.requireNonNull(executor, "executor");
        }

        /**
         * @param fraction the share of requests shadowed, in [0, 1]
         * @return this
         */
        public Builder<M, I> sample(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("sample share must be in [0, 1], was " + fraction);
            }
            this.share = fraction;
            return this;
        }

        /**
         * Scores are probabilities of the positive class: answers agree when both fall on the same side
         * of {@code threshold}; the delta is in accuracy (outcome 1 positive, 0 negative).
         *
         * @param cut the decision threshold
         * @return this
         */
        public Builder<M, I> binary(double cut) {
            if (!Double.isFinite(cut)) {
                throw new IllegalArgumentException("threshold must be finite, was " + cut);
            }
            this.binary = true;
            this.threshold = cut;
            return this;
        }

        /**
         * Scores are estimates: answers agree when within {@code within} of each other; the delta is in
         * mean absolute error (lower is better, so a negative delta favours the challenger).
         *
         * @param within the largest difference counted as agreement, {@code >= 0}
         * @return this
         */
        public Builder<M, I> regression(double within) {
            if (!(within >= 0) || Double.isInfinite(within)) {
                throw new IllegalArgumentException("tolerance must be finite and >= 0, was " + within);
            }
            this.binary = false;
            this.tolerance = within;
            return this;
        }

        /**
         * @param forChampion records every request the champion answers
         * @param forChallenger records every request the challenger answers
         * @param extract fills the features of a request in the monitors' schema order
         * @param numeric how many numeric features the schema has
         * @param categorical how many categorical features
         * @return this
         */
        public Builder<M, I> monitors(Monitor forChampion, Monitor forChallenger, Features<I> extract, int numeric,
                int categorical) {
            this.championMonitor = Optional.of(Objects.requireNonNull(forChampion, "forChampion"));
            this.challengerMonitor = Optional.of(Objects.requireNonNull(forChallenger, "forChallenger"));
            this.features = Objects.requireNonNull(extract, "extract");
            if (numeric < 0 || categorical < 0) {
                throw new IllegalArgumentException("feature counts must be >= 0, were " + numeric + ", " + categorical);
            }
            this.numericCount = numeric;
            this.categoryCount = categorical;
            return this;
        }

        /**
         * @param source the clock for the observed period
         * @return this
         */
        public Builder<M, I> clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * @param max shadowed requests kept while their outcome is awaited; beyond it, new ones are not kept
         * @return this
         */
        public Builder<M, I> maxPending(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxPending must be >= 0, was " + max);
            }
            this.maxPending = max;
            return this;
        }

        /** @return the shadow; its observed period starts now */
        public Shadow<M, I> build() {
            return new Shadow<>(this);
        }
    }

    /** @return whether this request id is in the shadowed share */
    boolean sampled(long requestId) {
        long z = requestId * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 31)) * 0xBF58476D1CE4E5B9L;
        z ^= z >>> 29;
        return (z >>> 1) < sampleBelow;
    }

    /**
     * Answers a request with the champion, and hands it to the challenger too when it is in the sample.
     *
     * @param requestId the request's id, for sampling and for its outcome
     * @param input the request
     * @return the champion's score
     */
    public double serve(long requestId, I input) {
        long start = System.nanoTime();
        double answer = champion.apply(m -> predictor.predict(m, input));
        long latency = System.nanoTime() - start;
        championMonitor.ifPresent(mon -> record(mon, requestId, answer, latency, input));
        if (sampled(requestId)) {
            try {
                executor.execute(() -> challenge(requestId, input, answer));
            } catch (RejectedExecutionException e) {
                LOG.debug("shadow executor refused request {}; not shadowed", requestId);
            }
        }
        return answer;
    }

    private void record(Monitor mon, long id, double score, long latency, I input) {
        double[] numeric = numericBuffer.get();
        int[] categories = categoryBuffer.get();
        features.fill(input, numeric, categories);
        mon.record(id, score, latency, numeric, categories);
    }

    private void challenge(long requestId, I input, double championAnswer) {
        long start = System.nanoTime();
        double answer;
        try {
            answer = challenger.apply(m -> predictor.predict(m, input));
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            challengerMonitor.ifPresent(mon -> mon.recordFailure(requestId, System.nanoTime() - start));
            LOG.debug("challenger failed on request {}", requestId, e);
            return;
        }
        long latency = System.nanoTime() - start;
        challengerMonitor.ifPresent(mon -> record(mon, requestId, answer, latency, input));
        shadowed.incrementAndGet();
        if (agree(championAnswer, answer)) {
            agreements.incrementAndGet();
        }
        if (pending.size() < maxPending) {
            pending.put(requestId, new double[] {championAnswer, answer});
        } else {
            droppedPending.incrementAndGet();
        }
    }

    private boolean agree(double a, double b) {
        return binary ? (a >= threshold) == (b >= threshold) : Math.abs(a - b) <= tolerance;
    }

    /**
     * Joins a request's true outcome: passed to both monitors, and, for a shadowed request, added to the
     * paired comparison (once; a second outcome for the same id is ignored there).
     *
     * @param requestId the request's id
     * @param actual the outcome: 1 or 0 for binary, the true value for regression
     * @return whether the request was shadowed and its answers were still awaited
     */
    public boolean recordOutcome(long requestId, double actual) {
        championMonitor.ifPresent(mon -> mon.recordOutcome(requestId, actual));
        challengerMonitor.ifPresent(mon -> mon.recordOutcome(requestId, actual));
        double[] answers = pending.remove(requestId);
        if (answers == null) {
            return false;
        }
        double d;
        if (binary) {
            boolean positive = actual >= 0.5;
            d = ((answers[1] >= threshold) == positive ? 1 : 0) - ((answers[0] >= threshold) == positive ? 1 : 0);
        } else {
            d = Math.abs(answers[1] - actual) - Math.abs(answers[0] - actual);
        }
        synchronized (pairs) {
            labeled++;
            double delta = d - mean;
            mean += delta / labeled;
            m2 += delta * (d - mean);
        }
        return true;
    }

    /** @return agreement and the paired delta so far */
    public ShadowReport report() {
        long n;
        double mu;
        double var;
        synchronized (pairs) {
            n = labeled;
            mu = n == 0 ? Double.NaN : mean;
            var = n < 2 ? Double.NaN : m2 / (n - 1);
        }
        double half = Z95 * Math.sqrt(var / n);
        return new ShadowReport(Duration.between(started, clock.instant()), shadowed.get(), agreements.get(),
                failures.get(), n, binary ? "accuracy" : "mean absolute error", mu, mu - half, mu + half);
    }

    /** @return the figures a {@code PromotionGate}'s shadow criterion reads */
    public ShadowSummary summary() {
        return new ShadowSummary(Duration.between(started, clock.instant()), shadowed.get(),
                agreements.get());
    }

    /** @return shadowed requests not kept for the paired comparison because {@code maxPending} were awaited */
    public long droppedPending() {
        return droppedPending.get();
    }
}
