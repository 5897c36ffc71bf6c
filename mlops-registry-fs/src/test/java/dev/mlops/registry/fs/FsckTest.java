package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.GcReport;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code verify}, {@code fsck} and {@code gc} on real directories, damaged the ways crashes and people damage them. */
class FsckTest {
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    private FileSystemModelStore scenarioStore(Path dir) {
        FileSystemModelStore s = FileSystemModelStore.builder(dir).clock(Scenario.clock()).build();
        Scenario.populate(s);
        return s;
    }

    @Test
    void aWholeStore_isClean() {
        try (FileSystemModelStore s = scenarioStore(dirs.create())) {
            FsckReport report = s.fsck();
            assertTrue(report.clean(), report.findings().toString());
            assertEquals(3, report.models());
            assertEquals(2, report.versions(), "fraud:1 and fraud-base:1 are live");
            assertEquals(3, report.objects(), "weights-v1 once, weights-v2, old");
            assertEquals(13, report.journalEntries());
            assertEquals(1, s.verify(ModelRef.alias("fraud", "champion")).version());
        }
    }

    @Test
    void aCorruptArtifact_isQuarantined_andRegisteringTheSameBytesRestoresIt() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = scenarioStore(dir)) {
            ModelVersion v1 = s.get(ModelRef.of("fraud", 1));
            Path object = new Layout(dir.toRealPath()).object(v1.digest());
            object.toFile().setWritable(true);
            Files.write(object, Scenario.utf8("weights-v!"));

            FsckReport report = s.fsck();
            List<FsckReport.Finding> corrupt = report.findings(FsckReport.Kind.CORRUPT_OBJECT);
            assertEquals(1, corrupt.size(), report.findings().toString());
            assertTrue(corrupt.get(0).repaired());
            assertEquals("objects/sha256/" + v1.digest().hex().substring(0, 2) + "/" + v1.digest().hex(),
                    corrupt.get(0).path());
            List<FsckReport.Finding> missing = report.findings(FsckReport.Kind.MISSING_OBJECT);
            assertEquals(1, missing.size(), "fraud:1 and fraud-base:1 share the artifact: " + missing);
            assertTrue(missing.get(0).detail().contains("fraud:1") && missing.get(0).detail().contains("fraud-base:1"),
                    missing.get(0).detail());
            assertTrue(Files.exists(dir.resolve("quarantine").resolve(v1.digest().hex())));

            IntegrityException e = assertThrows(IntegrityException.class, () -> s.open(v1.ref()));
            assertTrue(e.getMessage().contains("quarantine/" + v1.digest().hex()), e.getMessage());

            s.register(NewVersion.builder("other").artifact(Scenario.utf8("weights-v1")).build());
            assertArrayEquals(Scenario.utf8("weights-v1"), s.open(v1.ref()).readAllBytes(), "restored");
            FsckReport after = s.fsck();
            assertTrue(after.clean(), after.findings().toString());
        }
    }

    /** The state a writer leaves when it dies after publishing a change and before journaling it. */
    @Test
    void aChangeWithoutItsJournalEntry_getsOne() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = scenarioStore(dir)) {
            ModelStoreEvent last = s.events(12, 1).get(0);
            Files.delete(dir.resolve("journal").resolve(Layout.numbered(13)));
            try (FileSystemModelStore fresh = FileSystemModelStore.open(dir)) {
                assertEquals(12, fresh.events(0, 100).size());
                FsckReport report = fresh.fsck();
                List<FsckReport.Finding> missing = report.findings(FsckReport.Kind.MISSING_EVENT);
                assertEquals(1, missing.size(), report.findings().toString());
                assertEquals("models/retired/changes/" + Layout.numbered(2), missing.get(0).path());
                assertTrue(missing.get(0).repaired());
                List<ModelStoreEvent> events = fresh.events(0, 100);
                assertEquals(13, events.size());
                assertEquals(last, events.get(12), "the same event, in the free place");
                assertTrue(fresh.fsck().clean(), "repaired once");
            }
        }
    }

    @Test
    void strayFiles_gaps_andOldTemporaryFiles_areReported_andOnlyTemporaryFilesDeleted() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = scenarioStore(dir)) {
            Path stray = dir.resolve("models/fraud/changes/notes.txt");
            Files.writeString(stray, "hello");
            Path beyondGap = dir.resolve("models/fraud-base/changes/" + Layout.numbered(3));
            Files.copy(dir.resolve("models/fraud-base/changes/" + Layout.numbered(1)), beyondGap);
            Path oldTemp = dir.resolve("tmp/artifact-old.tmp");
            Files.writeString(oldTemp, "half");
            Files.setLastModifiedTime(oldTemp, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
            Path youngTemp = dir.resolve("tmp/artifact-young.tmp");
            Files.writeString(youngTemp, "in progress");

            FsckReport report = s.fsck();
            assertEquals(List.of("models/fraud/changes/notes.txt"),
                    report.findings(FsckReport.Kind.STRAY_FILE).stream().map(FsckReport.Finding::path).toList());
            assertEquals(List.of("models/fraud-base/changes/" + Layout.numbered(3)),
                    report.findings(FsckReport.Kind.UNREACHABLE_CHANGE).stream().map(FsckReport.Finding::path).toList());
            assertEquals(List.of("tmp/artifact-old.tmp"), report.sweptTempFiles());
            assertTrue(Files.exists(stray) && Files.exists(beyondGap) && Files.exists(youngTemp));
            assertFalse(Files.exists(oldTemp));
        }
    }

    @Test
    void aDamagedChangeFile_isReportedByName_andTheOtherModelsAreStillChecked() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = scenarioStore(dir)) {
            Path change = dir.resolve("models/fraud/changes/" + Layout.numbered(4));
            byte[] bytes = Files.readAllBytes(change);
            bytes[40] ^= 1;
            Files.write(change, bytes);
            FsckReport report = s.fsck();
            List<FsckReport.Finding> damaged = report.findings(FsckReport.Kind.DAMAGED_CHANGE);
            assertEquals(1, damaged.size(), report.findings().toString());
            assertEquals("models/fraud/changes/" + Layout.numbered(4), damaged.get(0).path());
            assertFalse(damaged.get(0).repaired());
            assertEquals(3, report.models());
            assertEquals(6, report.findings(FsckReport.Kind.UNREACHABLE_CHANGE).size(), "changes 5 to 10 of fraud");
            assertEquals(1, s.verify(ModelRef.of("fraud-base", 1)).version(), "another model verifies");
        }
    }

    @Test
    void gc_dryRunListsExactlyWhatTheRealRunDeletes_andKeepsAliasedRollbackAndLineageVersions() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            for (int i = 1; i <= 8; i++) {
                NewVersion.Builder b = NewVersion.builder("m").artifact(Scenario.utf8("bytes-" + i));
                if (i == 6) {
                    b.lineage(Lineage.builder().parent(ModelRef.of("m", 2)).build());
                }
                s.register(b.build());
            }
            s.register(NewVersion.builder("child").artifact(Scenario.utf8("c"))
                    .lineage(Lineage.builder().parent(ModelRef.of("m", 3)).build()).build());
            s.setAlias("m", "champion", 1, AliasExpect.absent());
            s.setAlias("m", "champion", 4, AliasExpect.current(1)); // 1 stays on the rollback stack
            s.register(NewVersion.builder("m").artifact(Scenario.utf8("bytes-1")).build()); // v9 shares v1's bytes
            Path objects = dir.resolve("objects");
            try (var all = Files.walk(objects)) {
                for (Path p : all.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
                }
            }

            GcReport plan = s.gc(Retention.keepLast(3), true);
            assertEquals(List.of(ModelRef.of("m", 5), ModelRef.of("m", 6)), plan.versions(),
                    "keeps 7, 8, 9 (the last 3), 4 and 1 (alias and rollback), 2 and 3 (lineage parents)");
            assertEquals(2, plan.objects().size(), "bytes-5 and bytes-6: v1's bytes are still used by v9");
            assertEquals(14, plan.bytes());
            assertEquals(9, s.versions("m", dev.mlops.core.registry.PageRequest.first(100)).items().size(),
                    "a dry run deletes nothing");

            GcReport done = s.gc(Retention.keepLast(3), false,
                    dev.mlops.core.registry.ChangeNote.by("nightly-job").because("keep 3"));
            assertEquals(plan.versions(), done.versions());
            assertEquals(plan.objects(), done.objects());
            assertEquals(List.of(5L, 6L), s.tombstones("m").stream().map(t -> t.version()).toList());
            assertEquals(List.of("nightly-job keep 3", "nightly-job keep 3"), s.tombstones("m").stream()
                    .map(t -> t.actor() + " " + t.reason()).toList(), "each tombstone keeps the note given");
            FsckReport after = s.fsck();
            assertTrue(after.clean(), after.findings().toString());
            assertEquals(7, after.objects(), "9 artifact files (v9 shares v1's), 2 collected");
            assertEquals(List.of(ModelRef.of("m", 2)), s.gc(Retention.keepLast(3), true).versions(),
                    "with v6 gone, no live version names v2 as a parent; v3 is still child:1's");
        }
    }

    @Test
    void gc_keepsArtifactsWrittenInTheLastHour() {
        try (FileSystemModelStore s = FileSystemModelStore.open(dirs.create())) {
            ModelVersion v = s.register(NewVersion.builder("m").artifact(Scenario.utf8("x")).build());
            s.register(NewVersion.builder("m").artifact(Scenario.utf8("y")).build());
            s.delete(v.ref(), dev.mlops.core.registry.ChangeNote.NONE);
            GcReport report = s.gc(Retention.keepAll(), false);
            assertTrue(report.versions().isEmpty() && report.objects().isEmpty(), report.summary());
        }
    }
}
