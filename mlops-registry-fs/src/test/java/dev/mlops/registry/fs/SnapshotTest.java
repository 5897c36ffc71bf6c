package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.internal.SnapshotCodec;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.NewVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots: a process loads a model from its newest snapshot and the change files after it, answers
 * exactly as a full replay does, ignores a snapshot it cannot trust, and fsck checks every snapshot
 * against the replay.
 */
class SnapshotTest {
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    @AfterProperty
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    private static FileSystemModelStore populated(Path dir, int every) {
        FileSystemModelStore s = FileSystemModelStore.builder(dir).clock(Scenario.clock()).snapshotEvery(every).build();
        Scenario.populate(s);
        return s;
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Copies a store without its snapshots: what a full replay of the change files answers. */
    private Path withoutSnapshots(Path dir) throws IOException {
        Path copy = dirs.create();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                String rel = dir.relativize(p).toString();
                if (rel.contains("snapshots")) {
                    continue;
                }
                Path target = copy.resolve(rel);
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }

    @Test
    void writersKeepTheNewestTwoSnapshots_andAColdStoreAnswersAsTheWriterAndAFullReplay() throws IOException {
        Path dir = dirs.create();
        Scenario.Observed written;
        try (FileSystemModelStore s = populated(dir, 3)) {
            written = Scenario.observe(s);
        }
        assertEquals(List.of(Layout.numbered(6), Layout.numbered(9)), names(dir.resolve("models/fraud/snapshots")),
                "fraud has 10 changes: snapshots after changes 3, 6 and 9, the oldest deleted");
        assertEquals(List.of(), names(dir.resolve("models/fraud-base/snapshots")), "one change: none yet");
        try (FileSystemModelStore cold = FileSystemModelStore.open(dir)) {
            assertEquals(written, Scenario.observe(cold));
            assertTrue(cold.fsck(Duration.ZERO).clean(), "every snapshot matches the replay");
        }
        try (FileSystemModelStore replayed = FileSystemModelStore.open(withoutSnapshots(dir))) {
            assertEquals(written, Scenario.observe(replayed));
        }
    }

    /** The changes a snapshot covers are not read: deleted, the model still answers in full (fsck objects). */
    @Test
    void aColdStoreReadsOnlyTheChangesAfterTheNewestSnapshot() throws IOException {
        Path dir = dirs.create();
        Scenario.Observed written;
        try (FileSystemModelStore s = populated(dir, 4)) {
            written = Scenario.observe(s);
        }
        for (long n = 1; n < 8; n++) {
            Files.delete(dir.resolve("models/fraud/changes/" + Layout.numbered(n)));
        }
        try (FileSystemModelStore cold = FileSystemModelStore.open(dir)) {
            assertEquals(written, Scenario.observe(cold), "loaded from the snapshot after change 8, then 9 and 10");
            assertThrows(ModelNotFoundException.class, () -> cold.verify(ModelRef.alias("fraud", "champion")),
                    "verify replays every change from the first");
            FsckReport report = cold.fsck(Duration.ZERO);
            assertEquals(3, report.findings(FsckReport.Kind.UNREACHABLE_CHANGE).size(), report.findings().toString());
        }
    }

    /** Any byte of a snapshot flipped: the store answers from the change files, fsck reports and deletes it. */
    @Test
    void aDamagedSnapshotIsIgnoredOnRead_andFsckDeletesIt() throws IOException {
        Path dir = dirs.create();
        Scenario.Observed written;
        try (FileSystemModelStore s = populated(dir, 8)) {
            written = Scenario.observe(s);
        }
        Path snapshot = dir.resolve("models/fraud/snapshots/" + Layout.numbered(8));
        byte[] original = Files.readAllBytes(snapshot);
        Random random = new Random(8);
        for (int i = 0; i < original.length; i += 1 + random.nextInt(24)) {
            byte[] bad = original.clone();
            bad[i] ^= (byte) (1 << random.nextInt(8));
            Files.write(snapshot, bad);
            try (FileSystemModelStore cold = FileSystemModelStore.open(dir)) {
                assertEquals(written.versions(), Scenario.observe(cold).versions(), "byte " + i);
                FsckReport report = cold.fsck(Duration.ZERO);
                List<FsckReport.Finding> found = report.findings(FsckReport.Kind.DAMAGED_SNAPSHOT);
                assertEquals(1, found.size(), "byte " + i + ": " + report.findings());
                assertEquals("models/fraud/snapshots/" + Layout.numbered(8), found.get(0).path());
                assertTrue(found.get(0).repaired());
                assertTrue(Files.notExists(snapshot), "deleted");
                assertTrue(cold.fsck(Duration.ZERO).clean());
            }
        }
        Files.write(snapshot, original);
        try (FileSystemModelStore cold = FileSystemModelStore.open(dir)) {
            assertTrue(cold.fsck(Duration.ZERO).clean(), "restored, it matches again");
        }
    }

    /** A well-formed, sealed snapshot that says something else than the change files is found by fsck. */
    @Test
    void aSnapshotThatDiffersFromTheReplay_isReportedByFsck() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = populated(dir, 4)) {
            ModelLedger ledger = new ModelLedger("fraud");
            ModelLedger.State empty = ledger.snapshot();
            Path forged = dir.resolve("models/fraud/snapshots/" + Layout.numbered(8));
            Files.delete(forged);
            Files.write(forged, Seal.seal(SnapshotCodec.write(8, empty)));
            FsckReport report = s.fsck(Duration.ZERO);
            List<FsckReport.Finding> found = report.findings(FsckReport.Kind.DAMAGED_SNAPSHOT);
            assertEquals(1, found.size(), report.findings().toString());
            assertTrue(found.get(0).detail().contains("differs from the replay"), found.get(0).detail());
        }
    }

    /** Random histories, snapshots every 1 to 5 changes: a cold store answers as the writer and a full replay. */
    @Property(tries = 25)
    void coldLoadsEqualTheWriterAndAFullReplay(@ForAll @IntRange(min = 1, max = 5) int every,
            @ForAll @IntRange(min = 1, max = 60) int operations, @ForAll long seed) throws IOException {
        Path dir = dirs.create();
        Random random = new Random(seed);
        Scenario.Observed written;
        try (FileSystemModelStore s = FileSystemModelStore.builder(dir).clock(Scenario.clock()).snapshotEvery(every)
                .build()) {
            for (int i = 0; i < operations; i++) {
                apply(s, random, i);
            }
            written = Scenario.observe(s);
        }
        try (FileSystemModelStore cold = FileSystemModelStore.open(dir)) {
            assertEquals(written, Scenario.observe(cold));
            assertTrue(cold.fsck(Duration.ZERO).clean());
        }
        try (FileSystemModelStore replayed = FileSystemModelStore.open(withoutSnapshots(dir))) {
            assertEquals(written, Scenario.observe(replayed));
        }
    }

    /** One random write to the model "fraud"; a write the rules refuse is skipped. */
    private static void apply(FileSystemModelStore s, Random random, int i) {
        String model = "fraud";
        long highest = s.model(model).map(m -> m.highestAssigned()).orElse(0L);
        long some = highest == 0 ? 1 : 1 + random.nextInt((int) highest);
        String alias = Scenario.ALIASES.get(random.nextInt(2));
        try {
            switch (highest == 0 ? 0 : random.nextInt(8)) {
                case 0, 1, 2 -> s.register(NewVersion.builder(model)
                        .artifact(("w" + random.nextInt(4)).getBytes(StandardCharsets.UTF_8))
                        .metric("auc", random.nextInt(10) / 10.0).tag("i", Integer.toString(i)).build());
                case 3 -> s.setAlias(model, alias, some, AliasExpect.any(), ChangeNote.by("a").because("r" + i));
                case 4 -> s.rollback(model, alias, ChangeNote.by("b"));
                case 5 -> s.annotate(ModelRef.of(model, some), s.get(ModelRef.of(model, some)).revision(),
                        Annotations.builder().putTag("k", "v" + i).build(), ChangeNote.by("c"));
                case 6 -> s.delete(ModelRef.of(model, some), ChangeNote.by("d").because("gone"));
                default -> s.annotateModel(model, s.model(model).orElseThrow().revision(),
                        Annotations.builder().description("d" + i).build(), ChangeNote.NONE);
            }
        } catch (RuntimeException refused) {
            assertTrue(refused instanceof dev.mlops.core.MlopsException
                    || refused instanceof java.util.NoSuchElementException, refused.toString());
        }
    }
}
