package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditEvent.Outcome;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.MerkleTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The golden audit log of segment layout version 1, in {@code src/test/resources/audit-log-v1}: twelve
 * records in two segments, with non-ASCII text, an empty target, line breaks in a detail, every outcome,
 * a clock that steps back and a time with nanoseconds. Every later version of this library must keep
 * opening and reading it. Run with {@code -Dmlops.audit.golden.write=true} to write it again, only when
 * the layout's version changes (then keep this one as it is, and add the new version beside it).
 */
class GoldenAuditLogTest {
    private static final Path GOLDEN = Path.of("src/test/resources/audit-log-v1");
    /**
     * The Merkle root of the golden records: it pins every byte of their canonical form. Computed apart from
     * this library by {@code audit-log-v1-root.py}, which reads the segments as their format is documented.
     */
    private static final Sha256 ROOT = Sha256.parse("9deaad4c4dd36532ec8617b16b95bbbe8fc396712681de44234df9b6912f2ecc");
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<Instant> CLOCK = List.of(T0, T0.plusMillis(1500), T0.plusSeconds(3).plusNanos(123_456_789),
            T0.plusSeconds(60), T0.plusSeconds(61), T0.plusSeconds(62), T0.plusSeconds(63),
            T0.plusSeconds(50), T0.plusSeconds(3600), T0.plusSeconds(3601), T0.plusSeconds(86_400), T0.plusSeconds(86_401));
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    static List<AuditEvent> events() {
        List<AuditEvent> out = new ArrayList<>(List.of(
                AuditEvent.of("alice", "model.register", "fraud-scorer:1").with("size", "1024")
                        .with("digest", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
                AuditEvent.of("bob", "alias.set", "fraud-scorer@champion").with("from", "").with("to", "1"),
                AuditEvent.of("mallory", "model.delete", "fraud-scorer:1").withOutcome(Outcome.DENIED),
                AuditEvent.of("zoë ☃ 𝄞", "model.annotate", "").with("reason", "line one\nline two\ttabbed")
                        .with("ключ", "значение"),
                AuditEvent.of("ci-bot", "gate.evaluate", "fraud-scorer:2").withOutcome(Outcome.FAILED)
                        .with("error", "timed out after 30 s")));
        for (int i = 5; i < 12; i++) {
            out.add(AuditEvent.of("svc-" + i, "model.read", "fraud-scorer:" + i));
        }
        return out;
    }

    /** The records as the golden log holds them: each time the clock's, or the one before when it stepped back. */
    static List<AuditRecord> records() {
        List<AuditRecord> out = new ArrayList<>();
        Instant last = Instant.MIN;
        for (int i = 0; i < 12; i++) {
            last = CLOCK.get(i).isBefore(last) ? last : CLOCK.get(i);
            out.add(new AuditRecord(i, last, events().get(i)));
        }
        return out;
    }

    private static void write(Path dir) {
        AtomicInteger call = new AtomicInteger();
        InstantSource clock = () -> CLOCK.get(call.getAndIncrement());
        try (FileAuditLog log = FileAuditLog.builder(dir).clock(clock).segmentBytes(1024).build()) {
            events().forEach(log::append);
        }
    }

    @Test
    void goldenLog_copiedElsewhere_opensReadsAndVerifies_withTheSameRoot() throws IOException {
        Path copy = dirs.create().resolve("audit");
        Files.createDirectories(copy);
        for (Path f : segments(GOLDEN)) {
            Files.copy(f, copy.resolve(f.getFileName().toString()));
        }
        try (FileAuditLog log = FileAuditLog.open(copy)) {
            assertTrue(log.tailRepair().isEmpty());
            assertEquals(records(), log.read(0, 100));
            assertEquals(ROOT, log.root(12));
            assertEquals(MerkleTree.root(records().stream().map(AuditRecord::canonicalBytes).toList()), ROOT);
            assertEquals(AuditVerification.ok(12), log.verify());
            assertEquals(12, log.append(AuditEvent.of("after", "golden", "")).index(), "a golden log goes on growing");
        }
    }

    @Test
    void goldenSegments_startWithTheDocumentedHeader() throws IOException {
        List<Path> files = segments(GOLDEN);
        assertEquals(2, files.size());
        assertEquals("00000000000000000000.audit", files.get(0).getFileName().toString());
        for (Path f : files) {
            long first = AuditSegment.firstIndexOf(f.getFileName().toString());
            byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(f), 24);
            assertEquals("6d6c6f7073617564" + "00000001" + String.format(java.util.Locale.ROOT, "%016x", first),
                    HexFormat.of().formatHex(header, 0, 20), "magic \"mlopsaud\", version 1, first index");
            assertArrayEquals(AuditSegment.header(first), header);
        }
    }

    /**
     * Version 1 as this library writes it, byte for byte: a change here is a change of the format, which
     * needs a new layout version (and the old golden log kept and read).
     */
    @Test
    void theGoldenRecords_writeTheGoldenSegmentsByteForByte() throws IOException {
        Path fresh = dirs.create();
        write(fresh);
        if (Boolean.getBoolean("mlops.audit.golden.write")) {
            TempDirs.delete(GOLDEN);
            Files.createDirectories(GOLDEN);
            for (Path f : segments(fresh)) {
                Files.copy(f, GOLDEN.resolve(f.getFileName().toString()));
            }
        }
        List<Path> expected = segments(GOLDEN);
        List<Path> actual = segments(fresh);
        assertEquals(expected.stream().map(Path::getFileName).toList(), actual.stream().map(Path::getFileName).toList());
        for (int k = 0; k < expected.size(); k++) {
            assertArrayEquals(Files.readAllBytes(expected.get(k)), Files.readAllBytes(actual.get(k)), actual.get(k).toString());
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> AuditSegment.isSegment(p.getFileName().toString())).sorted().toList();
        }
    }
}
