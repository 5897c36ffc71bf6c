package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.registry.ModelRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Flipping any single byte of any file the store keeps is detected: a JSON file when it is read (its
 * seal), an artifact when it is read, by {@code verify} and by {@code fsck}.
 */
class TamperTest {
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    /** Every byte of every file of the scenario's store, each flipped in turn (its lowest bit, then all eight). */
    @Test
    void flippingAnyByteOfAnyFile_isDetected() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).clock(Scenario.clock()).build()) {
            Scenario.populate(s);
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(dir)) {
            files = all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock")).sorted()
                    .toList();
        }
        assertEquals(1 + 13 + 13 + 3, files.size(), "registry.json, 13 journal entries, 13 change files, 3 artifacts");
        long flips = 0;
        for (Path file : files) {
            String name = dir.relativize(file).toString().replace('\\', '/');
            byte[] original = Files.readAllBytes(file);
            boolean readOnly = !Files.isWritable(file);
            file.toFile().setWritable(true);
            for (int i = 0; i < original.length; i++) {
                for (int mask : i % 16 == 0 ? new int[] {0x01, 0xff} : new int[] {0x01}) {
                    byte[] bad = original.clone();
                    bad[i] ^= (byte) mask;
                    Files.write(file, bad);
                    String problem = detect(dir, name);
                    if (problem == null) {
                        fail(name + ": flipping byte " + i + " with mask " + mask + " went unnoticed");
                    }
                    flips++;
                }
            }
            Files.write(file, original);
            if (readOnly) {
                file.toFile().setWritable(false, false);
            }
        }
        assertTrue(flips > 10_000, "flips tried: " + flips);
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            assertTrue(s.fsck(Duration.ZERO).clean(), "restored, the store is whole");
        }
    }

    /** @return how the change was noticed, or null when it was not */
    private static String detect(Path dir, String name) throws IOException {
        if (name.equals("registry.json")) {
            InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> FileSystemModelStore.open(dir));
            return e.getMessage();
        }
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            if (name.startsWith("models/")) {
                String model = name.split("/")[1];
                InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> s.tombstones(model), name);
                assertTrue(e.getMessage().contains(name), e.getMessage());
                return e.getMessage();
            }
            if (name.startsWith("journal/")) {
                long sequence = Layout.number(name.substring("journal/".length())).orElseThrow();
                InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> s.events(sequence - 1, 1), name);
                return e.getMessage();
            }
            FsckReport report = s.fsck(Duration.ofDays(1));
            List<FsckReport.Finding> corrupt = report.findings(FsckReport.Kind.CORRUPT_OBJECT);
            if (corrupt.size() != 1 || !corrupt.get(0).path().equals(name)) {
                return null;
            }
            String hex = name.substring(name.lastIndexOf('/') + 1);
            Path quarantined = dir.resolve("quarantine").resolve(hex);
            Files.move(quarantined, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return corrupt.get(0).detail();
        }
    }

    /** A store that has read a change file and an artifact is not fooled when they change afterwards. */
    @Test
    void verify_readsFromDisk_notFromWhatTheStoreCached() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).clock(Scenario.clock()).build()) {
            Scenario.populate(s);
            ModelRef champion = ModelRef.alias("fraud", "champion");
            assertEquals(1, s.verify(champion).version());

            Path change = dir.resolve("models/fraud/changes/00000000000000000001.json");
            byte[] original = Files.readAllBytes(change);
            byte[] bad = original.clone();
            bad[original.length / 2] ^= 1;
            Files.write(change, bad);
            assertEquals(1, s.get(champion).version(), "reads answer from what was read before");
            InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> s.verify(champion));
            assertTrue(e.getMessage().contains("00000000000000000001.json"), e.getMessage());
            Files.write(change, original);

            Path artifact = new Layout(dir.toRealPath()).object(s.get(champion).digest());
            byte[] bytes = Files.readAllBytes(artifact);
            artifact.toFile().setWritable(true);
            bytes[bytes.length - 1] ^= 0x20;
            Files.write(artifact, bytes);
            assertThrows(IntegrityException.class, () -> s.verify(champion));
            assertThrows(IntegrityException.class, () -> s.open(champion).readAllBytes(), "and reads fail too");
        }
    }
}
