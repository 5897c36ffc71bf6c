package dev.mlops.bench;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.MerkleTree;
import dev.mlops.registry.fs.FileAuditLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
 * A {@link FileAuditLog} of {@value #RECORDS} records: {@code verify()} (every frame re-read from disk,
 * every leaf hash, the whole tree and root recomputed), against reading and hashing the segment files
 * whole with the JDK (the floor of any check that reads everything); and inclusion and consistency proofs
 * at that size, against checking one ({@link MerkleTree#verifyInclusion}, {@link MerkleTree#verifyConsistency}).
 * Goals: {@code verify()} under 2 seconds; proofs in microseconds (O(log n) from the tree's levels, no rebuild).
 *
 * <p><b>The log</b> is built once into {@code target/bench-audit-1m} ({@code -Dbench.audit.log=<dir>} for
 * another place) by 64 threads appending durably (group commit), and reused by later runs: a file
 * {@code <dir>.complete} beside it marks it finished. Delete both to rebuild.
 *
 * <pre>{@code
 * java -jar mlops-bench/target/benchmarks.jar AuditLogMillionBench
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AuditLogMillionBench {
    static final int RECORDS = 1_000_000;
    private static final int BUILD_THREADS = 64;

    private FileAuditLog log;
    private Path dir;
    private Sha256 root;
    private final SplittableRandom random = new SplittableRandom(7);
    private AuditRecord someRecord;
    private List<Sha256> someProof;
    private List<Sha256> someConsistency;
    private long someOldSize;
    private Sha256 someOldRoot;

    /**
     * Builds the log if it is not there yet, and opens it.
     *
     * @throws Exception when the build fails
     */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Path.of(System.getProperty("bench.audit.log", "target/bench-audit-1m")).toAbsolutePath();
        Path marker = dir.resolveSibling(dir.getFileName() + ".complete");
        if (!Files.exists(marker)) {
            build(dir);
            Files.writeString(marker, "complete\n");
        }
        log = FileAuditLog.open(dir);
        if (log.size() != RECORDS) {
            throw new IllegalStateException(dir + " holds " + log.size() + " records, not " + RECORDS
                    + "; delete it and " + marker + " to build it again");
        }
        root = log.root(RECORDS);
        someRecord = log.read(123_456, 1).get(0);
        someProof = log.inclusionProof(someRecord.index(), RECORDS);
        someOldSize = 654_321;
        someOldRoot = log.root(someOldSize);
        someConsistency = log.consistencyProof(someOldSize, RECORDS);
    }

    private static void build(Path dir) throws Exception {
        try (FileAuditLog building = FileAuditLog.open(dir)) {
            AtomicLong next = new AtomicLong(building.size());
            ExecutorService pool = Executors.newFixedThreadPool(BUILD_THREADS);
            try {
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < BUILD_THREADS; t++) {
                    tasks.add(pool.submit(() -> {
                        for (long i = next.getAndIncrement(); i < RECORDS; i = next.getAndIncrement()) {
                            building.append(AuditEvent.of("user-" + (i % 50), i % 3 == 0 ? "alias.set" : "model.register",
                                    "model-" + (i % 100) + ":" + (1 + i / 100)));
                        }
                    }));
                }
                for (Future<?> f : tasks) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /** Closes the log; the directory is kept for the next run. */
    @TearDown(Level.Trial)
    public void tearDown() {
        log.close();
    }

    /**
     * Re-reads and checks every record, the tree and the root.
     *
     * @return the number of records checked
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fileLog_verify() {
        AuditVerification v = log.verify();
        if (!v.ok()) {
            throw new IllegalStateException(v.problem());
        }
        return v.checked();
    }

    /**
     * Baseline for {@link #fileLog_verify}: every segment file read whole and hashed with SHA-256.
     *
     * @return the bytes read
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long jdk_readAndHashSegments() {
        MessageDigest md = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".audit")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        md.update(buffer, 0, n);
                        total += n;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        md.digest();
        return total;
    }

    /**
     * @return an inclusion proof of a random record in the whole log
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<Sha256> fileLog_inclusionProof() {
        return log.inclusionProof(random.nextLong(RECORDS), RECORDS);
    }

    /**
     * @return a consistency proof from a random earlier size to the whole log
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<Sha256> fileLog_consistencyProof() {
        return log.consistencyProof(1 + random.nextLong(RECORDS - 1), RECORDS);
    }

    /**
     * Baseline for the proofs: checking an inclusion proof with nothing but hashes.
     *
     * @return whether it holds (always)
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean merkle_verifyInclusion() {
        return MerkleTree.verifyInclusion(someRecord.leafHash(), someRecord.index(), RECORDS, someProof, root);
    }

    /**
     * Baseline for the proofs: checking a consistency proof with nothing but hashes.
     *
     * @return whether it holds (always)
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean merkle_verifyConsistency() {
        return MerkleTree.verifyConsistency(someOldSize, RECORDS, someOldRoot, root, someConsistency);
    }
}
