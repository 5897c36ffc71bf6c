package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.StoreException;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.security.KeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Artifacts encrypted at rest: AES-256-GCM in chunks, keys by id, any change to the file detected. */
class EncryptionTest {
    private static final SecretKey OLD = key(1);
    private static final SecretKey NEW = key(2);
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    private static SecretKey key(int seed) {
        byte[] bytes = new byte[32];
        new Random(seed).nextBytes(bytes);
        return new SecretKeySpec(bytes, "AES");
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void artifactsAreEncryptedOnDisk_readBackWithTheirKey_andSurviveARotation() throws IOException {
        Path dir = dirs.create();
        byte[] small = bytes(1000, 1);
        byte[] chunked = bytes(3 * ChunkedGcm.CHUNK + 17, 2);
        byte[] exact = bytes(2 * ChunkedGcm.CHUNK, 3);
        ModelVersion a;
        ModelVersion b;
        ModelVersion c;
        ModelVersion empty;
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).encryption(KeyProvider.of("k1", Map.of("k1", OLD)))
                .build()) {
            a = s.register(NewVersion.builder("m").artifact(small).build());
            b = s.register(NewVersion.builder("m").artifact(chunked).build());
            empty = s.register(NewVersion.builder("m").artifact(new byte[0]).build());
        }
        Layout layout = new Layout(dir.toRealPath());
        assertFalse(Files.exists(layout.object(a.digest())), "no plaintext copy");
        byte[] onDisk = Files.readAllBytes(layout.encryptedObject(a.digest()));
        assertTrue(indexOf(onDisk, Arrays.copyOf(small, 16)) < 0, "the plaintext does not appear in the file");
        assertEquals(a.digest(), dev.mlops.core.Sha256.of(small), "the content address is the plaintext's digest");

        KeyProvider rotated = KeyProvider.of("k2", Map.of("k1", OLD, "k2", NEW));
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).encryption(rotated).build()) {
            c = s.register(NewVersion.builder("m").artifact(exact).build());
            assertArrayEquals(small, s.open(a.ref()).readAllBytes(), "written with k1, read after the rotation");
            assertArrayEquals(chunked, s.open(b.ref()).readAllBytes());
            assertArrayEquals(exact, s.open(c.ref()).readAllBytes(), "a whole number of chunks");
            assertArrayEquals(new byte[0], s.open(empty.ref()).readAllBytes());
            assertEquals(c.version(), s.verify(ModelRef.of("m", c.version())).version());
            FsckReport report = s.fsck();
            assertTrue(report.clean(), report.findings().toString());
            assertEquals(4, report.objects());
        }
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).encryption(KeyProvider.of("k2", Map.of("k2", NEW)))
                .build()) {
            IntegrityException e = assertThrows(IntegrityException.class, () -> s.open(a.ref()));
            assertTrue(e.getMessage().contains("key k1"), e.getMessage());
        }
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> s.open(a.ref()));
            assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
            assertEquals(4, s.fsck().findings(FsckReport.Kind.UNVERIFIED_OBJECT).size());
        }
    }

    /** Every byte flipped; chunks dropped, swapped, duplicated; the file cut at every chunk boundary. */
    @Test
    void anyChangeToAnEncryptedFile_isDetected() throws IOException {
        Path dir = dirs.create();
        KeyProvider keys = KeyProvider.of("k1", Map.of("k1", OLD));
        byte[] plain = bytes(3 * ChunkedGcm.CHUNK + 5, 9);
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).encryption(keys).build()) {
            ModelVersion v = s.register(NewVersion.builder("m").artifact(plain).build());
            Path file = new Layout(dir.toRealPath()).encryptedObject(v.digest());
            byte[] original = Files.readAllBytes(file);
            file.toFile().setWritable(true);
            int header = original.length - (3 * (12 + ChunkedGcm.CHUNK + 16) + (12 + 5 + 16));
            int record = 12 + ChunkedGcm.CHUNK + 16;
            Random random = new Random(5);
            for (int i = 0; i < original.length; i += i < header + 64 ? 1 : 1 + random.nextInt(997)) {
                byte[] bad = original.clone();
                bad[i] ^= (byte) (1 << random.nextInt(8));
                assertDetected(s, v, file, bad, "byte " + i);
            }
            byte[] h = Arrays.copyOf(original, header);
            byte[][] chunks = new byte[4][];
            for (int k = 0; k < 4; k++) {
                chunks[k] = Arrays.copyOfRange(original, header + k * record, Math.min(original.length, header + (k + 1) * record));
            }
            assertDetected(s, v, file, concat(h, chunks[0], chunks[2], chunks[1], chunks[3]), "swapped chunks");
            assertDetected(s, v, file, concat(h, chunks[0], chunks[1], chunks[3]), "a dropped chunk");
            assertDetected(s, v, file, concat(h, chunks[0], chunks[0], chunks[1], chunks[2], chunks[3]), "a duplicated chunk");
            for (int k = 0; k < 4; k++) {
                assertDetected(s, v, file, Arrays.copyOf(original, header + k * record), "cut after " + k + " chunks");
            }
            assertDetected(s, v, file, concat(original, new byte[] {0}), "a byte appended");
            Files.write(file, original);
            assertArrayEquals(plain, s.open(v.ref()).readAllBytes(), "restored, it reads");
        }
    }

    @Test
    void keyProviders_checkKeys_andNeverShowThem() {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 0x5a);
        KeyProvider p = KeyProvider.of("prod-2026", Map.of("prod-2026", new SecretKeySpec(raw, "AES")));
        assertFalse(p.toString().contains("5a") || p.toString().contains("WlpaWl"), p.toString());
        assertThrows(IllegalArgumentException.class,
                () -> KeyProvider.of("k", Map.of("k", new SecretKeySpec(new byte[16], "AES"))), "AES-128 refused");
        assertThrows(IllegalArgumentException.class, () -> KeyProvider.of("k/../x", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> KeyProvider.of("a", Map.of("b", NEW)));
        assertThrows(java.util.NoSuchElementException.class, () -> p.key("other"));
    }

    private static void assertDetected(FileSystemModelStore s, ModelVersion v, Path file, byte[] bad, String what)
            throws IOException {
        Files.write(file, bad);
        assertThrows(IntegrityException.class, () -> {
            try (InputStream in = s.open(v.ref())) {
                in.readAllBytes();
            }
        }, what);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
