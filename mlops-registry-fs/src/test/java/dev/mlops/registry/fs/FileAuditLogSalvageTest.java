package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.MerkleTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogSalvageTest {
    private static List<AuditRecord> appendAll(FileAuditLog log, int from, int to) {
        List<AuditRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(log.append(FileAuditLogTest.event(i)));
        }
        return out;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> AuditSegment.isSegment(p.getFileName().toString())).sorted().toList();
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                out.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    private static void assertUnchanged(Map<String, byte[]> before, Path dir) throws IOException {
        Map<String, byte[]> after = contents(dir);
        assertEquals(before.keySet(), after.keySet(), "salvage created or deleted nothing in the damaged log");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " is byte for byte as it was"));
    }

    private static void flipActorBit(Path file, long frameOffset) {
        FileAuditLogContractTest.flipBit(file, frameOffset + AuditSegment.FRAME_HEADER_BYTES + FileAuditLogContractTest.ACTOR_IN_PAYLOAD);
    }

    /** The salvaged copy opens as a writer, verifies, holds exactly {@code kept}, and takes appends. */
    private static void assertSoundCopy(Path into, List<AuditRecord> kept) {
        try (FileAuditLog copy = FileAuditLog.open(into)) {
            assertTrue(copy.tailRepair().isEmpty());
            assertEquals(kept.size(), copy.size());
            assertEquals(kept, copy.read(0, kept.size() + 10));
            assertEquals(AuditVerification.ok(kept.size()), copy.verify());
            assertEquals(MerkleTree.root(kept.stream().map(AuditRecord::canonicalBytes).toList()), copy.root(kept.size()));
            assertEquals(kept.size(), copy.append(FileAuditLogTest.event(999)).index(), "appends go on after the prefix");
        }
    }

    @Test
    void damageInTheMiddleOfASegment_isLeftBehind_theRecordsBeforeItAreCopied_andTheOriginalIsUntouched(@TempDir Path root)
            throws IOException {
        Path dir = root.resolve("audit");
        List<AuditRecord> written;
        long offset;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            written = appendAll(log, 0, 8);
            offset = log.frameForTest(3).getValue();
        }
        Path segment = segments(dir).get(0);
        flipActorBit(segment, offset);
        assertThrows(IntegrityException.class, () -> FileAuditLog.open(dir));
        Map<String, byte[]> before = contents(dir);

        AuditSalvageReport r = FileAuditLog.salvage(dir, root.resolve("salvaged"));

        assertUnchanged(before, dir);
        assertEquals(3, r.kept());
        assertFalse(r.complete());
        assertEquals(1, r.dropped().size(), r.dropped().toString());
        AuditSalvageReport.Dropped d = r.dropped().get(0);
        assertEquals(segment.toRealPath(), d.file());
        assertEquals(offset, d.offset());
        assertEquals(Files.size(segment) - offset, d.bytes());
        assertEquals(3, d.firstIndex());
        assertEquals(4, d.intactFrames(), "records 4 to 7 are intact, dropped to keep the log a prefix");
        assertTrue(d.reason().contains("at byte " + offset + ": the frame fails its CRC32C"), d.reason());
        assertTrue(r.summary().contains("dropped from record 3 at byte " + offset), r.summary());
        assertEquals(MerkleTree.root(written.subList(0, 3).stream().map(AuditRecord::canonicalBytes).toList()), r.root());
        assertSoundCopy(r.into(), written.subList(0, 3));
    }

    @Test
    void damageInASegmentThatIsNotTheLast_dropsTheRestOfItAndEveryLaterSegment(@TempDir Path root) throws IOException {
        Path dir = root.resolve("audit");
        List<AuditRecord> written;
        Checkpoint early;
        Map.Entry<Path, Long> frame;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            written = appendAll(log, 0, 12);
            early = log.checkpoint();
            appendAll(log, 12, 60).forEach(written::add);
            frame = log.frameForTest(14);
        }
        List<Path> files = segments(dir);
        assertTrue(files.size() >= 5, files.toString());
        int damaged = files.indexOf(frame.getKey());
        assertTrue(damaged >= 1 && damaged < files.size() - 1, "record 14 lies in a middle segment: " + frame);
        try (FileChannel ch = FileChannel.open(frame.getKey(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), frame.getValue()); // a length out of range
        }
        assertThrows(InvalidFormatException.class, () -> FileAuditLog.open(dir));
        Map<String, byte[]> before = contents(dir);

        AuditSalvageReport r = FileAuditLog.salvage(dir, root.resolve("salvaged"));

        assertUnchanged(before, dir);
        assertEquals(14, r.kept());
        assertEquals(files.size() - damaged, r.dropped().size(), r.dropped().toString());
        AuditSalvageReport.Dropped cut = r.dropped().get(0);
        assertEquals(frame.getKey(), cut.file());
        assertEquals(frame.getValue(), cut.offset());
        assertEquals(14, cut.firstIndex());
        assertTrue(cut.reason().contains("frame length 0 is outside"), cut.reason());
        for (int k = damaged + 1; k < files.size(); k++) {
            AuditSalvageReport.Dropped later = r.dropped().get(k - damaged);
            assertEquals(files.get(k), later.file());
            assertEquals(0, later.offset());
            assertEquals(Files.size(files.get(k)), later.bytes());
            assertEquals(AuditSegment.firstIndexOf(files.get(k).getFileName().toString()), later.firstIndex());
            assertTrue(later.intactFrames() > 0);
            assertTrue(later.reason().contains("after the damage at byte " + frame.getValue() + " of " + frame.getKey()),
                    later.reason());
        }
        List<Path> copied = segments(r.into());
        assertEquals(damaged + 1, copied.size(), "the segments before the damage and the one it is in");
        for (int k = 0; k < damaged; k++) {
            assertArrayEquals(Files.readAllBytes(files.get(k)), Files.readAllBytes(copied.get(k)), "copied byte for byte");
        }
        assertEquals(frame.getValue(), Files.size(copied.get(damaged)), "the damaged segment, up to the damage");
        assertSoundCopy(r.into(), written.subList(0, 14));
        try (FileAuditLog copy = FileAuditLog.openReadOnly(r.into())) {
            assertEquals(early.root(), copy.root(early.size()), "a checkpoint kept before the damage matches the copy");
        }
    }

    @Test
    void aMissingSegment_keepsTheRecordsBeforeTheGap_andReportsTheMissingRange(@TempDir Path root) throws IOException {
        Path dir = root.resolve("audit");
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            written = appendAll(log, 0, 40);
        }
        List<Path> files = segments(dir);
        long gapStart = AuditSegment.firstIndexOf(files.get(1).getFileName().toString());
        long gapEnd = AuditSegment.firstIndexOf(files.get(2).getFileName().toString());
        Files.delete(files.get(1));

        AuditSalvageReport r = FileAuditLog.salvage(dir, root.resolve("salvaged"));

        assertEquals(gapStart, r.kept());
        assertEquals(files.size() - 2, r.dropped().size());
        assertTrue(r.dropped().get(0).reason().contains("records " + gapStart + " to " + (gapEnd - 1) + " are missing"),
                r.dropped().get(0).reason());
        assertSoundCopy(r.into(), written.subList(0, (int) gapStart));
    }

    @Test
    void aDamagedFirstHeader_keepsNothing_andTheCopyOpensEmpty(@TempDir Path root) throws IOException {
        Path dir = root.resolve("audit");
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 3);
        }
        FileAuditLogContractTest.flipBit(segments(dir).get(0), 2);

        AuditSalvageReport r = FileAuditLog.salvage(dir, root.resolve("salvaged"));

        assertEquals(0, r.kept());
        assertEquals(3, r.dropped().get(0).intactFrames());
        assertTrue(r.dropped().get(0).reason().contains("magic"), r.dropped().get(0).reason());
        assertEquals(List.of(), segments(r.into()));
        assertSoundCopy(r.into(), List.of());
    }

    @Test
    void aSoundLogWithATornTail_isCopiedWhole_butTheTail(@TempDir Path root) throws IOException {
        Path dir = root.resolve("audit");
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            written = appendAll(log, 0, 30);
        }
        AuditSalvageReport whole = FileAuditLog.salvage(dir, root.resolve("whole"));
        assertTrue(whole.complete(), whole.summary());
        assertEquals(30, whole.kept());
        List<Path> files = segments(dir);
        List<Path> copied = segments(whole.into());
        assertEquals(files.size(), copied.size());
        for (int k = 0; k < files.size(); k++) {
            assertArrayEquals(Files.readAllBytes(files.get(k)), Files.readAllBytes(copied.get(k)));
        }

        Path last = files.get(files.size() - 1);
        long length = Files.size(last);
        Files.write(last, new byte[] {0, 0, 1}, StandardOpenOption.APPEND);
        AuditSalvageReport torn = FileAuditLog.salvage(dir, root.resolve("torn"));
        assertEquals(30, torn.kept());
        assertEquals(List.of(new AuditSalvageReport.Dropped(last, length, 3, 30, 0, torn.dropped().get(0).reason())),
                torn.dropped());
        assertSoundCopy(torn.into(), written);
    }

    @Test
    void intoMustBeNewOrEmpty_andOutsideTheLog(@TempDir Path root) throws IOException {
        Path dir = root.resolve("audit");
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 2);
        }
        Path busy = Files.createDirectories(root.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "keep me");
        StoreException e = assertThrows(StoreException.class, () -> FileAuditLog.salvage(dir, busy));
        assertTrue(e.getMessage().contains(busy.toString()), e.getMessage());
        assertEquals(List.of("notes.txt"), Arrays.asList(busy.toFile().list()));
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
                () -> FileAuditLog.salvage(dir, dir.resolve("salvaged")));
        assertTrue(inside.getMessage().contains("outside"), inside.getMessage());
        MlopsException missing = assertThrows(StoreException.class,
                () -> FileAuditLog.salvage(root.resolve("nothing"), root.resolve("out")));
        assertTrue(missing.getMessage().contains("nothing"), missing.getMessage());
    }
}
