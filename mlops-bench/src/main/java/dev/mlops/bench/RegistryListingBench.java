package dev.mlops.bench;

import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.VersionQuery;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a large registry: a page of 100 versions and a small search, as the number of versions of a
 * model grows. The target is that both stay flat in the number of versions: a page costs
 * {@code O(log n + page)}, and a search for the newest {@code k} matches stops once it has them.
 *
 * <p>The store holds model {@value #MODEL} with {@code versions} versions and model {@value #OTHER}
 * with one tenth as many, registered interleaved (one of {@value #OTHER} after every ten of
 * {@value #MODEL}) on a fake clock that ticks one millisecond per reading, so creation times are
 * distinct and newest-first order crosses the two models. Every version has a 16-byte artifact, a tag
 * {@code team} that is {@code risk} or {@code growth} by a fair coin, a tag {@code dataset}, a
 * parameter, and a metric {@code auc} drawn uniformly from {@code [0.5, 1.0)}, all with a fixed seed.
 *
 * <p>Baselines, in the same class: the raw JDK structures a user would keep beside their own code for
 * the same answers, holding the very {@link ModelVersion} objects the store returned, so only the
 * data structure and algorithm differ. For pages, a {@link ConcurrentSkipListMap} by version number
 * read through its descending view: the floor for a keyset page. For search, two: a linear scan
 * with a bounded {@link PriorityQueue} top-k (the floor of any search that looks at every version),
 * and a walk of a {@link ConcurrentSkipListSet} kept in {@link ModelStore#NEWEST_FIRST} order that
 * stops at the {@code k}-th match (what flat looks like when matches are common). Both baselines use
 * {@link VersionQuery#matches}, the store's own predicate. Setup checks that every baseline gives the
 * store's answer.
 *
 * <pre>{@code
 * java -jar mlops-bench/target/benchmarks.jar RegistryListingBench -p versions=1000,20000,200000
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RegistryListingBench {
    static final String MODEL = "bench";
    static final String OTHER = "other";
    private static final int PAGE = 100;

    /** Versions of model {@value #MODEL}; {@value #OTHER} gets one tenth as many. */
    @Param({"1000", "20000", "200000"})
    int versions;

    private InMemoryModelStore store;
    private PageRequest middle;
    private VersionQuery newestOfTeam;
    private VersionQuery topAuc;

    private final ConcurrentSkipListMap<Long, ModelVersion> byNumber = new ConcurrentSkipListMap<>();
    private final List<ModelVersion> all = new ArrayList<>();
    private final ConcurrentSkipListSet<ModelVersion> newestFirst = new ConcurrentSkipListSet<>(ModelStore.NEWEST_FIRST);

    /**
     * Registers the versions, takes the page in the middle whose continuation is listed, builds the
     * queries and the baselines' structures, and checks that each baseline agrees with the store.
     */
    @Setup(Level.Trial)
    public void setUp() {
        AtomicLong millis = new AtomicLong(Instant.parse("2025-01-01T00:00:00Z").toEpochMilli());
        InstantSource ticking = () -> Instant.ofEpochMilli(millis.getAndIncrement());
        store = InMemoryModelStore.withClock(ticking);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 1; i <= versions; i++) {
            ModelVersion v = register(MODEL, random);
            byNumber.put(v.version(), v);
            if (i % 10 == 0) {
                register(OTHER, random);
            }
        }

        Page<ModelVersion> half = store.versions(MODEL,
                PageRequest.after(PageRequest.tokenAfter(MODEL, versions / 2 + 1), PAGE));
        middle = half.next().orElseThrow(() -> new IllegalStateException("no page after the middle of " + versions));
        newestOfTeam = VersionQuery.builder().tag("team", "risk").limit(1).build();
        topAuc = VersionQuery.builder().metricAbove("auc", 0.9).limit(10).build();

        agree("first page", store_firstPage().items(), jdk_skipListFirstPage());
        agree("middle page", store_middlePage().items(), jdk_skipListMiddlePage());
        agree("newest of team, scan", store_searchNewestOfTeam(), jdk_scanTopKNewestOfTeam());
        agree("newest of team, walk", store_searchNewestOfTeam(), jdk_walkNewestOfTeam());
        agree("top auc, scan", store_searchAucAbove(), jdk_scanTopKAucAbove());
        agree("top auc, walk", store_searchAucAbove(), jdk_walkAucAbove());
        if (store_middlePage().items().size() != PAGE || store_searchAucAbove().size() != 10) {
            throw new IllegalStateException("the middle page or the auc search came back short");
        }
    }

    private ModelVersion register(String model, SplittableRandom random) {
        byte[] artifact = new byte[16];
        random.nextBytes(artifact);
        ModelVersion v = store.register(NewVersion.builder(model)
                .artifact(artifact)
                .tag("team", random.nextBoolean() ? "risk" : "growth")
                .tag("dataset", "2025-" + (1 + all.size() % 12))
                .param("learningRate", "0.05")
                .metric("auc", 0.5 + 0.5 * random.nextDouble())
                .build());
        all.add(v);
        newestFirst.add(v);
        return v;
    }

    private static void agree(String what, List<ModelVersion> store, List<ModelVersion> baseline) {
        if (!store.equals(baseline)) {
            throw new IllegalStateException(what + ": the store and the baseline differ\n  store:    "
                    + refs(store) + "\n  baseline: " + refs(baseline));
        }
    }

    private static List<String> refs(List<ModelVersion> list) {
        List<String> out = new ArrayList<>();
        list.forEach(v -> out.add(v.ref().toString()));
        return out;
    }

    /** Closes the store. */
    @TearDown(Level.Trial)
    public void tearDown() {
        store.close();
    }

    /**
     * The store's first page of 100, newest first.
     *
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> store_firstPage() {
        return store.versions(MODEL, PageRequest.first(PAGE));
    }

    /**
     * The store's page of 100 that follows a page taken at about half the versions, continued by the
     * keyset token that page carried: the cost of paging deep into a listing.
     *
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> store_middlePage() {
        return store.versions(MODEL, middle);
    }

    /**
     * Baseline for {@link #store_firstPage}: the 100 highest entries of a skip list by version number,
     * through its descending view.
     *
     * @return the versions
     */
    @Benchmark
    public List<ModelVersion> jdk_skipListFirstPage() {
        return take(byNumber.descendingMap(), PAGE);
    }

    /**
     * Baseline for {@link #store_middlePage}: the 100 entries below the token's version, through the
     * descending view of a head map.
     *
     * @return the versions
     */
    @Benchmark
    public List<ModelVersion> jdk_skipListMiddlePage() {
        return take(byNumber.headMap(middle.startBelow(MODEL), false).descendingMap(), PAGE);
    }

    private static List<ModelVersion> take(NavigableMap<Long, ModelVersion> view, int n) {
        List<ModelVersion> out = new ArrayList<>(n);
        for (ModelVersion v : view.values()) {
            if (out.size() == n) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    /**
     * The store's newest version, across both models, with tag {@code team=risk}, which half the
     * versions have: {@code limit(1)}.
     *
     * @return the one newest match
     */
    @Benchmark
    public List<ModelVersion> store_searchNewestOfTeam() {
        return store.search(newestOfTeam);
    }

    /**
     * The store's ten newest versions, across both models, with {@code auc > 0.9}, which one in five
     * versions has.
     *
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> store_searchAucAbove() {
        return store.search(topAuc);
    }

    /**
     * Baseline for {@link #store_searchNewestOfTeam}: a scan of every version with a bounded
     * priority queue, the floor for a search that looks at every version.
     *
     * @return the one newest match
     */
    @Benchmark
    public List<ModelVersion> jdk_scanTopKNewestOfTeam() {
        return scanTopK(newestOfTeam);
    }

    /**
     * Baseline for {@link #store_searchAucAbove}: a scan of every version with a bounded priority queue.
     *
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> jdk_scanTopKAucAbove() {
        return scanTopK(topAuc);
    }

    /**
     * Baseline for {@link #store_searchNewestOfTeam}: a newest-first skip list walked until the first
     * match, what a flat search costs when matches are common.
     *
     * @return the one newest match
     */
    @Benchmark
    public List<ModelVersion> jdk_walkNewestOfTeam() {
        return walk(newestOfTeam);
    }

    /**
     * Baseline for {@link #store_searchAucAbove}: a newest-first skip list walked until the tenth match.
     *
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> jdk_walkAucAbove() {
        return walk(topAuc);
    }

    private List<ModelVersion> scanTopK(VersionQuery query) {
        int k = query.limit();
        Comparator<ModelVersion> oldestFirst = ModelStore.NEWEST_FIRST.reversed();
        PriorityQueue<ModelVersion> kept = new PriorityQueue<>(k + 1, oldestFirst);
        for (ModelVersion v : all) {
            if (query.matches(v)) {
                if (kept.size() < k) {
                    kept.add(v);
                } else if (ModelStore.NEWEST_FIRST.compare(v, kept.peek()) < 0) {
                    kept.poll();
                    kept.add(v);
                }
            }
        }
        List<ModelVersion> out = new ArrayList<>(kept);
        Collections.sort(out, ModelStore.NEWEST_FIRST);
        return out;
    }

    private List<ModelVersion> walk(VersionQuery query) {
        int k = query.limit();
        List<ModelVersion> out = new ArrayList<>(k);
        for (ModelVersion v : newestFirst) {
            if (query.matches(v)) {
                out.add(v);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }
}
