package dev.mlops.bench;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.serving.Lease;
import dev.mlops.core.serving.LiveModel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link LiveModel} adds to a request, and how long an alias move takes to reach serving.
 *
 * <ul>
 *   <li>{@code baseline_atomicReference}: the model read from a plain {@link AtomicReference} and called:
 *       what a service that swaps models by hand pays, with no protection of a model in use;
 *   <li>{@code liveModel_apply}: {@link LiveModel#apply}, the request counted in and out of its version;
 *   <li>{@code liveModel_lease}: the same through a {@link Lease} in try-with-resources, which also tells
 *       which version answered;
 *   <li>the {@code _2threads} variants: two threads requesting at once (ns per request per thread);
 *   <li>{@code swap_setAliasWithLiveModel}: an alias move on an in-memory store that a live model follows
 *       without an executor, so the call returns after the new version is loaded (a 16-byte artifact)
 *       and swapped in; {@code swap_setAliasAlone}: the same move with nobody following. The difference
 *       is the swap latency from alias move to serving.
 * </ul>
 *
 * <pre>
 * java -jar mlops-bench/target/benchmarks.jar LiveModelBench
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LiveModelBench {

    /** A model whose answer depends on its state and the input, so the call cannot be folded away. */
    public static final class Scorer {
        private final double weight;

        Scorer(double weight) {
            this.weight = weight;
        }

        double score(double x) {
            return weight * x + 1.0;
        }
    }

    /** One store, one live model, one plain reference, shared by the threads of a run. */
    @State(Scope.Benchmark)
    public static class Serving {
        ModelStore store;
        LiveModel<Scorer> live;
        AtomicReference<Scorer> plain;
        double x = 0.5;

        /** Registers a version, points the alias at it and follows it. */
        @Setup(Level.Trial)
        public void setUp() {
            store = new InMemoryModelStore();
            store.register(NewVersion.builder("m").artifact("0.25".getBytes(StandardCharsets.UTF_8)).build());
            store.setAlias("m", "champion", 1, AliasExpect.absent());
            live = LiveModel.follow(store, "m", "champion",
                    (version, bytes) -> new Scorer(Double.parseDouble(new String(bytes.readAllBytes(),
                            StandardCharsets.UTF_8))));
            plain = new AtomicReference<>(new Scorer(0.25));
        }

        /** Stops following. */
        @TearDown(Level.Trial)
        public void tearDown() {
            live.close();
        }
    }

    /** Stores with three versions each, one followed by a live model, the alias cycling through them. */
    @State(Scope.Thread)
    public static class Moves {
        ModelStore followed;
        ModelStore alone;
        LiveModel<Scorer> live;
        long next = 2;

        /** Registers three versions in each store and follows one store's alias. */
        @Setup(Level.Trial)
        public void setUp() {
            followed = new InMemoryModelStore();
            alone = new InMemoryModelStore();
            for (ModelStore s : new ModelStore[] {followed, alone}) {
                for (int i = 1; i <= 3; i++) {
                    s.register(NewVersion.builder("m").artifact(("0." + i).getBytes(StandardCharsets.UTF_8)).build());
                }
                s.setAlias("m", "champion", 1, AliasExpect.absent());
            }
            live = LiveModel.follow(followed, "m", "champion",
                    (version, bytes) -> new Scorer(Double.parseDouble(new String(bytes.readAllBytes(),
                            StandardCharsets.UTF_8))));
        }

        /** Stops following. */
        @TearDown(Level.Trial)
        public void tearDown() {
            live.close();
        }

        long advance() {
            long v = next;
            next = next % 3 + 1;
            return v;
        }
    }

    /** @return the answer */
    @Benchmark
    public double baseline_atomicReference(Serving s) {
        return s.plain.get().score(s.x);
    }

    /** @return the answer */
    @Benchmark
    public double liveModel_apply(Serving s) {
        return s.live.apply(m -> m.score(s.x));
    }

    /** @return the answer */
    @Benchmark
    public double liveModel_lease(Serving s) {
        try (Lease<Scorer> lease = s.live.lease()) {
            return lease.model().score(s.x);
        }
    }

    /** @return the answer */
    @Benchmark
    @Threads(2)
    public double baseline_atomicReference_2threads(Serving s) {
        return s.plain.get().score(s.x);
    }

    /** @return the answer */
    @Benchmark
    @Threads(2)
    public double liveModel_apply_2threads(Serving s) {
        return s.live.apply(m -> m.score(s.x));
    }

    /**
     * Each move goes to the version served two moves ago, which is neither served nor kept as the
     * previous one, so every move loads.
     *
     * @return the version served after the move
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long swap_setAliasWithLiveModel(Moves m) {
        m.followed.setAlias("m", "champion", m.advance(), AliasExpect.any());
        return m.live.version().version();
    }

    /** @return the alias's new target */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long swap_setAliasAlone(Moves m) {
        return m.alone.setAlias("m", "champion", m.advance(), AliasExpect.any()).to().getAsLong();
    }
}
