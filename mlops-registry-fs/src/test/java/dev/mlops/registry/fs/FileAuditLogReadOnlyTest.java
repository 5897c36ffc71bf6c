package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.MerkleTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogReadOnlyTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private static final Clock FIXED = Clock.fixed(T0, ZoneOffset.UTC);

    private static List<AuditRecord> appendAll(FileAuditLog log, int from, int to) {
        List<AuditRecord> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(log.append(FileAuditLogTest.event(i)));
        }
        return out;
    }

    /** Every file in {@code dir}: its bytes and its modification time, by name. */
    private record Snapshot(Map<String, byte[]> bytes, Map<String, FileTime> times) {
        static Snapshot of(Path dir) throws IOException {
            Map<String, byte[]> bytes = new TreeMap<>();
            Map<String, FileTime> times = new TreeMap<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    bytes.put(f.getFileName().toString(), Files.readAllBytes(f));
                    times.put(f.getFileName().toString(), Files.getLastModifiedTime(f));
                }
            }
            return new Snapshot(bytes, times);
        }

        void assertSame(Snapshot after) {
            assertEquals(bytes.keySet(), after.bytes.keySet(), "no file was created or deleted");
            for (String name : bytes.keySet()) {
                assertArrayEquals(bytes.get(name), after.bytes.get(name), name + " is byte for byte as it was");
                assertEquals(times.get(name), after.times.get(name), name + " was not written");
            }
        }
    }

    private static Path lastSegment(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> AuditSegment.isSegment(p.getFileName().toString())).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    // ---------------------------------------------------------------- a copy

    @Test
    void aCopyOnReadOnlyFiles_answersSizeRootProofsQueriesAndVerify_andNothingOnDiskChanges(@TempDir Path root)
            throws Exception {
        Assumptions.assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions are needed to make the files read-only");
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path dir = root.resolve("audit");
        List<AuditRecord> written;
        Checkpoint kept;
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(1024).signer(keys.getPrivate(), "test/audit").build()) {
            written = appendAll(log, 0, 40);
            kept = log.checkpoint();
        }
        Files.delete(dir.resolve("lock")); // a copy made of the segments alone
        Set<PosixFilePermission> readOnly = PosixFilePermissions.fromString("r--r--r--");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.setPosixFilePermissions(f, readOnly);
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Snapshot before = Snapshot.of(dir);
            try (FileAuditLog copy = FileAuditLog.openReadOnly(dir)) {
                assertTrue(copy.isReadOnly());
                assertEquals(40, copy.size());
                assertTrue(copy.tailRepair().isEmpty());
                assertTrue(kept.verify(keys.getPublic()));
                assertEquals(kept.root(), copy.root(kept.size()), "the copy has the root the kept checkpoint signed");
                assertEquals(written, copy.read(0, 100));
                for (int i : new int[] {0, 7, 8, 23, 39}) {
                    assertTrue(MerkleTree.verifyInclusion(written.get(i).leafHash(), i, 40, copy.inclusionProof(i, 40), kept.root()));
                }
                assertTrue(MerkleTree.verifyConsistency(13, 40, copy.root(13), kept.root(), copy.consistencyProof(13, 40)));
                assertEquals(written.stream().filter(r -> r.event().actor().equals("actor-2")).toList(),
                        copy.query(AuditQuery.builder().actor("actor-2").limit(100).build()));
                assertEquals(AuditVerification.ok(40), copy.verify());
                assertEquals(40, copy.checkpoint().size());
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> copy.append(AuditEvent.of("mallory", "model.delete", "fraud-scorer:1")));
                assertTrue(e.getMessage().contains(copy.directory().toString()) && e.getMessage().contains("read-only"),
                        e.getMessage());
                assertEquals(40, copy.refresh());
            }
            before.assertSame(Snapshot.of(dir));
            assertFalse(Files.exists(dir.resolve("lock")), "no lock file was created");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }

    @Test
    void aTornTail_isReported_notCut_andThePrefixIsServed_withEveryByteLeftAsItWas(@TempDir Path dir) throws IOException {
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.builder(dir).clock(FIXED).build()) {
            written = appendAll(log, 0, 5);
        }
        Path segment = lastSegment(dir);
        long length = Files.size(segment);
        byte[] frame = AuditSegment.frame(new AuditRecord(5, T0, FileAuditLogTest.event(5)).canonicalBytes());
        Files.write(segment, Arrays.copyOf(frame, frame.length / 2), StandardOpenOption.APPEND);
        Snapshot before = Snapshot.of(dir);
        try (FileAuditLog copy = FileAuditLog.openReadOnly(dir)) {
            assertEquals(5, copy.size());
            assertEquals(written, copy.read(0, 10));
            FileAuditLog.TailRepair torn = copy.tailRepair().orElseThrow();
            assertEquals(segment.toRealPath(), torn.segment());
            assertEquals(length, torn.offset());
            assertEquals(frame.length / 2, torn.bytes());
            assertTrue(torn.reason().contains("cut off by the end of the file"), torn.reason());
            assertEquals(AuditVerification.ok(5), copy.verify());
            assertEquals(5, copy.refresh(), "the tail is still torn");
            assertTrue(copy.tailRepair().isPresent());
            before.assertSame(Snapshot.of(dir));

            Files.write(segment, Arrays.copyOfRange(frame, frame.length / 2, frame.length), StandardOpenOption.APPEND);
            assertEquals(5, copy.size(), "a read-only log changes only on refresh");
            assertEquals(6, copy.refresh(), "the writer finished the frame it was writing");
            assertTrue(copy.tailRepair().isEmpty());
            assertEquals(AuditVerification.ok(6), copy.verify());
        }
    }

    @Test
    void damageInTheMiddle_refusesAReadOnlyOpen_andChangesNothing(@TempDir Path dir) throws IOException {
        long offset;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            appendAll(log, 0, 5);
            offset = log.frameForTest(2).getValue();
        }
        Path segment = lastSegment(dir);
        FileAuditLogContractTest.flipBit(segment, offset + AuditSegment.FRAME_HEADER_BYTES + FileAuditLogContractTest.ACTOR_IN_PAYLOAD);
        Snapshot before = Snapshot.of(dir);
        IntegrityException e = assertThrows(IntegrityException.class, () -> FileAuditLog.openReadOnly(dir));
        assertTrue(e.getMessage().contains(segment.toRealPath() + ": at byte " + offset), e.getMessage());
        before.assertSame(Snapshot.of(dir));
    }

    @Test
    void aMissingDirectory_isRefused_andNotCreated(@TempDir Path root) {
        Path dir = root.resolve("nothing-here");
        StoreException e = assertThrows(StoreException.class, () -> FileAuditLog.openReadOnly(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(Files.exists(dir));
    }

    @Test
    void builder_refusesASegmentSizeForAReadOnlyLog_andReadOnlyTwice(@TempDir Path dir) {
        assertThrows(IllegalStateException.class, () -> FileAuditLog.builder(dir).readOnly().readOnly());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FileAuditLog.builder(dir).readOnly().segmentBytes(4096).build());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
    }

    // ---------------------------------------------------------------- a live log

    @Test
    void aLiveLog_isReadWhileItsWriterHoldsIt_andAWritersNewRecordsAppearOnRefresh(@TempDir Path dir) {
        try (FileAuditLog writer = FileAuditLog.builder(dir).segmentBytes(1024).build()) {
            appendAll(writer, 0, 5);
            try (FileAuditLog reader = FileAuditLog.openReadOnly(dir)) {
                assertEquals(5, reader.size());
                appendAll(writer, 5, 60);
                assertEquals(5, reader.size(), "the reader's answers hold still until it refreshes");
                assertEquals(writer.root(5), reader.root(5));
                assertEquals(60, reader.refresh());
                assertEquals(writer.root(60), reader.root(60));
                assertEquals(writer.consistencyProof(5, 60), reader.consistencyProof(5, 60));
                assertEquals(writer.read(0, 100), reader.read(0, 100));
                assertEquals(writer.query(AuditQuery.builder().target("model:42").build()),
                        reader.query(AuditQuery.builder().target("model:42").build()));
                assertEquals(AuditVerification.ok(60), reader.verify());
                StoreException second = assertThrows(StoreException.class, () -> FileAuditLog.open(dir));
                assertTrue(second.getMessage().contains("already open in this JVM"), second.getMessage());
            }
            assertEquals(60, writer.append(FileAuditLogTest.event(60)).index(), "closing the reader left the writer alone");
            StoreException second = assertThrows(StoreException.class, () -> FileAuditLog.open(dir));
            assertTrue(second.getMessage().contains("already open in this JVM"), "the writer is still registered");
        }
    }

    @Test
    void aWriterInAnotherProcess_holdsTheLock_whileAReaderHereReadsAndRefreshes(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), Writer.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals("appended 3", out.readLine());
            try (FileAuditLog reader = FileAuditLog.openReadOnly(dir)) {
                assertEquals(3, reader.size());
                in.println("more");
                assertEquals("appended 8", out.readLine());
                assertEquals(8, reader.refresh());
                assertEquals(AuditVerification.ok(8), reader.verify());
                in.println("done");
                assertEquals("closed", out.readLine());
            }
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not finish");
            assertEquals(0, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
    }

    /** Runs in a child JVM: the writer, holding the log's lock while the test reads it. */
    static final class Writer {
        private Writer() {
        }

        public static void main(String[] args) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            try (FileAuditLog log = FileAuditLog.builder(Path.of(args[0])).segmentBytes(1024).build()) {
                appendAll(log, 0, 3);
                System.out.println("appended " + log.size());
                if (!"more".equals(in.readLine())) {
                    throw new UncheckedIOException(new IOException("expected 'more'"));
                }
                appendAll(log, 3, 8);
                System.out.println("appended " + log.size());
                in.readLine();
            }
            System.out.println("closed");
        }
    }

    @Test
    void recordsGoneFromTheFiles_failARefresh_namingTheFile(@TempDir Path dir) throws IOException {
        List<AuditRecord> written;
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            written = appendAll(log, 0, 5);
        }
        Path segment = lastSegment(dir);
        try (FileAuditLog reader = FileAuditLog.openReadOnly(dir)) {
            assertEquals(5, reader.size());
            try (var ch = java.nio.channels.FileChannel.open(segment, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() - 10);
            }
            IntegrityException e = assertThrows(IntegrityException.class, reader::refresh);
            assertTrue(e.getMessage().contains(segment.toRealPath().toString()) && e.getMessage().contains("gone"),
                    e.getMessage());
            assertEquals(5, reader.size(), "the records read before are still served from the index");
            assertEquals(written.subList(0, 4), reader.read(0, 4));
        }
    }
}
