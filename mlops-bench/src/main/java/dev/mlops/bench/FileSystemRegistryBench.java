package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.VersionQuery;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A {@link FileSystemModelStore} of {@value #MODELS} models × {@value #VERSIONS} versions: opening it,
 * and on a warm store resolving an alias, a page of {@value #PAGE} versions and tag searches; plus the
 * cold figure, the first access to a model in a freshly opened store, which replays that model's
 * {@value #VERSIONS} + 1 change files. Microseconds per call.
 *
 * <p><b>The store</b> is built once, through the public API, into {@code target/bench-fs-100x1000}
 * (relative to the working directory; {@code -Dbench.fs.store=<dir>} for another place), and reused by
 * every later run: a file {@code <dir>.complete} beside it marks it finished. A build that was
 * interrupted is resumed where each model stopped. It takes minutes, as every registration forces three
 * files and their directories; delete the directory and the marker to rebuild, for instance after the
 * store's layout changed. Models are {@code model-000} to {@code model-099}; {@value #BUILD_THREADS}
 * threads register into them round-robin with the system clock, so versions of different models
 * interleave in time. Version {@code v} of model {@code m} has a 16-byte artifact, a tag {@code team}
 * that is {@code risk} or {@code growth} by a fair coin, a tag {@code dataset}, a parameter and a metric
 * {@code auc} in {@code [0.5, 1.0)}, all drawn from a seed of {@code (m, v)}; alias {@value #ALIAS} of
 * model {@code m} points at version {@code 1000 - m}. Each model's log is 1,001 change files.
 *
 * <p><b>Warm</b> benchmarks use one store, opened and read once for every model before measuring.
 * Each call still does what every read of this store does: take the model's lock and probe for the
 * change file after the last one applied (a failed open), so that it never answers from a stale cache.
 * Calls cycle through the models. The baselines hold the very {@link ModelVersion} objects the store
 * returned in the raw JDK structures a user would keep in memory instead: a {@link ConcurrentSkipListMap}
 * per model by number, read through its descending view, and newest-first {@link ConcurrentSkipListSet}s
 * (one of all versions, one per model) walked until the {@code k}-th match of
 * {@link VersionQuery#matches}, the store's own predicate. Setup checks that each baseline gives the
 * store's answer. {@link #jdk_openMissingFile} is the floor of the freshness probe alone.
 *
 * <p><b>Open and cold.</b> {@link #store_open} opens and closes the store (it reads {@code registry.json}
 * and nothing of the models); its baseline reads {@code registry.json}. {@link #store_coldFindByAlias}
 * resolves an alias in a store opened, untimed, just before: it loads the model from its newest snapshot
 * (after change 960) and the 41 change files after it; its baseline reads and parses those same files
 * with Jackson ({@link #jackson_parseSnapshotLoad}). {@link #store_coldFullReplay} is the same first
 * access without snapshots ({@code verify}, which replays every change): it reads, parses, checks and
 * applies the model's 1,001 change files. Its baselines are the floors of any replay of those files:
 * reading their bytes ({@link #jdk_readChangeFiles}), and reading and parsing each into a Jackson tree
 * ({@link #jackson_parseChangeFiles}). The files are in the operating system's page cache (every call
 * reads them); after a reboot, a disk's reads of 1,001 small files come on top.
 *
 * <pre>{@code
 * java -jar mlops-bench/target/benchmarks.jar FileSystemRegistryBench
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FileSystemRegistryBench {
    static final int MODELS = 100;
    static final int VERSIONS = 1000;
    static final String ALIAS = "champion";
    static final int PAGE = 100;
    static final int BUILD_THREADS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private String[] names;
    private ModelRef.ByAlias[] aliases;
    /** Each model's change files, in order. */
    private Path[][] changeFiles;
    /** Each model's newest snapshot, and the change files after it. */
    private Path[][] snapshotLoad;
    private final AtomicInteger turn = new AtomicInteger();

    /**
     * Builds the store, or finishes building it, unless its marker says it is complete.
     *
     * @throws IOException when the marker cannot be read or written
     * @throws InterruptedException when the build is interrupted
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        dir = Path.of(System.getProperty("bench.fs.store", "target/bench-fs-100x1000")).toAbsolutePath();
        names = new String[MODELS];
        aliases = new ModelRef.ByAlias[MODELS];
        changeFiles = new Path[MODELS][];
        snapshotLoad = new Path[MODELS][];
        for (int m = 0; m < MODELS; m++) {
            names[m] = String.format("model-%03d", m);
            aliases[m] = ModelRef.alias(names[m], ALIAS);
        }
        Path marker = dir.resolveSibling(dir.getFileName() + ".complete");
        if (!Files.exists(marker)) {
            build();
            Files.writeString(marker, MODELS + " models x " + VERSIONS + " versions, alias " + ALIAS
                    + ", built by " + FileSystemRegistryBench.class.getName() + " on " + Instant.now() + "\n");
        }
        for (int m = 0; m < MODELS; m++) {
            Path changes = dir.resolve("models").resolve(names[m]).resolve("changes");
            List<Path> files = new ArrayList<>();
            for (long n = 1; Files.exists(changes.resolve(String.format("%020d.json", n))); n++) {
                files.add(changes.resolve(String.format("%020d.json", n)));
            }
            if (files.size() != VERSIONS + 1) {
                throw new IllegalStateException(changes + " holds " + files.size() + " change files, not "
                        + (VERSIONS + 1) + ": delete " + dir + " and " + marker + " to rebuild the store");
            }
            changeFiles[m] = files.toArray(Path[]::new);
            long newest = (VERSIONS + 1) / FileSystemModelStore.DEFAULT_SNAPSHOT_EVERY
                    * FileSystemModelStore.DEFAULT_SNAPSHOT_EVERY;
            Path snapshot = dir.resolve("models").resolve(names[m]).resolve("snapshots")
                    .resolve(String.format("%020d.json", newest));
            if (!Files.exists(snapshot)) {
                throw new IllegalStateException(snapshot + " is missing: the store was built before snapshots;"
                        + " delete " + dir + " and " + marker + " to rebuild it");
            }
            List<Path> load = new ArrayList<>(List.of(snapshot));
            load.addAll(files.subList((int) newest, files.size()));
            snapshotLoad[m] = load.toArray(Path[]::new);
        }
    }

    private void build() throws InterruptedException {
        long start = System.nanoTime();
        AtomicLong registered = new AtomicLong();
        System.out.println("Building " + dir + ": " + MODELS + " models x " + VERSIONS + " versions");
        try (FileSystemModelStore store = FileSystemModelStore.open(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(BUILD_THREADS);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < BUILD_THREADS; t++) {
                    int first = t;
                    work.add(pool.submit(() -> buildShare(store, first, registered, start)));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("building the store in " + dir + " failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        System.out.println("Built " + dir + " in " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    }

    /** Registers the missing versions of models {@code first}, {@code first + BUILD_THREADS}, ..., round-robin. */
    private void buildShare(ModelStore store, int first, AtomicLong registered, long start) {
        List<Integer> mine = new ArrayList<>();
        for (int m = first; m < MODELS; m += BUILD_THREADS) {
            mine.add(m);
        }
        long[] highest = new long[MODELS];
        for (int m : mine) {
            highest[m] = store.model(names[m]).map(ModelSummary::highestAssigned).orElse(0L);
        }
        for (int v = 1; v <= VERSIONS; v++) {
            for (int m : mine) {
                if (highest[m] < v) {
                    store.register(version(m, v));
                    long done = registered.incrementAndGet();
                    if (done % 10_000 == 0) {
                        System.out.println("  " + done + " versions registered in "
                                + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
                    }
                }
            }
        }
        for (int m : mine) {
            if (!store.model(names[m]).orElseThrow().aliases().containsKey(ALIAS)) {
                store.setAlias(names[m], ALIAS, VERSIONS - m, AliasExpect.absent());
            }
        }
    }

    private NewVersion version(int m, int v) {
        SplittableRandom random = new SplittableRandom(((long) m << 32) | v);
        byte[] artifact = new byte[16];
        random.nextBytes(artifact);
        return NewVersion.builder(names[m])
                .artifact(artifact)
                .tag("team", random.nextBoolean() ? "risk" : "growth")
                .tag("dataset", "2025-" + (1 + v % 12))
                .param("learningRate", "0.05")
                .metric("auc", 0.5 + 0.5 * random.nextDouble())
                .build();
    }

    int nextModel() {
        return Math.floorMod(turn.getAndIncrement(), MODELS);
    }

    /**
     * A store opened once and read for every model, and the baselines' structures filled from it.
     */
    @State(Scope.Benchmark)
    public static class Warm {
        FileSystemModelStore store;
        final List<ConcurrentSkipListMap<Long, ModelVersion>> byNumber = new ArrayList<>();
        final List<ConcurrentSkipListSet<ModelVersion>> newestFirstOfModel = new ArrayList<>();
        final ConcurrentSkipListSet<ModelVersion> newestFirst = new ConcurrentSkipListSet<>(ModelStore.NEWEST_FIRST);
        long[] aliasTargets;
        Path[] missingChangeFiles;
        VersionQuery teamAcrossStore;
        VersionQuery[] teamInModel;

        /**
         * Opens the store, reads every model's versions into the baselines, and checks that every
         * baseline agrees with the store for every model.
         *
         * @param b the built store
         */
        @Setup(Level.Trial)
        public void open(FileSystemRegistryBench b) {
            store = FileSystemModelStore.open(b.dir);
            aliasTargets = new long[MODELS];
            missingChangeFiles = new Path[MODELS];
            teamInModel = new VersionQuery[MODELS];
            teamAcrossStore = VersionQuery.builder().tag("team", "risk").limit(10).build();
            for (int m = 0; m < MODELS; m++) {
                String name = b.names[m];
                Page<ModelVersion> all = store.versions(name, PageRequest.first(PageRequest.MAX_SIZE));
                if (all.items().size() != VERSIONS || all.next().isPresent()) {
                    throw new IllegalStateException(name + " does not have exactly " + VERSIONS + " live versions");
                }
                ConcurrentSkipListMap<Long, ModelVersion> numbered = new ConcurrentSkipListMap<>();
                ConcurrentSkipListSet<ModelVersion> newest = new ConcurrentSkipListSet<>(ModelStore.NEWEST_FIRST);
                for (ModelVersion v : all.items()) {
                    numbered.put(v.version(), v);
                    newest.add(v);
                    newestFirst.add(v);
                }
                byNumber.add(numbered);
                newestFirstOfModel.add(newest);
                aliasTargets[m] = store.model(name).orElseThrow().aliases().get(ALIAS);
                Path last = b.changeFiles[m][b.changeFiles[m].length - 1];
                missingChangeFiles[m] = last.resolveSibling(String.format("%020d.json", b.changeFiles[m].length + 1));
                teamInModel[m] = VersionQuery.builder().model(name).tag("team", "risk").limit(10).build();
            }
            agree("search across the store", store.search(teamAcrossStore), walk(newestFirst, teamAcrossStore));
            for (int m = 0; m < MODELS; m++) {
                agree("alias of " + b.names[m], List.of(store.get(b.aliases[m])),
                        List.of(byNumber.get(m).get(aliasTargets[m])));
                agree("first page of " + b.names[m], store.versions(b.names[m], PageRequest.first(PAGE)).items(),
                        firstPage(byNumber.get(m)));
                agree("search in " + b.names[m], store.search(teamInModel[m]),
                        walk(newestFirstOfModel.get(m), teamInModel[m]));
            }
        }

        /** Closes the store. */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /**
     * A store opened just before each invocation, untimed, so that the invocation's first access to a
     * model replays it.
     */
    @State(Scope.Thread)
    public static class Fresh {
        FileSystemModelStore store;

        /**
         * Opens the store.
         *
         * @param b the built store
         */
        @Setup(Level.Invocation)
        public void open(FileSystemRegistryBench b) {
            store = FileSystemModelStore.open(b.dir);
        }

        /** Closes the store. */
        @TearDown(Level.Invocation)
        public void close() {
            store.close();
        }
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

    private static List<ModelVersion> firstPage(NavigableMap<Long, ModelVersion> byNumber) {
        List<ModelVersion> out = new ArrayList<>(PAGE);
        for (ModelVersion v : byNumber.descendingMap().values()) {
            if (out.size() == PAGE) {
                break;
            }
            out.add(v);
        }
        return out;
    }

    private static List<ModelVersion> walk(ConcurrentSkipListSet<ModelVersion> newestFirst, VersionQuery query) {
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

    /**
     * Opens the store and closes it: checks its directory and {@code registry.json}; reads no model.
     *
     * @return the store's directory
     */
    @Benchmark
    public Path store_open() {
        try (FileSystemModelStore store = FileSystemModelStore.open(dir)) {
            return store.directory();
        }
    }

    /**
     * Baseline for {@link #store_open}: reads {@code registry.json}.
     *
     * @return its bytes
     * @throws IOException when it cannot be read
     */
    @Benchmark
    public byte[] jdk_readRegistryFile() throws IOException {
        return Files.readAllBytes(dir.resolve("registry.json"));
    }

    /**
     * Resolves alias {@value #ALIAS} of the next model on the warm store.
     *
     * @param w the warm store
     * @return the version it points at
     */
    @Benchmark
    public ModelVersion store_findByAlias(Warm w) {
        return w.store.find(aliases[nextModel()]).orElseThrow();
    }

    /**
     * Baseline for {@link #store_findByAlias}: the alias's target, looked up in the model's skip list.
     *
     * @param w the baselines' structures
     * @return the version the alias points at
     */
    @Benchmark
    public ModelVersion jdk_findByAlias(Warm w) {
        int m = nextModel();
        return w.byNumber.get(m).get(w.aliasTargets[m]);
    }

    /**
     * The floor of the freshness probe every read of the store makes: opening the next model's change
     * file after its last one, which does not exist.
     *
     * @param w where the missing files would be
     * @return whether the file exists: false
     * @throws IOException when opening fails otherwise
     */
    @Benchmark
    public boolean jdk_openMissingFile(Warm w) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(w.missingChangeFiles[nextModel()]);
        } catch (NoSuchFileException e) {
            return false;
        }
        in.close();
        return true;
    }

    /**
     * The first page of {@value #PAGE} versions of the next model, newest first, on the warm store.
     *
     * @param w the warm store
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> store_firstPage(Warm w) {
        return w.store.versions(names[nextModel()], PageRequest.first(PAGE));
    }

    /**
     * Baseline for {@link #store_firstPage}: the {@value #PAGE} highest entries of the model's skip list.
     *
     * @param w the baselines' structures
     * @return the versions
     */
    @Benchmark
    public List<ModelVersion> jdk_firstPage(Warm w) {
        return firstPage(w.byNumber.get(nextModel()));
    }

    /**
     * The ten newest versions with tag {@code team=risk} (half of all versions have it) across all
     * {@value #MODELS} models, on the warm store: each model is read, under its lock, for its own newest
     * matches, and those are merged.
     *
     * @param w the warm store
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> store_searchTagAcrossStore(Warm w) {
        return w.store.search(w.teamAcrossStore);
    }

    /**
     * Baseline for {@link #store_searchTagAcrossStore}: a newest-first skip list of all versions walked
     * until the tenth match.
     *
     * @param w the baselines' structures
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> jdk_searchTagAcrossStore(Warm w) {
        return walk(w.newestFirst, w.teamAcrossStore);
    }

    /**
     * The ten newest versions of the next model with tag {@code team=risk}, on the warm store.
     *
     * @param w the warm store
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> store_searchTagInModel(Warm w) {
        return w.store.search(w.teamInModel[nextModel()]);
    }

    /**
     * Baseline for {@link #store_searchTagInModel}: the model's newest-first skip list walked until the
     * tenth match.
     *
     * @param w the baselines' structures
     * @return the ten newest matches
     */
    @Benchmark
    public List<ModelVersion> jdk_searchTagInModel(Warm w) {
        int m = nextModel();
        return walk(w.newestFirstOfModel.get(m), w.teamInModel[m]);
    }

    /**
     * The cold figure: resolves alias {@value #ALIAS} of the next model in a store opened just before,
     * which loads that model from its newest snapshot and the change files after it.
     *
     * @param f the freshly opened store
     * @return the version the alias points at
     */
    @Benchmark
    @Warmup(iterations = 10, time = 1)
    @Measurement(iterations = 10, time = 1)
    public ModelVersion store_coldFindByAlias(Fresh f) {
        return f.store.find(aliases[nextModel()]).orElseThrow();
    }

    /**
     * The cold figure without snapshots: {@code verify} of alias {@value #ALIAS} of the next model in a
     * store opened just before, which replays all 1,001 change files (and reads the 16-byte artifact).
     *
     * @param f the freshly opened store
     * @return the version the alias points at
     */
    @Benchmark
    @Warmup(iterations = 10, time = 1)
    @Measurement(iterations = 10, time = 1)
    public ModelVersion store_coldFullReplay(Fresh f) {
        return f.store.verify(aliases[nextModel()]);
    }

    /**
     * Baseline for {@link #store_coldFindByAlias}: reads the next model's newest snapshot and the change
     * files after it, and parses each into a Jackson tree: the floor of that load.
     *
     * @return the number of fields parsed at the top level
     */
    @Benchmark
    @Warmup(iterations = 10, time = 1)
    @Measurement(iterations = 10, time = 1)
    public long jackson_parseSnapshotLoad() {
        long fields = 0;
        for (Path file : snapshotLoad[nextModel()]) {
            try {
                fields += JSON.readTree(read(file)).size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse " + file, e);
            }
        }
        return fields;
    }

    /**
     * Baseline for {@link #store_coldFullReplay}: reads the bytes of the next model's 1,001 change files.
     *
     * @return the bytes read
     */
    @Benchmark
    @Warmup(iterations = 10, time = 1)
    @Measurement(iterations = 10, time = 1)
    public long jdk_readChangeFiles() {
        long total = 0;
        for (Path file : changeFiles[nextModel()]) {
            total += read(file).length;
        }
        return total;
    }

    /**
     * Baseline for {@link #store_coldFullReplay}: reads the next model's 1,001 change files and parses
     * each into a Jackson {@link JsonNode} tree, the floor of a replay that parses JSON.
     *
     * @return the number of fields parsed at the top level
     */
    @Benchmark
    @Warmup(iterations = 10, time = 1)
    @Measurement(iterations = 10, time = 1)
    public long jackson_parseChangeFiles() {
        long fields = 0;
        for (Path file : changeFiles[nextModel()]) {
            try {
                fields += JSON.readTree(read(file)).size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse " + file, e);
            }
        }
        return fields;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
