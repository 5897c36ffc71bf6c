package dev.mlops.bench;

import dev.mlops.core.audit.AuditEvent;
import dev.mlops.registry.fs.FileAuditLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * Durable appends per second to a {@link FileAuditLog} from 1, 4 and 16 threads, against the naive
 * durable log: each append writes its frame (length, CRC32C, the same number of payload bytes) to one
 * file under a lock and calls {@code fsync} before returning, so every append pays a whole
 * {@code fsync}. The file log shares one {@code fsync} among the appends waiting for it (group commit),
 * so its rate grows with the threads while the naive one's cannot. Scores are appends per second, over
 * all threads; the goal is at least 10 times the naive rate at 16 threads.
 *
 * <p>Both write to a new directory under {@code java.io.tmpdir}, deleted when the trial ends; give
 * {@code -Djava.io.tmpdir=<dir>} to measure another disk. The naive baseline syncs with the same call the
 * file log uses ({@code FileDescriptor.sync()}, which is {@code fsync(2)}, as {@code FileChannel.force(true)}).
 *
 * <pre>{@code
 * java -jar mlops-bench/target/benchmarks.jar AuditLogAppendBench
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AuditLogAppendBench {
    private static final AuditEvent EVENT = AuditEvent.of("ci-pipeline", "model.register", "fraud-scorer:42");
    /** About the size of the event's canonical bytes: the naive log writes as much per append. */
    private static final byte[] PAYLOAD = new byte[120];

    private Path dir;
    private FileAuditLog log;
    private RandomAccessFile naive;
    private final Object naiveLock = new Object();

    /**
     * Opens both logs in a new directory.
     *
     * @throws IOException when the directory or the naive file cannot be made
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("mlops-audit-append-bench-");
        log = FileAuditLog.open(dir.resolve("log"));
        naive = new RandomAccessFile(dir.resolve("naive.log").toFile(), "rw");
        java.util.Arrays.fill(PAYLOAD, (byte) 'x');
        byte[] text = "mlops.audit.v2".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, PAYLOAD, 0, text.length);
    }

    /**
     * Closes both logs and deletes the directory.
     *
     * @throws IOException when a file cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        naive.close();
        BenchFiles.deleteTree(dir);
    }

    private long fileLogAppend() {
        return log.append(EVENT).index();
    }

    /** The naive durable append: one frame written and synced under one lock, per append. */
    private long naiveAppend() throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer frame = ByteBuffer.allocate(8 + PAYLOAD.length);
        frame.putInt(PAYLOAD.length);
        crc.update(frame.array(), 0, 4);
        crc.update(PAYLOAD);
        frame.putInt((int) crc.getValue()).put(PAYLOAD);
        synchronized (naiveLock) {
            naive.write(frame.array());
            naive.getFD().sync();
            return naive.length();
        }
    }

    /**
     * @return the record's index
     */
    @Benchmark
    @Threads(1)
    public long fileLog_1thread() {
        return fileLogAppend();
    }

    /**
     * @return the record's index
     */
    @Benchmark
    @Threads(4)
    public long fileLog_4threads() {
        return fileLogAppend();
    }

    /**
     * @return the record's index
     */
    @Benchmark
    @Threads(16)
    public long fileLog_16threads() {
        return fileLogAppend();
    }

    /**
     * @return the file's length
     * @throws IOException when the write or the sync fails
     */
    @Benchmark
    @Threads(1)
    public long naive_1thread() throws IOException {
        return naiveAppend();
    }

    /**
     * @return the file's length
     * @throws IOException when the write or the sync fails
     */
    @Benchmark
    @Threads(4)
    public long naive_4threads() throws IOException {
        return naiveAppend();
    }

    /**
     * @return the file's length
     * @throws IOException when the write or the sync fails
     */
    @Benchmark
    @Threads(16)
    public long naive_16threads() throws IOException {
        return naiveAppend();
    }
}
