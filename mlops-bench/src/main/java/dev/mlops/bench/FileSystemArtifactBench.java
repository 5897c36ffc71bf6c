package dev.mlops.bench;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.security.KeyProvider;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
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
 * Registering an artifact in a {@link FileSystemModelStore}, and reading it back verified, at 1 MiB,
 * 64 MiB and 512 MiB, against the raw JDK doing the same unavoidable work on the same disk. The goal is
 * at least 0.8 times the baseline's throughput for large artifacts. Scores are milliseconds per
 * artifact; throughput in MiB/s is {@code size * 1000 / score}, and the ratio of two throughputs is the
 * inverse ratio of their scores.
 *
 * <p><b>Register.</b> The store streams the source file into {@code tmp/} while hashing it, forces the
 * file, publishes it under its digest by hard link and forces the directory, then commits the version:
 * a change file and a journal entry, each written, forced, linked and its directory forced. The
 * baseline, {@link #jdk_copyDigestForce}, copies the same source file with
 * {@code Files.copy(InputStream, Path)} through a {@link DigestInputStream} computing SHA-256 into a new
 * file beside it (the directory that also holds the store), then {@code force()}s that file: the floor
 * of a durable, hashed copy. It
 * neither forces a directory nor writes any metadata; that difference is the store's overhead.
 *
 * <p>Registering identical bytes twice stores them once, so before every invocation, of the store and
 * of the baseline alike, the first 8 bytes of the source file are overwritten with a new counter: every
 * invocation hashes and writes a new artifact. After every invocation the file it wrote (the store's
 * published object, or the baseline's copy) is deleted, untimed, so the disk holds at most the source,
 * the version read by the read benchmarks and one artifact being written: 1.5 GiB at 512 MiB.
 *
 * <p><b>Read.</b> The store opens the version and reads it to the end through its verifying stream
 * (size and SHA-256 checked at the last byte), into a 64 KiB buffer. The baseline,
 * {@link #jdk_readDigest}, reads the same object file through a {@link DigestInputStream} to the end
 * into the same buffer and compares the digest with the recorded one. The file was just written, so
 * both read it from the page cache: the figure is the cost of reading and verifying, not of the disk.
 *
 * <p><b>Encrypted.</b> {@link #store_registerEncrypted} and {@link #store_readVerifiedEncrypted} do the
 * same with a second store opened with {@code Builder.encryption}: AES-256-GCM in 64 KiB chunks
 * (JDK provider, AES-NI where the CPU has it). Their ratio to the plaintext store's figures is the cost
 * of encryption at rest (goal: at least 0.6 times the plaintext throughput).
 *
 * <p>The source file and the store live in one new directory under {@code java.io.tmpdir}, so on one
 * disk; give {@code -Djava.io.tmpdir=<dir>} to measure another one. The directory is deleted when
 * the trial ends.
 *
 * <pre>{@code
 * java -jar mlops-bench/target/benchmarks.jar FileSystemArtifactBench
 * java -jar mlops-bench/target/benchmarks.jar FileSystemArtifactBench -p size=512
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class FileSystemArtifactBench {
    private static final int MIB = 1 << 20;
    private static final String MODEL = "bench";

    /** The artifact's size in MiB. */
    @Param({"1", "64", "512"})
    int size;

    private Path dir;
    private Path source;
    private FileSystemModelStore store;
    private FileSystemModelStore encrypted;
    private ModelVersion readable;
    private ModelVersion readableEncrypted;
    private Path readableObject;
    private final byte[] buffer = new byte[64 * 1024];
    private long stamp;

    /**
     * Writes the random source file, opens a store beside it and registers one version for the read
     * benchmarks.
     *
     * @throws IOException when the files cannot be written
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("mlops-fs-artifact-bench-");
        source = dir.resolve("source.bin");
        SplittableRandom random = new SplittableRandom(42);
        byte[] chunk = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(source, StandardOpenOption.CREATE_NEW)) {
            for (int i = 0; i < size; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        store = FileSystemModelStore.open(dir.resolve("store"));
        byte[] key = new byte[32];
        random.nextBytes(key);
        encrypted = FileSystemModelStore.builder(dir.resolve("encrypted"))
                .encryption(KeyProvider.of("bench", Map.of("bench", new SecretKeySpec(key, "AES")))).build();
        readable = store.register(NewVersion.builder(MODEL).artifact(source).build());
        readableEncrypted = encrypted.register(NewVersion.builder(MODEL).artifact(source).build());
        readableObject = object(readable.digest());
        if (Files.size(readableObject) != (long) size * MIB) {
            throw new IllegalStateException(readableObject + " is not the " + size + " MiB registered");
        }
    }

    /**
     * Closes the store and deletes the directory with everything in it.
     *
     * @throws IOException when a file cannot be deleted
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        encrypted.close();
        BenchFiles.deleteTree(dir);
    }

    /** Where a store keeps an artifact: {@code objects/sha256/<first 2 hex>/<64 hex>}, {@code .enc} when encrypted. */
    static Path object(FileSystemModelStore s, Sha256 digest, String suffix) {
        return s.directory().resolve("objects").resolve("sha256").resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex() + suffix);
    }

    Path object(Sha256 digest) {
        return object(store, digest, "");
    }

    /** Gives the source file new first 8 bytes, so that its digest is one never written before. */
    void restamp() {
        ByteBuffer head = ByteBuffer.allocate(Long.BYTES).putLong(0, ++stamp);
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.write(head, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restamp " + source, e);
        }
    }

    /**
     * One register invocation's state: the source file restamped before it, and the file it wrote
     * deleted after it, neither timed.
     */
    @State(Scope.Thread)
    public static class Written {
        private FileSystemArtifactBench bench;
        Path file;

        /**
         * Restamps the source file.
         *
         * @param b the benchmark's state
         */
        @Setup(Level.Invocation)
        public void restamp(FileSystemArtifactBench b) {
            bench = b;
            file = null;
            b.restamp();
        }

        /**
         * Deletes what the invocation wrote.
         *
         * @throws IOException when it cannot be deleted
         */
        @TearDown(Level.Invocation)
        public void deleteWritten() throws IOException {
            if (file == null) {
                throw new IllegalStateException("the invocation did not say what it wrote in " + bench.dir);
            }
            Files.delete(file);
        }
    }

    /**
     * The store registers the source file as a new version: stream, hash, force, publish, commit.
     *
     * @param w the invocation's state, told which object to delete afterwards
     * @return the new version
     */
    @Benchmark
    public ModelVersion store_register(Written w) {
        ModelVersion v = store.register(NewVersion.builder(MODEL).artifact(source).build());
        w.file = object(v.digest());
        return v;
    }

    /**
     * The encrypting store registers the source file as a new version: stream, hash, encrypt, force,
     * publish, commit.
     *
     * @param w the invocation's state, told which object to delete afterwards
     * @return the new version
     */
    @Benchmark
    public ModelVersion store_registerEncrypted(Written w) {
        ModelVersion v = encrypted.register(NewVersion.builder(MODEL).artifact(source).build());
        w.file = object(encrypted, v.digest(), ".enc");
        return v;
    }

    /**
     * The encrypting store opens the version, decrypts and reads it to the end through its verifying stream.
     *
     * @return the bytes read
     * @throws IOException when the read fails
     */
    @Benchmark
    public long store_readVerifiedEncrypted() throws IOException {
        long total = 0;
        try (InputStream in = encrypted.open(readableEncrypted.ref())) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Baseline for {@link #store_register}: {@code Files.copy} of the source file through a
     * {@link DigestInputStream} computing SHA-256 into a new file in the same directory, then
     * {@code force()} of that file.
     *
     * @param w the invocation's state, told which file to delete afterwards
     * @return the digest
     * @throws IOException when the copy fails
     */
    @Benchmark
    public byte[] jdk_copyDigestForce(Written w) throws IOException {
        Path copy = dir.resolve("copy-" + stamp + ".bin");
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), md)) {
            Files.copy(in, copy);
        }
        w.file = copy;
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return md.digest();
    }

    /**
     * The store opens the version and reads it to the end through its verifying stream.
     *
     * @return the bytes read
     * @throws IOException when the read fails
     */
    @Benchmark
    public long store_readVerified() throws IOException {
        long total = 0;
        try (InputStream in = store.open(readable.ref())) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        return total;
    }

    /**
     * Baseline for {@link #store_readVerified}: the same object file read to the end through a
     * {@link DigestInputStream}, its digest compared with the recorded one.
     *
     * @return the bytes read
     * @throws IOException when the read fails
     */
    @Benchmark
    public long jdk_readDigest() throws IOException {
        MessageDigest md = Sha256.newDigest();
        long total = 0;
        try (InputStream in = new DigestInputStream(Files.newInputStream(readableObject), md)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        if (!MessageDigest.isEqual(md.digest(), readable.digest().bytes())) {
            throw new IntegrityException(readableObject + " does not have the digest recorded for " + readable.ref());
        }
        return total;
    }
}
