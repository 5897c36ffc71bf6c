package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.GcReport;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Retention;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PostgresModelStore#gc}: the filesystem store's expectations ({@code FsckTest}'s gc tests), and
 * collections racing registrations of the same bytes from another host (another store on its own pool):
 * the two orders forced with a lock the test holds, then raced freely.
 */
class PostgresGcTest {
    private final List<String> schemas = new ArrayList<>();
    private final List<PostgresModelStore> stores = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private String schema() {
        String s = TestDatabase.freshSchema();
        schemas.add(s);
        return s;
    }

    /** A store on {@code schema} with a pool of its own, as another host would open it. */
    private PostgresModelStore host(String schema) {
        PostgresModelStore s = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build();
        stores.add(s);
        return s;
    }

    @AfterEach
    void cleanUp() {
        threads.shutdownNow();
        stores.forEach(PostgresModelStore::close);
        schemas.forEach(TestDatabase::dropSchema);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static NewVersion version(String model, String content) {
        return NewVersion.builder(model).artifact(utf8(content)).build();
    }

    /** Makes every stored artifact two hours old, past the hour a collection leaves alone. */
    private static void ageArtifacts(String schema) {
        TestDatabase.execute("UPDATE \"" + schema + "\".mlops_artifacts SET stored_at = now() - interval '2 hours'");
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until a backend waits for a lock while running a statement that holds every fragment. */
    private static void awaitBlocked(String... fragments) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'");
        for (String f : fragments) {
            sql.append(" AND position('").append(f.replace("'", "''")).append("' IN query) > 0");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(sql.toString()) == 0) {
            assertTrue(System.nanoTime() < deadline, "no backend blocked in: " + List.of(fragments));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void assertReadsBack(PostgresModelStore store, ModelVersion v, byte[] expected) throws Exception {
        try (InputStream in = store.open(v.ref())) {
            assertArrayEquals(expected, in.readAllBytes(), v.ref() + " reads back its bytes");
        }
    }

    private static void assertVerified(PostgresModelStore store) {
        VerifyReport report = store.verify();
        assertTrue(report.ok(), report.problems().toString());
    }

    @Test
    void gc_dryRunListsExactlyWhatTheRealRunDeletes_andKeepsAliasedRollbackAndLineageVersions() throws Exception {
        String schema = schema();
        PostgresModelStore s = host(schema);
        for (int i = 1; i <= 8; i++) {
            NewVersion.Builder b = NewVersion.builder("m").artifact(utf8("bytes-" + i));
            if (i == 6) {
                b.lineage(Lineage.builder().parent(ModelRef.of("m", 2)).build());
            }
            s.register(b.build());
        }
        s.register(NewVersion.builder("child").artifact(utf8("c"))
                .lineage(Lineage.builder().parent(ModelRef.of("m", 3)).build()).build());
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        s.setAlias("m", "champion", 4, AliasExpect.current(1)); // 1 stays on the rollback stack
        s.register(version("m", "bytes-1")); // v9 shares v1's bytes
        ageArtifacts(schema);
        long events = count("SELECT count(*) FROM \"" + schema + "\".mlops_events");

        GcReport plan = s.gc(Retention.keepLast(3), true);
        assertTrue(plan.dryRun());
        assertEquals(List.of(ModelRef.of("m", 5), ModelRef.of("m", 6)), plan.versions(),
                "keeps 7, 8, 9 (the last 3), 4 and 1 (alias and rollback), 2 and 3 (lineage parents)");
        assertEquals(List.of(Sha256.of(utf8("bytes-5")), Sha256.of(utf8("bytes-6"))).stream().sorted(
                java.util.Comparator.comparing(Sha256::hex)).toList(), plan.objects(),
                "bytes-5 and bytes-6, in digest order: v1's bytes are still used by v9");
        assertEquals(14, plan.bytes());
        assertEquals(9, s.versions("m", PageRequest.first(100)).items().size(), "a dry run deletes nothing");
        assertEquals(events, count("SELECT count(*) FROM \"" + schema + "\".mlops_events"), "nor adds an event");
        assertEquals(9, count("SELECT count(*) FROM \"" + schema + "\".mlops_artifacts"),
                "bytes-1 to bytes-8 and child's (v9 shares v1's)");

        GcReport done = s.gc(Retention.keepLast(3), false, ChangeNote.by("nightly-job").because("keep 3"));
        assertFalse(done.dryRun());
        assertEquals(plan.versions(), done.versions());
        assertEquals(plan.objects(), done.objects());
        assertEquals(plan.bytes(), done.bytes());
        assertEquals("deleted 2 versions and 2 artifacts (14 bytes)", done.summary());
        assertEquals(List.of(5L, 6L), s.tombstones("m").stream().map(t -> t.version()).toList());
        assertEquals(List.of("nightly-job keep 3", "nightly-job keep 3"), s.tombstones("m").stream()
                .map(t -> t.actor() + " " + t.reason()).toList(), "each tombstone keeps the note given");
        assertEquals(events + 2, count("SELECT count(*) FROM \"" + schema + "\".mlops_events"),
                "each deletion went through the delete path: a change row and an event each");
        assertEquals(7, count("SELECT count(*) FROM \"" + schema + "\".mlops_artifacts"), "9 artifacts, 2 collected");
        assertEquals(7, count("SELECT count(DISTINCT blob) FROM \"" + schema + "\".mlops_artifact_chunks"),
                "their chunk rows went with them");
        VerifyReport report = s.verify();
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(8, report.versions());
        assertEquals(7, report.artifacts());

        PostgresModelStore other = host(schema);
        GcReport next = other.gc(Retention.keepLast(3), true);
        assertEquals(List.of(ModelRef.of("m", 2)), next.versions(),
                "with v6 gone, no live version names v2 as a parent; v3 is still child:1's");
        assertEquals(List.of(Sha256.of(utf8("bytes-2"))), next.objects(),
                "a dry run counts the versions it would delete as gone");
    }

    @Test
    void gc_keepsArtifactsStoredInTheLastHour_andKeepAllDeletesNoVersion() {
        PostgresModelStore s = host(schema());
        ModelVersion v = s.register(version("m", "x"));
        s.register(version("m", "y"));
        s.delete(v.ref(), ChangeNote.NONE);
        GcReport report = s.gc(Retention.keepAll(), false);
        assertTrue(report.versions().isEmpty() && report.objects().isEmpty(), report.summary());
        assertEquals("deleted 0 versions and 0 artifacts (0 bytes)", report.summary());
    }

    @Test
    void gc_neverDeletesAVersionAnAliasReachedAfterThePlan_norOneWithNoAlias() {
        String schema = schema();
        PostgresModelStore s = host(schema);
        for (int i = 1; i <= 3; i++) {
            s.register(version("m", "v" + i));
        }
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        s.removeAlias("m", "champion", AliasExpect.current(1), ChangeNote.NONE);
        ageArtifacts(schema);
        GcReport report = s.gc(Retention.keepLast(1), false);
        assertEquals(List.of(ModelRef.of("m", 1), ModelRef.of("m", 2)), report.versions(),
                "a removed alias keeps no rollback target");
        assertEquals(2, report.objects().size());
        assertEquals(List.of(3L), s.versions("m", PageRequest.first(10)).items().stream().map(ModelVersion::version)
                .toList());
        assertVerified(s);
    }

    /**
     * A registration on host B finds the bytes stored and keeps no copy; before it commits its version (the
     * test holds the model's row), host A's collection deletes them. The registration's write transaction
     * finds their row gone and stores them again: the version has its artifact.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void gcDeletingTheBytesARegistrationFoundStored_makesItStoreThemAgain() throws Exception {
        String schema = schema();
        PostgresModelStore hostA = host(schema);
        PostgresModelStore hostB = host(schema);
        ModelVersion old = hostA.register(version("m", "shared bytes"));
        hostA.register(version("m", "other"));
        hostA.delete(old.ref(), ChangeNote.NONE);
        ageArtifacts(schema);
        String blobBefore = "SELECT blob FROM \"" + schema + "\".mlops_artifacts WHERE digest = '"
                + old.digest().hex() + "'";
        long firstBlob = count(blobBefore);

        Future<ModelVersion> registration;
        try (Connection holder = TestDatabase.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT 1 FROM \"" + schema
                    + "\".mlops_models WHERE name = 'm' FOR UPDATE")) {
                ps.executeQuery().close();
            }
            registration = threads.submit(() -> hostB.register(version("m", "shared bytes")));
            awaitBlocked(schema + "\".\"mlops_models\"", "FOR UPDATE");

            GcReport report = hostA.gc(Retention.keepAll(), false);
            assertEquals(List.of(old.digest()), report.objects(), "the bytes were unused and old: collected");
            assertEquals(0, count("SELECT count(*) FROM \"" + schema + "\".mlops_artifacts WHERE digest = '"
                    + old.digest().hex() + "'"));
            holder.rollback();
        }
        ModelVersion v = registration.get(60, TimeUnit.SECONDS);
        assertEquals(old.digest(), v.digest());
        assertEquals(3, v.version());
        assertTrue(count(blobBefore) > firstBlob, "stored again, as a new blob");
        assertReadsBack(hostA, v, utf8("shared bytes"));
        assertVerified(hostA);
        assertEquals(v, hostA.verify(v.ref()));
    }

    /**
     * Host A's collection has planned to delete unused bytes and waits for their row (the test holds a
     * share lock on it); meanwhile host B registers a version with the same bytes and commits. When A's
     * lock is granted it sees B's registration and keeps the bytes.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRegistrationCommittedWhileGcWaitsForTheRow_isSeenByTheGc_whichKeepsTheBytes() throws Exception {
        String schema = schema();
        PostgresModelStore hostA = host(schema);
        PostgresModelStore hostB = host(schema);
        ModelVersion old = hostA.register(version("m", "shared bytes"));
        hostA.register(version("m", "other"));
        hostA.delete(old.ref(), ChangeNote.NONE);
        ageArtifacts(schema);

        Future<GcReport> gc;
        ModelVersion v;
        try (Connection holder = TestDatabase.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement("SELECT 1 FROM \"" + schema
                    + "\".mlops_artifacts WHERE digest = ? FOR KEY SHARE")) {
                ps.setString(1, old.digest().hex());
                ps.executeQuery().close();
            }
            gc = threads.submit(() -> hostA.gc(Retention.keepAll(), false));
            awaitBlocked(schema + "\".\"mlops_artifacts\"", "FOR UPDATE");
            v = hostB.register(version("m", "shared bytes"));
            holder.commit();
        }
        GcReport report = gc.get(60, TimeUnit.SECONDS);
        assertEquals(List.of(), report.objects(), "the bytes are v" + v.version() + "'s now: kept");
        assertReadsBack(hostA, v, utf8("shared bytes"));
        assertVerified(hostA);
    }

    /**
     * Free races: each round, bytes that no live version uses are registered again on host B while host A
     * collects; whichever wins, no version is left without its artifact.
     */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void registrationsRacingGcOnTheSameBytes_fromTwoHosts_neverLeaveAVersionWithoutItsArtifact() throws Exception {
        String schema = schema();
        PostgresModelStore hostA = host(schema);
        PostgresModelStore hostB = host(schema);
        hostA.register(version("keep", "anchor"));
        int collected = 0;
        int kept = 0;
        for (int round = 0; round < 40; round++) {
            byte[] bytes = utf8("round bytes " + (round % 3));
            ModelVersion before = hostA.register(NewVersion.builder("r").artifact(bytes).build());
            hostA.delete(before.ref(), ChangeNote.NONE);
            ageArtifacts(schema);
            CyclicBarrier start = new CyclicBarrier(2);
            Future<GcReport> gc = threads.submit(() -> {
                start.await();
                return hostA.gc(Retention.keepAll(), false);
            });
            Future<ModelVersion> registration = threads.submit(() -> {
                start.await();
                return hostB.register(NewVersion.builder("r").artifact(bytes).build());
            });
            GcReport report = gc.get(60, TimeUnit.SECONDS);
            ModelVersion v = registration.get(60, TimeUnit.SECONDS);
            if (report.objects().contains(v.digest())) {
                collected++;
            } else {
                kept++;
            }
            assertReadsBack(hostA, v, bytes);
            assertEquals(v, hostA.verify(v.ref()));
            hostB.delete(v.ref(), ChangeNote.NONE);
        }
        assertEquals(40, collected + kept);
        assertVerified(hostA);
        assertEquals(0, count("SELECT count(*) FROM \"" + schema + "\".mlops_artifact_chunks k WHERE NOT EXISTS"
                + " (SELECT 1 FROM \"" + schema + "\".mlops_artifacts a WHERE a.blob = k.blob)"), "no orphan chunks");
    }
}
