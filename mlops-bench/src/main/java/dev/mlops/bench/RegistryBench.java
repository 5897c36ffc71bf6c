package dev.mlops.bench;

import dev.mlops.core.Sha256;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Registering a version in the in-memory store and reading it back verified, against the raw JDK work
 * that cannot be avoided: hash the bytes, copy them in, copy them out and hash them again.
 *
 * <p>The store's path also builds the version's metadata, assigns the number under the model's lock,
 * and deletes the version afterwards (so that artifacts do not pile up; a tombstone stays); the baseline does none of that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RegistryBench {
    @Param({"1024", "1048576"})
    int artifactBytes;

    private byte[] artifact;
    private ModelStore store;
    private final byte[] buffer = new byte[64 * 1024];

    /**
     * Draws the artifact once.
     */
    @Setup(Level.Trial)
    public void setUp() {
        artifact = new byte[artifactBytes];
        new Random(42).nextBytes(artifact);
    }

    /** A fresh store per iteration: tombstones are kept for ever, and must not pile up across iterations. */
    @Setup(Level.Iteration)
    public void newStore() {
        store = new InMemoryModelStore();
    }

    /**
     * Closes the iteration's store.
     */
    @TearDown(Level.Iteration)
    public void tearDown() {
        store.close();
    }

    /**
     * Register, read back verified, delete.
     *
     * @return bytes read
     * @throws IOException never: the in-memory store does no I/O
     */
    @Benchmark
    public long inMemoryStore_registerReadVerifiedDelete() throws IOException {
        ModelVersion v = store.register(NewVersion.builder("bench").artifact(artifact).build());
        long total = 0;
        try (InputStream in = store.open(v.ref())) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        store.delete(v.ref(), "bench");
        return total;
    }

    /**
     * The floor: hash in, copy in, copy out, hash out.
     *
     * @return whether the digests agree
     * @throws IOException never: it reads memory
     */
    @Benchmark
    public boolean rawJdk_digestCopyInCopyOutDigest() throws IOException {
        MessageDigest in = Sha256.newDigest();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (InputStream src = new ByteArrayInputStream(artifact)) {
            for (int n = src.read(buffer); n >= 0; n = src.read(buffer)) {
                in.update(buffer, 0, n);
                copy.write(buffer, 0, n);
            }
        }
        byte[] stored = copy.toByteArray();
        byte[] recorded = in.digest();
        MessageDigest out = Sha256.newDigest();
        try (InputStream src = new ByteArrayInputStream(stored)) {
            for (int n = src.read(buffer); n >= 0; n = src.read(buffer)) {
                out.update(buffer, 0, n);
            }
        }
        return MessageDigest.isEqual(recorded, out.digest());
    }
}
