package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.MerkleTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    static AuditEvent event(int i) {
        return AuditEvent.of("actor-" + i % 3, "action." + i % 2, "model:" + i).with("i", Integer.toString(i));
    }

    private static List<AuditRecord> appendAll(FileAuditLog log, int from, int to) {
        List<AuditRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(log.append(event(i)));
        }
        return out;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".audit")).sorted().collect(Collectors.toList());
        }
    }

    private static Clock fixed(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    // ---------------------------------------------------------------- reopening and segments

    @Test
    void reopen_keepsEveryRecordTheRootAndTheNumbering_andTimesNeverDecrease(@TempDir Path dir) {
        List<AuditRecord> written;
        Checkpoint before;
        try (FileAuditLog log = FileAuditLog.builder(dir).clock(fixed(T0.plusSeconds(60))).build()) {
            written = appendAll(log, 0, 30);
            before = log.checkpoint();
        }
        try (FileAuditLog log = FileAuditLog.builder(dir).clock(fixed(T0)).build()) {
            assertEquals(30, log.size());
            assertEquals(written, log.read(0, 100));
            assertEquals(before.root(), log.root(30));
            assertTrue(log.tailRepair().isEmpty());
            AuditRecord next = log.append(event(30));
            assertEquals(30, next.index());
            assertEquals(T0.plusSeconds(60), next.at(), "a clock behind the stored records is clamped to the last time");
            Checkpoint after = log.checkpoint();
            assertTrue(MerkleTree.verifyConsistency(30, 31, before.root(), after.root(), log.consistencyProof(30, 31)));
            assertEquals(AuditVerification.ok(31), log.verify());
        }
    }

    @Test
    void appends_spanSegmentsOfTheConfiguredSize_andReadsQueriesAndProofsCrossThem(@TempDir Path dir) throws IOException {
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            written = appendAll(log, 0, 100);
        }
        List<Path> files = segments(dir);
        assertTrue(files.size() >= 10, "100 records of ~120 bytes in 1 KiB segments: " + files);
        long expectedFirst = 0;
        for (Path f : files) {
            assertTrue(Files.size(f) <= 1024, f + " is " + Files.size(f) + " bytes");
            assertEquals(AuditSegment.name(expectedFirst), f.getFileName().toString());
            expectedFirst += countFrames(f);
        }
        assertEquals(100, expectedFirst);
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            assertEquals(written, log.read(0, 1000));
            assertEquals(written.subList(37, 64), log.read(37, 27));
            List<AuditRecord> actor1 = written.stream().filter(r -> r.event().actor().equals("actor-1")).toList();
            assertEquals(actor1, log.query(AuditQuery.builder().actor("actor-1").limit(1000).build()));
            assertEquals(List.of(written.get(77)), log.query(AuditQuery.builder().target("model:77").build()));
            List<byte[]> leaves = written.stream().map(AuditRecord::canonicalBytes).toList();
            assertEquals(MerkleTree.root(leaves), log.root(100));
            for (int i : new int[] {0, 9, 10, 55, 99}) {
                assertTrue(MerkleTree.verifyInclusion(written.get(i).leafHash(), i, 100, log.inclusionProof(i, 100), log.root(100)));
            }
            assertEquals(AuditVerification.ok(100), log.verify());
        }
    }

    private static int countFrames(Path segment) throws IOException {
        byte[] b = Files.readAllBytes(segment);
        int n = 0;
        for (int p = AuditSegment.HEADER_BYTES; p < b.length; p += AuditSegment.FRAME_HEADER_BYTES + ByteBuffer.wrap(b).getInt(p)) {
            n++;
        }
        return n;
    }

    // ---------------------------------------------------------------- torn tails

    @Test
    void halfAFrameAtTheEnd_isCutOnReopen_reported_andAppendsGoOn(@TempDir Path dir) throws IOException {
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            written = appendAll(log, 0, 5);
        }
        Path segment = segments(dir).get(0);
        long length = Files.size(segment);
        byte[] frame = AuditSegment.frame(new AuditRecord(5, T0, event(5)).canonicalBytes());
        Files.write(segment, Arrays.copyOf(frame, frame.length / 2), StandardOpenOption.APPEND);
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(5, log.size());
            assertEquals(written, log.read(0, 10));
            FileAuditLog.TailRepair repair = log.tailRepair().orElseThrow();
            assertEquals(segment, repair.segment());
            assertEquals(length, repair.offset());
            assertEquals(frame.length / 2, repair.bytes());
            assertTrue(repair.reason().contains("cut off by the end of the file"), repair.reason());
            assertEquals(length, Files.size(segment), "the torn bytes are gone from the file");
            assertEquals(5, log.append(event(5)).index());
            assertEquals(AuditVerification.ok(6), log.verify());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertTrue(log.tailRepair().isEmpty());
            assertEquals(6, log.size());
        }
    }

    @Test
    void garbageZerosOrABadChecksumAfterTheLastIntactFrame_areCutOnReopen(@TempDir Path root) throws IOException {
        Random random = new Random(7);
        byte[] garbage = new byte[300];
        random.nextBytes(garbage);
        byte[] badCrc = AuditSegment.frame(new AuditRecord(4, T0, event(4)).canonicalBytes());
        badCrc[badCrc.length - 1] ^= 0x20;
        Map<String, byte[]> tails = Map.of("garbage", garbage, "zeros", new byte[4096], "bad checksum", badCrc,
                "a frame header alone", Arrays.copyOf(badCrc, 8), "three bytes", new byte[] {0, 0, 1});
        for (Map.Entry<String, byte[]> tail : tails.entrySet()) {
            Path dir = root.resolve(tail.getKey().replace(' ', '-'));
            List<AuditRecord> written;
            try (FileAuditLog log = FileAuditLog.open(dir)) {
                written = appendAll(log, 0, 4);
            }
            Path segment = segments(dir).get(0);
            long length = Files.size(segment);
            Files.write(segment, tail.getValue(), StandardOpenOption.APPEND);
            try (FileAuditLog log = FileAuditLog.open(dir)) {
                assertEquals(written, log.read(0, 10), tail.getKey());
                assertEquals(length, log.tailRepair().orElseThrow().offset(), tail.getKey());
                assertEquals(tail.getValue().length, log.tailRepair().orElseThrow().bytes(), tail.getKey());
                assertEquals(AuditVerification.ok(4), log.verify(), tail.getKey());
            }
        }
    }

    // ---------------------------------------------------------------- damage

    @Test
    void aBadChecksumInTheMiddle_refusesToOpen_namingTheFileAndOffset(@TempDir Path dir) throws IOException {
        long offset;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 5);
            offset = log.frameForTest(2).getValue();
        }
        Path segment = segments(dir).get(0);
        FileAuditLogContractTest.flipBit(segment, offset + AuditSegment.FRAME_HEADER_BYTES + FileAuditLogContractTest.ACTOR_IN_PAYLOAD);
        IntegrityException e = assertThrows(IntegrityException.class, () -> FileAuditLog.open(dir));
        assertTrue(e.getMessage().contains(segment.toRealPath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("at byte " + offset + ": the frame fails its CRC32C"), e.getMessage());
        assertTrue(e.getMessage().contains("an intact frame follows"), e.getMessage());
        assertTrue(segments(dir).size() == 1 && Files.size(segment) > offset, "a refused open changes nothing");
        FileAuditLogContractTest.flipBit(segment, offset + AuditSegment.FRAME_HEADER_BYTES + FileAuditLogContractTest.ACTOR_IN_PAYLOAD);
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(AuditVerification.ok(5), log.verify(), "the lock was released by the refused open");
        }
    }

    @Test
    void aBadLengthInTheMiddle_refusesWithInvalidFormat_atThatFramesOffset(@TempDir Path dir) throws IOException {
        long offset;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 5);
            offset = log.frameForTest(1).getValue();
        }
        Path segment = segments(dir).get(0);
        try (var ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, 0x7fff_0000), offset);
        }
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> FileAuditLog.open(dir));
        assertEquals(offset, e.offset());
        assertTrue(e.getMessage().contains(segment.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("frame length 2147418112 is outside"), e.getMessage());
    }

    @Test
    void damageAtTheEndOfASegmentThatIsNotTheLast_refusesToOpen(@TempDir Path dir) throws IOException {
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            appendAll(log, 0, 20);
        }
        Path first = segments(dir).get(0);
        Files.write(first, Arrays.copyOf(Files.readAllBytes(first), (int) Files.size(first) - 1));
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> FileAuditLog.open(dir));
        assertTrue(e.getMessage().contains(first.getFileName().toString()) && e.getMessage().contains("not the last"),
                e.getMessage());
    }

    @Test
    void aMissingSegment_refusesToOpen_sayingRecordsAreMissing(@TempDir Path dir) throws IOException {
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            appendAll(log, 0, 30);
        }
        List<Path> files = segments(dir);
        Files.delete(files.get(1));
        IntegrityException e = assertThrows(IntegrityException.class, () -> FileAuditLog.open(dir));
        assertTrue(e.getMessage().contains(files.get(2).getFileName().toString()) && e.getMessage().contains("records are missing"),
                e.getMessage());
    }

    @Test
    void aNewerLayoutVersion_isRefused_namingIt(@TempDir Path dir) throws IOException {
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 2);
        }
        Path segment = segments(dir).get(0);
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.putInt(8, 2);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 0, 20);
        header.putInt(20, (int) crc.getValue());
        Files.write(segment, bytes);
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> FileAuditLog.open(dir));
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("layout version 2 is not one this library reads (it reads 1)"), e.getMessage());
    }

    /**
     * Every byte of a closed two-segment log, changed in turn: opening refuses, naming the file and the
     * offset of the header or frame that holds the byte, except in the last record, where a changed
     * byte looks like a torn append and is cut (and reported), keeping every record before it.
     */
    @Test
    void everyByteChangedWhileClosed_isRefusedOrCutAsATornTail_neverAccepted(@TempDir Path dir) throws IOException {
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).clock(fixed(T0)).build()) {
            written = appendAll(log, 0, 10);
        }
        List<Path> files = segments(dir);
        assertEquals(2, files.size());
        int refused = 0;
        int cut = 0;
        for (int k = 0; k < files.size(); k++) {
            Path file = files.get(k);
            byte[] original = Files.readAllBytes(file);
            List<Long> starts = frameStarts(original);
            for (int pos = 0; pos < original.length; pos++) {
                long holder = pos < AuditSegment.HEADER_BYTES ? 0 : starts.get(frameAt(starts, pos));
                boolean lastFrame = k == files.size() - 1 && holder == starts.get(starts.size() - 1);
                writeByte(file, pos, (byte) (original[pos] ^ (pos % 2 == 0 ? 0xff : 0x01)));
                try (FileAuditLog log = FileAuditLog.open(dir)) {
                    assertTrue(lastFrame, "byte " + pos + " of " + file.getFileName() + " changed, yet the log opened");
                    assertEquals(holder, log.tailRepair().orElseThrow().offset());
                    assertEquals(written.subList(0, 9), log.read(0, 100));
                    cut++;
                } catch (InvalidFormatException | IntegrityException e) {
                    assertFalse(lastFrame, "byte " + pos + ": " + e.getMessage());
                    assertTrue(e.getMessage().contains(file.getFileName() + ": at byte " + holder + ": "),
                            "byte " + pos + " should be blamed on the header or frame at " + holder + ": " + e.getMessage());
                    refused++;
                }
                Files.write(file, original); // an open that cut the tail shortened the file
            }
        }
        assertTrue(refused > 1000 && cut > 100, refused + " refused, " + cut + " cut");
    }

    /**
     * Every byte of an open two-segment log, changed in turn behind its back: {@code verify()} names the
     * record whose frame holds it, or the segment's first record for a header byte; restored, it passes.
     */
    @Test
    void everyByteChangedWhileOpen_isNamedByVerify(@TempDir Path dir) throws IOException {
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).clock(fixed(T0)).build()) {
            appendAll(log, 0, 10);
            List<Path> files = segments(dir);
            assertEquals(2, files.size());
            for (Path file : files) {
                long first = AuditSegment.firstIndexOf(file.getFileName().toString());
                byte[] original = Files.readAllBytes(file);
                List<Long> starts = frameStarts(original);
                for (int pos = 0; pos < original.length; pos++) {
                    long expected = pos < AuditSegment.HEADER_BYTES ? first : first + frameAt(starts, pos);
                    writeByte(file, pos, (byte) (original[pos] ^ (pos % 2 == 0 ? 0x01 : 0x80)));
                    AuditVerification v = log.verify();
                    assertEquals(OptionalLong.of(expected), v.firstBad(), "byte " + pos + " of " + file.getFileName() + ": " + v);
                    writeByte(file, pos, original[pos]);
                }
                assertEquals(AuditVerification.ok(10), log.verify());
            }
        }
    }

    private static void writeByte(Path file, long pos, byte b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {b}), pos);
        }
    }

    private static List<Long> frameStarts(byte[] segment) {
        List<Long> starts = new ArrayList<>();
        for (int p = AuditSegment.HEADER_BYTES; p < segment.length; p += AuditSegment.FRAME_HEADER_BYTES + ByteBuffer.wrap(segment).getInt(p)) {
            starts.add((long) p);
        }
        return starts;
    }

    /** @return which frame of the segment holds byte {@code pos} (not a header byte) */
    private static int frameAt(List<Long> starts, int pos) {
        int k = 0;
        while (k + 1 < starts.size() && starts.get(k + 1) <= pos) {
            k++;
        }
        return k;
    }

    @Test
    void aRecordRewrittenWithAValidChecksum_failsReadAndVerify_andAnEarlierCheckpointExposesIt(@TempDir Path dir)
            throws IOException {
        Checkpoint published;
        Map.Entry<Path, Long> frame;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 8);
            published = log.checkpoint();
            frame = log.frameForTest(3);
            AuditRecord original = log.get(3);
            AuditEvent e = original.event();
            byte[] forgedFrame = AuditSegment.frame(new AuditRecord(3, original.at(),
                    new AuditEvent("actor-X", e.action(), e.target(), e.outcome(), e.details())).canonicalBytes());
            assertEquals(AuditSegment.frame(original.canonicalBytes()).length, forgedFrame.length);
            try (var ch = FileChannel.open(frame.getKey(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(forgedFrame), frame.getValue());
            }
            IntegrityException thrown = assertThrows(IntegrityException.class, () -> log.get(3));
            assertTrue(thrown.getMessage().contains("record 3 no longer matches the log's Merkle tree"), thrown.getMessage());
            assertEquals(OptionalLong.of(3), log.verify().firstBad());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals("actor-X", log.get(3).event().actor(), "a forgery with a valid checksum opens");
            assertNotEquals(published.root(), log.root(published.size()), "but the published checkpoint no longer matches");
        }
    }

    // ---------------------------------------------------------------- one writer

    @Test
    void aSecondOpenerInThisJvm_isRefused_andTheFirstKeepsItsLock(@TempDir Path dir) throws Exception {
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            log.append(event(0));
            StoreException e = assertThrows(StoreException.class, () -> FileAuditLog.open(dir.resolve(".")));
            assertTrue(e.getMessage().contains("already open in this JVM"), e.getMessage());
            assertEquals(1, log.append(event(1)).index());
            ChildResult child = runChild(dir, "open");
            assertEquals(3, child.exit(), child.output());
            assertTrue(child.output().contains("is open in another process, which holds the lock on"), child.output());
        }
        ChildResult child = runChild(dir, "open");
        assertEquals(0, child.exit(), child.output());
        assertTrue(child.output().contains("opened 2 records"), child.output());
    }

    private record ChildResult(int exit, String output) {
    }

    private static ChildResult runChild(Path dir, String what) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), dir.toString(), what).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
        return new ChildResult(p.exitValue(), output);
    }

    /** Runs in a child JVM: opens the log, says what happened. */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            try (FileAuditLog log = FileAuditLog.open(Path.of(args[0]))) {
                System.out.println("opened " + log.size() + " records");
            } catch (StoreException e) {
                System.out.println("refused: " + e.getMessage());
                System.exit(3);
            }
        }
    }

    // ---------------------------------------------------------------- failures

    private static void assumeDevice(String device) {
        Assumptions.assumeTrue(Files.exists(Path.of(device)) && !System.getProperty("os.name").startsWith("Windows"),
                device + " is needed to make a real write or fsync fail");
    }

    @Test
    void aFailedFsync_putsTheLogInAFailedState_thatRefusesEveryLaterAppend_untilReopened(@TempDir Path dir) {
        assumeDevice("/dev/null");
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            written = appendAll(log, 0, 3);
            Checkpoint before = log.checkpoint();
            log.redirectWritesForTest(Path.of("/dev/null")); // writes succeed there, fsync fails with EINVAL
            StoreException first = assertThrows(StoreException.class, () -> log.append(event(3)));
            assertTrue(first.getMessage().contains("record 3 was written") && first.getMessage().contains("not forced"),
                    first.getMessage());
            assertTrue(first.getCause() instanceof IOException, String.valueOf(first.getCause()));
            StoreException later = assertThrows(StoreException.class, () -> log.append(event(4)));
            assertTrue(later.getMessage().contains("refuses appends since forcing /dev/null to disk failed"), later.getMessage());
            assertTrue(later.getMessage().contains("a retried fsync can report success for writes it lost"), later.getMessage());
            assertEquals(3, log.size());
            assertEquals(written, log.read(0, 10));
            assertEquals(before.root(), log.checkpoint().root());
            assertEquals(AuditVerification.ok(3), log.verify());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(written, log.read(0, 10));
            assertEquals(3, log.append(event(3)).index());
            assertEquals(AuditVerification.ok(4), log.verify());
        }
    }

    @Test
    void aFailedWrite_putsTheLogInAFailedState(@TempDir Path dir) {
        assumeDevice("/dev/full");
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 2);
            log.redirectWritesForTest(Path.of("/dev/full")); // every write fails there with ENOSPC
            StoreException first = assertThrows(StoreException.class, () -> log.append(event(2)));
            assertTrue(first.getMessage().contains("writing record 2 to") && first.getMessage().contains("refuses every later append"),
                    first.getMessage());
            StoreException later = assertThrows(StoreException.class, () -> log.append(event(2)));
            assertTrue(later.getMessage().contains("refuses appends since writing record 2"), later.getMessage());
            assertEquals(2, log.size());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(2, log.size());
            assertTrue(log.tailRepair().isEmpty());
        }
    }

    @Test
    void aFailedFsyncUnderEightAppenders_acknowledgesNothingWrittenAfterTheLastGoodForce(@TempDir Path dir) throws Exception {
        assumeDevice("/dev/null");
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 10);
            log.redirectWritesForTest(Path.of("/dev/null"));
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 5; i++) {
                        try {
                            outcomes.add(log.append(AuditEvent.of("t" + thread, "a", "x")));
                        } catch (MlopsException e) {
                            outcomes.add(e);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertEquals(40, outcomes.size());
            assertTrue(outcomes.stream().allMatch(o -> o instanceof StoreException), outcomes.toString());
            assertEquals(10, log.size());
            assertEquals(AuditVerification.ok(10), log.verify());
        }
    }

    /** Runs {@code threads} appenders of {@code each} appends at once; each outcome is a record or an exception. */
    private static List<Object> appendConcurrently(FileAuditLog log, int threads, int each) throws InterruptedException {
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String actor = String.format(java.util.Locale.ROOT, "t%02d", t);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < each; i++) {
                    try {
                        outcomes.add(log.append(AuditEvent.of(actor, "a", "x")));
                    } catch (MlopsException e) {
                        outcomes.add(e);
                    }
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread t : started) {
            t.join(60_000);
        }
        return outcomes;
    }

    @Test
    void aFailedWriteUnderSixteenAppenders_failsEveryWaiterOfTheBatch_andEveryQueuedAppend(@TempDir Path dir) throws Exception {
        assumeDevice("/dev/full");
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 5);
            log.redirectWritesForTest(Path.of("/dev/full"));
            List<Object> outcomes = appendConcurrently(log, 16, 10);
            assertEquals(160, outcomes.size());
            assertTrue(outcomes.stream().allMatch(o -> o instanceof StoreException), outcomes.toString());
            assertTrue(outcomes.stream().anyMatch(o -> ((StoreException) o).getMessage().contains("so record 5 was not written")),
                    outcomes.toString());
            assertEquals(5, log.size());
            assertEquals(AuditVerification.ok(5), log.verify());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(5, log.size());
            assertTrue(log.tailRepair().isEmpty());
        }
    }

    @Test
    void aNewSegmentFailingMidBatch_acknowledgesExactlyTheRecordsForcedBeforeIt(@TempDir Path dir) throws Exception {
        int frame = AuditSegment.frame(new AuditRecord(0, T0, AuditEvent.of("t00", "a", "x")).canonicalBytes()).length;
        int fit = (1024 - AuditSegment.HEADER_BYTES) / frame;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            // a directory where the next segment's temporary file goes makes creating that segment fail
            Files.createDirectory(dir.resolve(AuditSegment.name(fit) + ".tmp"));
            List<Object> outcomes = appendConcurrently(log, 16, 10);
            assertEquals(160, outcomes.size());
            List<Long> acknowledged = outcomes.stream().filter(o -> o instanceof AuditRecord)
                    .map(o -> ((AuditRecord) o).index()).sorted().collect(Collectors.toList());
            assertEquals(Stream.iterate(0L, i -> i + 1).limit(fit).collect(Collectors.toList()), acknowledged);
            assertTrue(outcomes.stream().allMatch(o -> o instanceof AuditRecord || o instanceof StoreException), outcomes.toString());
            assertEquals(fit, log.size());
            assertEquals(AuditVerification.ok(fit), log.verify());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(fit, log.size());
            assertEquals(1, segments(dir).size());
            assertTrue(log.tailRepair().isEmpty());
        }
    }

    @Test
    void stampedPayloads_areTheRecordsCanonicalBytes() {
        List<AuditEvent> events = List.of(AuditEvent.of("a", "b", ""), event(7),
                AuditEvent.of("zoë 🙂", "model.delete", "fraud-scorer:3").with("k", "v").with("reason", "x".repeat(500)));
        for (AuditEvent e : events) {
            for (AuditRecord r : List.of(new AuditRecord(0, Instant.EPOCH, e), new AuditRecord(4711, T0, e),
                    new AuditRecord(Long.MAX_VALUE, Instant.ofEpochSecond(-1, 999_999_999), e))) {
                byte[] payload = AuditSegment.unstamped(e);
                AuditSegment.stamp(payload, r.index(), r.at());
                assertArrayEquals(r.canonicalBytes(), payload, r.toString());
            }
        }
    }

    // ---------------------------------------------------------------- group commit and interrupts

    @Test
    void eightAppenders_shareForces_andEveryAppendIsAcknowledged(@TempDir Path dir) throws Exception {
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            List<AuditRecord> acknowledged = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        acknowledged.add(log.append(AuditEvent.of("t" + thread, "a", Integer.toString(i))));
                    }
                }));
            }
            long forcesBefore = log.forcesForTest();
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(60_000);
            }
            long forces = log.forcesForTest() - forcesBefore;
            assertEquals(400, acknowledged.size());
            assertEquals(400, log.size());
            assertTrue(forces < 400, "appenders shared forces: " + forces + " for 400 appends");
            assertEquals(AuditVerification.ok(400), log.verify());
        }
    }

    @Test
    void anInterruptedAppender_isAcknowledged_keepsItsInterrupt_andTheLogGoesOn(@TempDir Path dir) throws Exception {
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            List<Object> seen = new CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                Thread.currentThread().interrupt();
                seen.add(log.append(event(0)));
                seen.add(Thread.currentThread().isInterrupted());
            });
            t.start();
            t.join(30_000);
            assertEquals(2, seen.size(), seen.toString());
            assertEquals(0, ((AuditRecord) seen.get(0)).index());
            assertEquals(Boolean.TRUE, seen.get(1));
            assertEquals(1, log.append(event(1)).index());
        }
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(2, log.size());
        }
    }

    // ---------------------------------------------------------------- directory and options

    @Test
    void aDirectoryHoldingOtherFiles_isRefused_andLeftAlone(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        StoreException e = assertThrows(StoreException.class, () -> FileAuditLog.open(dir));
        assertTrue(e.getMessage().contains("is not an audit log directory") && e.getMessage().contains("notes.txt"), e.getMessage());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("notes.txt")), s.toList());
        }
    }

    @Test
    void builderOptions_failFastWhenSetTwiceOrOutOfRange(@TempDir Path dir) throws Exception {
        FileAuditLog.Builder b = FileAuditLog.builder(dir).clock(Clock.systemUTC()).segmentBytes(4096).origin("example.com/a");
        assertThrows(IllegalStateException.class, () -> b.clock(Clock.systemUTC()));
        assertThrows(IllegalStateException.class, () -> b.segmentBytes(8192));
        assertThrows(IllegalStateException.class, () -> b.origin("example.com/b"));
        assertThrows(IllegalArgumentException.class, () -> FileAuditLog.builder(dir).segmentBytes(1023));
        assertThrows(IllegalArgumentException.class, () -> FileAuditLog.builder(dir).segmentBytes((1L << 30) + 1));
        assertThrows(IllegalArgumentException.class, () -> FileAuditLog.builder(dir).origin("has space"));
        var ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> FileAuditLog.builder(dir).signer(ec.getPrivate(), "example.com/a"));
        try (FileAuditLog log = b.build()) {
            assertEquals("example.com/a", log.checkpoint().origin());
            assertEquals(dir.toRealPath(), log.directory());
        }
        Sha256 empty = MerkleTree.emptyRoot();
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            assertEquals(empty, log.root(0));
            assertArrayEquals(AuditSegment.header(0), Arrays.copyOf(Files.readAllBytes(segments(dir).get(0)), 24));
        }
    }
}
