package dev.mlops.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditEvent.Outcome;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.MerkleTree;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link AuditLog} keeps. Extend it and implement {@link #newLog()}; every test then
 * runs against your log:
 *
 * <pre>{@code
 * class MyAuditLogTest extends AuditLogContract {
 *     @Override protected AuditLog newLog() { return new MyAuditLog(...); }
 * }
 * }</pre>
 *
 * Each test gets fresh, empty logs and closes them afterwards. Roots and proofs are checked with
 * {@link MerkleTree}'s static verifiers over the records' canonical bytes, as a reader of a copied log
 * would. Override {@link #newLog(InstantSource)}, {@link #newSignedLog(PrivateKey, String)} and
 * {@link #corruptRecord(long)} to run the tests on time, signatures and tampering too; by default
 * those are skipped.
 */
public abstract class AuditLogContract {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final List<AuditLog> logs = new ArrayList<>();
    private AuditLog log;

    /** For subclasses: one instance per test, as JUnit makes them. */
    protected AuditLogContract() {
    }

    /** @return a new, empty log; called at most once per test */
    protected abstract AuditLog newLog();

    /**
     * @param clock the log's only source of time
     * @return a new, empty log on that clock; the default skips the tests that need one
     */
    protected AuditLog newLog(InstantSource clock) {
        return Assumptions.abort("this log's test offers no way to inject a clock: override newLog(InstantSource)");
    }

    /**
     * @param key an Ed25519 private key
     * @param origin the log's name in its checkpoints
     * @return a new, empty log that signs its checkpoints with {@code key}; the default skips the tests
     *         that need one
     */
    protected AuditLog newSignedLog(PrivateKey key, String origin) {
        return Assumptions.abort("this log's test offers no way to sign checkpoints: override newSignedLog");
    }

    /**
     * Changes stored record {@code index} of {@link #log()} behind the log's back (a flipped byte on disk,
     * an edited row), so that the contract can check {@link AuditLog#verify()} names it. The default skips
     * those tests.
     *
     * @param index a record of {@link #log()}
     */
    protected void corruptRecord(long index) {
        Assumptions.abort("this log's test offers no way to corrupt a record: override corruptRecord");
    }

    /** @return the log under test, created on first use by {@link #newLog()} */
    protected final synchronized AuditLog log() {
        if (log == null) {
            log = newLog();
            logs.add(log);
        }
        return log;
    }

    private synchronized AuditLog track(AuditLog l) {
        logs.add(l);
        if (log == null) {
            log = l;
        }
        return l;
    }

    @AfterEach
    final synchronized void closeLogs() {
        logs.forEach(AuditLog::close);
        logs.clear();
        log = null;
    }

    private static AuditEvent event(int i) {
        return AuditEvent.of("actor-" + i % 5, "action." + i % 3, "model:" + i % 7)
                .withOutcome(Outcome.values()[i % 3]).with("i", Integer.toString(i));
    }

    private static List<byte[]> leaves(List<AuditRecord> records) {
        return records.stream().map(AuditRecord::canonicalBytes).toList();
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 15+ platform provides Ed25519", e);
        }
    }

    // ---------------------------------------------------------------- append, size, read

    @Test
    void emptyLog_hasSizeZero_theEmptyRoot_andVerifies() {
        assertEquals(0, log().size());
        assertEquals(List.of(), log().read(0, 10));
        assertEquals(MerkleTree.emptyRoot(), log().root(0));
        Checkpoint c = log().checkpoint();
        assertEquals(0, c.size());
        assertEquals(MerkleTree.emptyRoot(), c.root());
        assertEquals(AuditVerification.ok(0), log().verify());
    }

    @Test
    void append_numbersDenselyFromZero_andReadReturnsWhatAppendReturned() {
        List<AuditRecord> appended = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            AuditRecord r = log().append(event(i));
            assertEquals(i, r.index());
            assertEquals(event(i), r.event());
            appended.add(r);
        }
        assertEquals(25, log().size());
        assertEquals(appended, log().read(0, 100));
        assertEquals(appended.subList(10, 15), log().read(10, 5));
        assertEquals(appended.subList(20, 25), log().read(20, 1000));
        assertEquals(List.of(), log().read(25, 10));
        assertEquals(List.of(), log().read(1000, 10));
        assertEquals(appended.get(7), log().get(7));
        assertThrows(IllegalArgumentException.class, () -> log().get(25));
        assertThrows(IllegalArgumentException.class, () -> log().read(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> log().read(0, 0));
    }

    @Test
    void append_underEightRacingThreads_numbersDenselyAndKeepsEveryEvent() throws Exception {
        int rounds = 40;
        Set<Long> indexes = new HashSet<>();
        Map<Long, AuditEvent> byIndex = new java.util.HashMap<>();
        try (Race race = new Race(8)) {
            for (int round = 0; round < rounds; round++) {
                List<Callable<AuditRecord>> calls = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    AuditEvent e = AuditEvent.of("thread-" + t, "race", "round-" + round);
                    calls.add(() -> log().append(e));
                }
                for (Race.Outcome<AuditRecord> o : race.round(calls)) {
                    assertTrue(o.succeeded(), o::toString);
                    assertTrue(indexes.add(o.value().index()), "index given twice: " + o.value().index());
                    byIndex.put(o.value().index(), o.value().event());
                }
            }
        }
        long n = rounds * 8L;
        assertEquals(LongStream.range(0, n).boxed().collect(Collectors.toSet()), indexes);
        assertEquals(n, log().size());
        List<AuditRecord> all = log().read(0, (int) n);
        for (AuditRecord r : all) {
            assertEquals(byIndex.get(r.index()), r.event());
        }
        assertEquals(MerkleTree.root(leaves(all)), log().root(n));
        assertTrue(log().verify().ok());
    }

    @Test
    void rejectedAppend_changesNothing() {
        for (int i = 0; i < 3; i++) {
            log().append(event(i));
        }
        Sha256 root = log().root(3);
        assertThrows(NullPointerException.class, () -> log().append(null));
        assertEquals(3, log().size());
        assertEquals(root, log().root(3));
        assertEquals(3, log().append(event(3)).index());
        assertTrue(log().verify().ok());
    }

    @Test
    void clockFailingDuringAppend_changesNothing_andTheNextAppendTakesTheNextIndex() {
        TestClock clock = new TestClock(T0);
        AuditLog l = track(newLog(clock));
        l.append(event(0));
        Checkpoint before = l.checkpoint();
        clock.failOnCallFromNow(1);
        assertThrows(TestClock.ClockFailure.class, () -> l.append(event(1)));
        assertTrue(clock.failed());
        assertEquals(1, l.size());
        assertEquals(before.root(), l.root(1));
        assertEquals(1, l.append(event(2)).index());
        assertTrue(l.verify().ok());
    }

    @Test
    void times_comeFromTheClock_andNeverDecrease() {
        TestClock clock = new TestClock(T0);
        AuditLog l = track(newLog(clock));
        assertEquals(T0, l.append(event(0)).at());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(T0.plusSeconds(5), l.append(event(1)).at());
        clock.set(T0.plusSeconds(1));
        AuditRecord stepBack = l.append(event(2));
        assertFalse(stepBack.at().isBefore(T0.plusSeconds(5)), "a clock stepping back must not make time decrease: " + stepBack);
        assertEquals(T0.plusSeconds(1), l.checkpoint().at());
        assertTrue(l.verify().ok());
    }

    @Test
    void closedLog_refusesEveryCall() {
        AuditLog l = log();
        l.append(event(0));
        l.close();
        l.close();
        assertAll(
                () -> assertThrows(IllegalStateException.class, () -> l.append(event(1))),
                () -> assertThrows(IllegalStateException.class, l::size),
                () -> assertThrows(IllegalStateException.class, () -> l.read(0, 1)),
                () -> assertThrows(IllegalStateException.class, () -> l.root(1)),
                () -> assertThrows(IllegalStateException.class, l::checkpoint),
                () -> assertThrows(IllegalStateException.class, l::verify));
    }

    // ---------------------------------------------------------------- roots and proofs

    @Test
    void roots_areTheMerkleRootsOfTheRecordsCanonicalBytes_atEverySize() {
        List<AuditRecord> all = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            all.add(log().append(event(i)));
        }
        for (int size = 0; size <= 70; size++) {
            assertEquals(MerkleTree.root(leaves(all.subList(0, size))), log().root(size), "root of size " + size);
        }
        assertThrows(IllegalArgumentException.class, () -> log().root(71));
        assertThrows(IllegalArgumentException.class, () -> log().root(-1));
    }

    @Test
    void inclusionProofs_verifyForEveryIndexAndSize_againstRootsAndACheckpoint() {
        List<AuditRecord> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(log().append(event(i)));
        }
        for (int size = 1; size <= 40; size++) {
            Sha256 root = log().root(size);
            for (int index = 0; index < size; index++) {
                List<Sha256> proof = log().inclusionProof(index, size);
                Sha256 leaf = all.get(index).leafHash();
                assertTrue(MerkleTree.verifyInclusion(leaf, index, size, proof, root), "index " + index + " of size " + size);
                assertFalse(MerkleTree.verifyInclusion(all.get((index + 1) % 40).leafHash(), index, size, proof, root),
                        "another record's leaf must not verify at index " + index);
            }
        }
        Checkpoint c = log().checkpoint();
        assertEquals(40, c.size());
        for (int index = 0; index < 40; index++) {
            assertTrue(MerkleTree.verifyInclusion(all.get(index).leafHash(), index, c.size(),
                    log().inclusionProof(index, c.size()), c.root()));
        }
        assertThrows(IllegalArgumentException.class, () -> log().inclusionProof(40, 40));
        assertThrows(IllegalArgumentException.class, () -> log().inclusionProof(0, 41));
        assertThrows(IllegalArgumentException.class, () -> log().inclusionProof(-1, 10));
    }

    @Test
    void consistencyProofs_verifyBetweenAnyTwoSizes_andAnyTwoCheckpoints() {
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            log().append(event(i));
            checkpoints.add(log().checkpoint());
        }
        for (int newSize = 1; newSize <= 36; newSize++) {
            for (int oldSize = 1; oldSize <= newSize; oldSize++) {
                assertTrue(MerkleTree.verifyConsistency(oldSize, newSize, log().root(oldSize), log().root(newSize),
                        log().consistencyProof(oldSize, newSize)), oldSize + " to " + newSize);
            }
        }
        for (Checkpoint older : checkpoints) {
            for (Checkpoint newer : checkpoints) {
                if (older.size() <= newer.size()) {
                    assertTrue(MerkleTree.verifyConsistency(older.size(), newer.size(), older.root(), newer.root(),
                            log().consistencyProof(older.size(), newer.size())));
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> log().consistencyProof(5, 4));
        assertThrows(IllegalArgumentException.class, () -> log().consistencyProof(0, 4));
        assertThrows(IllegalArgumentException.class, () -> log().consistencyProof(3, 37));
    }

    @Test
    void proofsFromAnOlderCheckpoint_stillVerifyAfterMoreAppends() {
        for (int i = 0; i < 11; i++) {
            log().append(event(i));
        }
        Checkpoint old = log().checkpoint();
        AuditRecord r5 = log().get(5);
        for (int i = 11; i < 30; i++) {
            log().append(event(i));
        }
        assertEquals(old.root(), log().root(old.size()));
        assertTrue(MerkleTree.verifyInclusion(r5.leafHash(), 5, old.size(), log().inclusionProof(5, old.size()), old.root()));
        Checkpoint now = log().checkpoint();
        assertTrue(MerkleTree.verifyConsistency(old.size(), now.size(), old.root(), now.root(),
                log().consistencyProof(old.size(), now.size())));
    }

    // ---------------------------------------------------------------- checkpoints

    @Test
    void signedCheckpoint_verifiesWithThePublicKey_andFailsWithAnotherKeyOrAnyChangedField() {
        KeyPair keys = ed25519();
        AuditLog l = track(newSignedLog(keys.getPrivate(), "example.com/kit/audit"));
        for (int i = 0; i < 5; i++) {
            l.append(event(i));
        }
        Checkpoint c = l.checkpoint();
        assertEquals("example.com/kit/audit", c.origin());
        assertEquals(5, c.size());
        assertEquals(l.root(5), c.root());
        assertTrue(c.signature().isPresent());
        assertTrue(c.verify(keys.getPublic()));
        assertFalse(c.verify(ed25519().getPublic()));
        assertAll(
                () -> assertFalse(new Checkpoint("example.com/kit/audiT", 5, c.root(), c.at(), c.signature()).verify(keys.getPublic())),
                () -> assertFalse(new Checkpoint(c.origin(), 4, c.root(), c.at(), c.signature()).verify(keys.getPublic())),
                () -> assertFalse(new Checkpoint(c.origin(), 5, l.root(4), c.at(), c.signature()).verify(keys.getPublic())),
                () -> assertFalse(new Checkpoint(c.origin(), 5, c.root(), c.at().plusNanos(1), c.signature()).verify(keys.getPublic())),
                () -> assertFalse(new Checkpoint(c.origin(), 5, c.root(), c.at(), Optional.empty()).verify(keys.getPublic())));
        assertEquals(c, Checkpoint.parse(c.body(), c.signature()));
        assertTrue(Checkpoint.parse(c.body(), c.signature()).verify(keys.getPublic()));
    }

    @Test
    void checkpoint_takesItsTimeFromTheClock() {
        TestClock clock = new TestClock(T0);
        AuditLog l = track(newLog(clock));
        l.append(event(0));
        clock.advance(Duration.ofMinutes(3));
        Checkpoint c = l.checkpoint();
        assertEquals(T0.plus(Duration.ofMinutes(3)), c.at());
        assertEquals(1, c.size());
    }

    // ---------------------------------------------------------------- verify

    @Test
    void verify_afterCorruptingARecord_namesThatIndex() {
        for (int i = 0; i < 23; i++) {
            log().append(event(i));
        }
        assertEquals(AuditVerification.ok(23), log().verify());
        corruptRecord(17);
        AuditVerification v = log().verify();
        assertFalse(v.ok());
        assertEquals(OptionalLong.of(17), v.firstBad(), v::problem);
        assertFalse(v.problem().isBlank());
    }

    @Test
    void verify_afterCorruptingTheFirstAndLastRecords_namesTheFirst() {
        for (int i = 0; i < 9; i++) {
            log().append(event(i));
        }
        corruptRecord(8);
        assertEquals(OptionalLong.of(8), log().verify().firstBad());
        corruptRecord(0);
        assertEquals(OptionalLong.of(0), log().verify().firstBad());
    }

    // ---------------------------------------------------------------- query

    @Test
    void query_filtersByEachCriterion_andAgreesWithAScanForManyQueries() {
        TestClock clock = new TestClock(T0);
        AuditLog l = track(newLog(clock));
        List<AuditRecord> all = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            all.add(l.append(event(i)));
            if (i % 10 == 9) {
                clock.advance(Duration.ofMinutes(1));
            }
        }
        assertEquals(all.stream().filter(r -> r.event().actor().equals("actor-2")).toList(),
                l.query(AuditQuery.builder().actor("actor-2").limit(1000).build()));
        assertEquals(all.stream().filter(r -> r.event().outcome() == Outcome.DENIED).toList(),
                l.query(AuditQuery.builder().outcome(Outcome.DENIED).limit(1000).build()));
        assertEquals(all.subList(30, 50), l.query(AuditQuery.builder().from(T0.plusSeconds(180)).until(T0.plusSeconds(300)).limit(1000).build()));
        assertEquals(List.of(), l.query(AuditQuery.builder().actor("nobody").build()));
        assertEquals(all.subList(0, 10), l.query(AuditQuery.builder().limit(10).build()));

        Random random = new Random(42);
        for (int q = 0; q < 300; q++) {
            AuditQuery.Builder b = AuditQuery.builder();
            if (random.nextInt(3) == 0) {
                b.actor("actor-" + random.nextInt(6));
            }
            if (random.nextInt(3) == 0) {
                b.action("action." + random.nextInt(4));
            }
            if (random.nextInt(3) == 0) {
                b.target("model:" + random.nextInt(8));
            }
            if (random.nextInt(3) == 0) {
                b.outcome(Outcome.values()[random.nextInt(3)]);
            }
            if (random.nextInt(3) == 0) {
                b.from(T0.plusSeconds(random.nextInt(800)));
            }
            if (random.nextInt(3) == 0) {
                b.until(T0.plusSeconds(800 + random.nextInt(800)));
            }
            b.fromIndex(random.nextInt(3) == 0 ? random.nextInt(130) : 0);
            b.limit(1 + random.nextInt(40));
            AuditQuery query = b.build();
            List<AuditRecord> expected = all.stream().filter(query::matches).limit(query.limit()).toList();
            assertEquals(expected, l.query(query), query::toString);
        }
    }

    @Test
    void query_pagesWithFromIndex() {
        for (int i = 0; i < 50; i++) {
            log().append(event(i));
        }
        AuditQuery q = AuditQuery.builder().action("action.1").limit(4).build();
        List<AuditRecord> pages = new ArrayList<>();
        for (List<AuditRecord> page = log().query(q); !page.isEmpty();
                page = log().query(q.fromIndex(page.get(page.size() - 1).index() + 1))) {
            assertTrue(page.size() <= 4);
            pages.addAll(page);
        }
        assertEquals(log().read(0, 50).stream().filter(r -> r.event().action().equals("action.1")).toList(), pages);
    }

    // ---------------------------------------------------------------- event rules

    @Test
    void events_refuseControlCharacters_andKeepActorActionTargetAndKeysOnOneLine() {
        assertAll(
                () -> assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("alice\nroot", "a", "")),
                () -> assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("alice", "a\r", "")),
                () -> assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("alice", "a", "t\u001b[2J")),
                () -> assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("alice", "a", "").with("k\n", "v")),
                () -> assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("alice", "a", "").with("k", "v\u0000")),
                () -> assertThrows(IllegalArgumentException.class, () -> AuditEvent.of("alice\uD800", "a", "")));
        AuditRecord r = log().append(AuditEvent.of("alice", "a", "").with("reason", "line one\nline two"));
        assertEquals("line one\nline two", log().get(r.index()).event().details().get("reason"));
    }
}
