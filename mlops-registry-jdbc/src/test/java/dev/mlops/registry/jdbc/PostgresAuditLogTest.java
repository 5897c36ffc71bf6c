package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.StoreException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditQuery;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.audit.InMemoryAuditLog;
import dev.mlops.core.audit.MerkleTree;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.NewVersion;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the kit cannot state for {@link PostgresAuditLog}: several hosts on one database, records byte for
 * byte those of the in-memory log, tampering with rows, signed checkpoints across hosts, and migrating a
 * database that holds a model store's tables.
 */
class PostgresAuditLogTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private final List<String> schemas = new ArrayList<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    private String schema() {
        String s = TestDatabase.freshSchema();
        schemas.add(s);
        return s;
    }

    /** A log on {@code schema} through {@code pool}, as a host with its own pool would open it. */
    private PostgresAuditLog open(DataSource pool, String schema) {
        PostgresAuditLog log = PostgresAuditLog.builder(pool).schema(schema).build();
        opened.add(log);
        return log;
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        schemas.forEach(TestDatabase::dropSchema);
    }

    private static AuditEvent event(int i) {
        return AuditEvent.of("actor-" + i % 7, "action." + i % 3, "model:" + i % 5)
                .withOutcome(AuditEvent.Outcome.values()[i % 3]).with("i", Integer.toString(i));
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Returns one instant per call, in order, from a fixed list: both logs see the same readings. */
    private static final class Readings implements InstantSource {
        private final List<Instant> values;
        private final AtomicLong calls = new AtomicLong();

        Readings(List<Instant> values) {
            this.values = values;
        }

        @Override
        public Instant instant() {
            return values.get((int) calls.getAndIncrement());
        }
    }

    @Test
    void requireExisting_refusesMissingTables_creatingNothing_andOpensAnExistingLog() throws Exception {
        String schema = schema();
        StoreException e = assertThrows(StoreException.class, () -> PostgresAuditLog.builder(TestDatabase.dataSource())
                .schema(schema).requireExisting().build());
        assertTrue(e.getMessage().contains("no mlops tables (schema \"" + schema + "\", table prefix \"mlops_\")"),
                e.getMessage());
        assertEquals(0, count("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'"), "no schema made");

        open(TestDatabase.dataSource(), schema).append(AuditEvent.of("alice", "model.delete", "m:1"));
        try (PostgresAuditLog existing = PostgresAuditLog.builder(TestDatabase.newPool()).schema(schema)
                .requireExisting().build()) {
            assertEquals(1, existing.size());
            assertTrue(existing.verify().ok());
        }
        assertThrows(IllegalStateException.class, () -> PostgresAuditLog.builder(TestDatabase.dataSource())
                .requireExisting().requireExisting());
    }

    @Test
    void twoHostsWithTwoThreadsEach_appendConcurrently_intoOneDenseOrder_andAgreeOnEveryRoot() throws Exception {
        String schema = schema();
        List<PostgresAuditLog> hosts = List.of(open(TestDatabase.newPool(), schema), open(TestDatabase.newPool(), schema));
        int perThread = 40;
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<AuditRecord> appended = new ArrayList<>();
        try {
            List<Future<List<AuditRecord>>> futures = new ArrayList<>();
            for (int h = 0; h < 2; h++) {
                for (int th = 0; th < 2; th++) {
                    PostgresAuditLog log = hosts.get(h);
                    String actor = "host-" + h + "-thread-" + th;
                    Callable<List<AuditRecord>> task = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        List<AuditRecord> mine = new ArrayList<>();
                        for (int i = 0; i < perThread; i++) {
                            mine.add(log.append(AuditEvent.of(actor, "race", "i-" + i)));
                        }
                        return mine;
                    };
                    futures.add(pool.submit(task));
                }
            }
            for (Future<List<AuditRecord>> f : futures) {
                appended.addAll(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        int n = 4 * perThread;
        Set<Long> indexes = appended.stream().map(AuditRecord::index).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(LongStream.range(0, n).boxed().collect(Collectors.toSet()), indexes, "indexes dense from 0");
        for (int k = 1; k < n; k++) {
            // each thread's own records are in the order it appended them
            AuditRecord a = appended.get(k - 1);
            AuditRecord b = appended.get(k);
            if (a.event().actor().equals(b.event().actor())) {
                assertTrue(a.index() < b.index());
            }
        }
        List<AuditRecord> sorted = appended.stream().sorted((x, y) -> Long.compare(x.index(), y.index())).toList();
        PostgresAuditLog late = open(TestDatabase.dataSource(), schema);
        for (AuditLog log : List.of(hosts.get(0), hosts.get(1), late)) {
            assertEquals(n, log.size());
            assertEquals(sorted, log.read(0, n), "every record readable from every host, as appended");
            assertEquals(MerkleTree.root(sorted.stream().map(AuditRecord::canonicalBytes).toList()), log.root(n));
            assertEquals(AuditVerification.ok(n), log.verify());
        }
        for (int size = 0; size <= n; size++) {
            assertEquals(hosts.get(0).root(size), hosts.get(1).root(size), "root of size " + size);
        }
        for (int k = 1; k < n; k++) {
            assertFalse(sorted.get(k).at().isBefore(sorted.get(k - 1).at()), "times never decrease along the indexes");
        }
        assertEquals(n, count("SELECT size FROM \"" + schema + "\".mlops_audit_head"));
    }

    @Test
    void sameEventsAndClockReadings_giveByteIdenticalRecordsAndRoots_asTheInMemoryLog() {
        List<Instant> readings = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            // steps forward, with a step back every 9th reading that both logs must raise to the last time
            readings.add(i % 9 == 8 ? T0 : T0.plusMillis(1000L * i).plusNanos(i * 7919L));
        }
        String schema = schema();
        PostgresAuditLog pg = PostgresAuditLog.builder(TestDatabase.dataSource()).schema(schema)
                .clock(new Readings(readings)).build();
        opened.add(pg);
        InMemoryAuditLog memory = InMemoryAuditLog.builder().clock(new Readings(readings)).build();
        for (int i = 0; i < 45; i++) {
            AuditRecord a = pg.append(event(i));
            AuditRecord b = memory.append(event(i));
            assertEquals(b, a);
            assertArrayEquals(b.canonicalBytes(), a.canonicalBytes(), "record " + i);
        }
        for (int size = 0; size <= 45; size++) {
            assertEquals(memory.root(size), pg.root(size), "root of size " + size);
        }
        for (int size = 1; size <= 45; size += 4) {
            for (int index = 0; index < size; index++) {
                assertEquals(memory.inclusionProof(index, size), pg.inclusionProof(index, size));
            }
            assertEquals(memory.consistencyProof(size, 45), pg.consistencyProof(size, 45));
        }
        assertEquals(memory.read(0, 100), pg.read(0, 100));
    }

    @Test
    void editedBytes_editedColumns_andDeletedRows_areNamedByVerify_onThisHostAndAFreshOne() throws Exception {
        String schema = schema();
        String records = "\"" + schema + "\".mlops_audit_records";
        PostgresAuditLog log = open(TestDatabase.dataSource(), schema);
        for (int i = 0; i < 30; i++) {
            log.append(event(i));
        }
        assertEquals(AuditVerification.ok(30), log.verify());
        Checkpoint before = log.checkpoint();

        // the last byte of record 25 (its detail value) and its stored leaf hash rewritten together: the tree
        // this log holds names the row; a log opened afterwards builds its tree from the rewritten hash, and
        // only a checkpoint kept from before shows the change
        TestDatabase.execute("UPDATE " + records + " SET record = set_byte(record, length(record) - 1,"
                + " get_byte(record, length(record) - 1) # 1) WHERE idx = 25");
        TestDatabase.execute("UPDATE " + records + " SET leaf_hash = sha256('\\x00'::bytea || record) WHERE idx = 25");
        AuditVerification v = log.verify();
        assertEquals(OptionalLong.of(25), v.firstBad(), v::problem);
        assertTrue(v.problem().contains("do not match the stored leaf hash"), v.problem());
        PostgresAuditLog fresh = open(TestDatabase.dataSource(), schema);
        assertTrue(fresh.verify().ok());
        assertFalse(before.root().equals(fresh.root(before.size())), "the checkpoint shows the rewrite");

        // one bit of record 21's actor flipped in its bytes
        int at = PostgresAuditLogContractTest.ACTOR_IN_RECORD;
        TestDatabase.execute("UPDATE " + records + " SET record = set_byte(record, " + at + ", get_byte(record, " + at
                + ") # 1) WHERE idx = 21");
        v = log.verify();
        assertEquals(OptionalLong.of(21), v.firstBad(), v::problem);
        assertTrue(v.problem().contains("record 21") && v.problem().contains("changed after it was written"), v.problem());
        assertThrows(IntegrityException.class, () -> log.read(20, 5));
        assertEquals(2, log.read(19, 2).size(), "the records before it still read");
        assertEquals(OptionalLong.of(21), open(TestDatabase.dataSource(), schema).verify().firstBad());

        // a query column edited to hide a record from queries
        TestDatabase.execute("UPDATE " + records + " SET actor = 'nobody' WHERE idx = 12");
        v = log.verify();
        assertEquals(OptionalLong.of(12), v.firstBad(), v::problem);
        assertTrue(v.problem().contains("actor column"), v.problem());
        assertThrows(IntegrityException.class, () -> log.query(AuditQuery.builder().actor("nobody").build()));

        // a row deleted
        TestDatabase.execute("DELETE FROM " + records + " WHERE idx = 4");
        v = log.verify();
        assertEquals(OptionalLong.of(4), v.firstBad(), v::problem);
        assertTrue(v.problem().contains("no row"), v.problem());
        IntegrityException e = assertThrows(IntegrityException.class, () -> open(TestDatabase.dataSource(), schema));
        assertTrue(e.getMessage().contains("record 4"), e.getMessage());
    }

    @Test
    void rowsDeletedFromTheEnd_areNamedByVerify_throughTheHeadRowsCount() {
        String schema = schema();
        PostgresAuditLog log = open(TestDatabase.dataSource(), schema);
        for (int i = 0; i < 10; i++) {
            log.append(event(i));
        }
        TestDatabase.execute("DELETE FROM \"" + schema + "\".mlops_audit_records WHERE idx >= 7");
        assertEquals(OptionalLong.of(7), log.verify().firstBad());
        IntegrityException e = assertThrows(IntegrityException.class, () -> open(TestDatabase.dataSource(), schema));
        assertTrue(e.getMessage().contains("record 7 is missing"), e.getMessage());
    }

    @Test
    void signedCheckpoint_verifiesWithThePublicKeyAlone_andAnotherHostsProofsVerifyAgainstIt() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String schema = schema();
        PostgresAuditLog signing = PostgresAuditLog.builder(TestDatabase.dataSource()).schema(schema)
                .signer(keys.getPrivate(), "example.com/team/audit").build();
        opened.add(signing);
        PostgresAuditLog other = open(TestDatabase.dataSource(), schema);
        List<AuditRecord> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add((i % 2 == 0 ? signing : other).append(event(i)));
        }
        Checkpoint c = signing.checkpoint();
        assertEquals(12, c.size());
        // what a reader holds: the published text, the signature and the public key
        Checkpoint published = Checkpoint.parse(c.body(), c.signature());
        assertTrue(published.verify(keys.getPublic()));
        assertFalse(new Checkpoint(c.origin(), c.size(), other.root(11), c.at(), c.signature()).verify(keys.getPublic()));
        assertEquals(published.root(), other.root(12));
        for (AuditRecord r : all) {
            assertTrue(MerkleTree.verifyInclusion(r.leafHash(), r.index(), published.size(),
                    other.inclusionProof(r.index(), published.size()), published.root()));
        }
        other.append(event(12));
        Checkpoint later = other.checkpoint();
        assertTrue(later.signature().isEmpty(), "a log without a signer signs nothing");
        assertTrue(MerkleTree.verifyConsistency(published.size(), later.size(), published.root(), later.root(),
                signing.consistencyProof(published.size(), later.size())));
    }

    @Test
    void migratingAVersion1Database_addsTheAuditTables_andKeepsTheStoresTablesWorking() throws Exception {
        String schema = schema();
        String q = "\"" + schema + "\".";
        try (PostgresModelStore store = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build()) {
            store.register(NewVersion.builder("fraud").artifact("one".getBytes(StandardCharsets.UTF_8)).build());
            store.setAlias("fraud", "champion", 1, AliasExpect.absent());
        }
        // back to what a version-1 library left: the store's tables only
        TestDatabase.execute("DROP TABLE " + q + "mlops_audit_records, " + q + "mlops_audit_head, " + q
                + "mlops_snapshots");
        TestDatabase.execute("DELETE FROM " + q + "mlops_schema_version WHERE version > 1");
        assertEquals(1, count("SELECT max(version) FROM " + q + "mlops_schema_version"));

        PostgresAuditLog log = open(TestDatabase.dataSource(), schema);
        assertEquals(Migrations.CURRENT, count("SELECT max(version) FROM " + q + "mlops_schema_version"));
        assertEquals(Migrations.CURRENT, count("SELECT count(*) FROM " + q + "mlops_schema_version"));
        assertEquals(0, log.size());
        log.append(AuditEvent.of("alice", "model.register", "fraud:2"));
        try (PostgresModelStore store = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build()) {
            assertEquals(1, store.get(ModelRef.alias("fraud", "champion")).version());
            assertEquals(2, store.register(NewVersion.builder("fraud").artifact("two".getBytes(StandardCharsets.UTF_8))
                    .build()).version());
            store.setAlias("fraud", "champion", 2, AliasExpect.current(1));
            assertEquals(2, store.get(ModelRef.alias("fraud", "champion")).version());
            assertEquals(Migrations.CURRENT, store.schemaVersion());
        }
        assertEquals(1, log.size());
        assertTrue(log.verify().ok());

        int newer = Migrations.CURRENT + 1;
        TestDatabase.execute("INSERT INTO " + q + "mlops_schema_version (version) VALUES (" + newer + ")");
        StoreException e = assertThrows(StoreException.class, () -> open(TestDatabase.dataSource(), schema));
        assertTrue(e.getMessage().contains("schema version " + newer + ", newer than version " + Migrations.CURRENT),
                e.getMessage());
        assertTrue(e.getMessage().contains("schema \"" + schema + "\""), e.getMessage());
    }

    @Test
    void aStoreAndALog_shareASchemaAndPrefix_andTablePrefixesKeepTwoLogsApart() {
        String schema = schema();
        PostgresAuditLog first = open(TestDatabase.dataSource(), schema);
        PostgresAuditLog second = PostgresAuditLog.builder(TestDatabase.dataSource()).schema(schema).tablePrefix("other_")
                .build();
        opened.add(second);
        first.append(event(0));
        assertEquals(0, second.size());
        second.append(event(1));
        second.append(event(2));
        assertEquals(1, first.size());
        assertEquals(2, second.size());
        assertThrows(IllegalArgumentException.class, () -> PostgresAuditLog.builder(TestDatabase.dataSource())
                .tablePrefix("Robert'); DROP TABLE x; --"));
        assertThrows(IllegalArgumentException.class, () -> PostgresAuditLog.builder(TestDatabase.dataSource())
                .schema("1bad"));
        assertThrows(IllegalStateException.class, () -> PostgresAuditLog.builder(TestDatabase.dataSource())
                .schema("a").schema("b"));
    }

    @Test
    void theLongestPrefix_keepsEveryTableNameWhole_theAuditTablesIncluded() {
        Tables longest = new Tables(Optional.empty(), "p".repeat(Tables.MAX_PREFIX));
        for (String quoted : longest.all()) {
            assertTrue(quoted.length() - 2 <= Tables.MAX_IDENTIFIER, quoted);
        }
        assertTrue(longest.all().stream().anyMatch(q -> q.length() - 2 == Tables.MAX_IDENTIFIER));
        assertThrows(IllegalArgumentException.class, () -> new Tables(Optional.empty(), "p".repeat(Tables.MAX_PREFIX + 1)));
    }

    @Test
    void queries_selectWithTheIndexedColumns_notByReadingEveryRow() throws Exception {
        String schema = schema();
        PostgresAuditLog log = PostgresAuditLog.builder(TestDatabase.dataSource()).schema(schema)
                .clock(InstantSource.fixed(T0)).build();
        opened.add(log);
        for (int i = 0; i < 300; i++) {
            log.append(AuditEvent.of("actor-" + i % 100, "action." + i % 50, "model:" + i));
        }
        TestDatabase.execute("ANALYZE \"" + schema + "\".mlops_audit_records");
        String records = "\"" + schema + "\".mlops_audit_records";
        for (String where : List.of("actor = 'actor-7'", "action = 'action.7'", "target = 'model:7'")) {
            String plan = plan("EXPLAIN SELECT idx, record FROM " + records + " WHERE idx >= 0 AND idx < 300 AND "
                    + where + " ORDER BY idx LIMIT 100");
            assertFalse(plan.contains("Seq Scan"), plan);
            assertTrue(plan.contains(where.substring(0, where.indexOf(' '))), plan);
        }
        assertEquals(List.of(3L, 103L, 203L), log.query(AuditQuery.builder().actor("actor-3").build()).stream()
                .map(AuditRecord::index).toList());
        assertEquals(Optional.of("model:7"), log.query(AuditQuery.builder().target("model:7").build()).stream()
                .map(r -> r.event().target()).findFirst());
    }

    private static String plan(String explain) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(explain)) {
            while (rs.next()) {
                out.append(rs.getString(1)).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void closedLog_refusesCalls_butTheRowsStayForTheNextLog() {
        String schema = schema();
        PostgresAuditLog log = open(TestDatabase.dataSource(), schema);
        log.append(event(0));
        log.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> log.append(event(1)));
        assertTrue(e.getMessage().contains(schema), e.getMessage());
        assertEquals(1, open(TestDatabase.dataSource(), schema).size());
    }

    /**
     * As {@link LostConnectionTest} for the store: another host holds the head row, the append waits for
     * it, and its backend is terminated. The failure names the termination (not the closed connection
     * that ending the transaction then meets), nothing is added, and the next append takes the next index.
     */
    @Test
    void anAppendWhoseConnectionIsKilledWhileItWaitsForTheHeadRow_failsNamingWhy_andAddsNothing() throws Exception {
        String schema = schema();
        PostgresAuditLog log = open(TestDatabase.newPool(), schema);
        log.append(event(0));
        ExecutorService appending = Executors.newSingleThreadExecutor();
        try (Connection holder = TestDatabase.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.executeQuery("SELECT size FROM \"" + schema + "\".mlops_audit_head WHERE id = 1 FOR UPDATE").close();
            }
            Future<AuditRecord> append = appending.submit(() -> log.append(event(1)));
            // watched from outside the holder's transaction, which would see one snapshot of pg_stat_activity
            try (Connection watcher = TestDatabase.dataSource().getConnection(); Statement s = watcher.createStatement()) {
                int pid = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (pid < 0) {
                    assertTrue(System.nanoTime() < deadline, "the append never waited for the head row");
                    try (ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            + " AND query LIKE '%mlops_audit_head%' AND pid <> pg_backend_pid()")) {
                        if (rs.next()) {
                            pid = rs.getInt(1);
                        }
                    }
                }
                s.executeQuery("SELECT pg_terminate_backend(" + pid + ")").close();
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> append.get(60, TimeUnit.SECONDS));
            StoreException failure = assertInstanceOf(StoreException.class, e.getCause());
            assertTrue(failure.getMessage().startsWith("appending to the audit log (schema \"" + schema + "\""),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("SQLState 57P01")
                    || failure.getMessage().contains("SQLState 08006"), "says the connection was terminated: "
                    + failure.getMessage());
            holder.rollback();
            holder.setAutoCommit(true);
        } finally {
            appending.shutdownNow();
        }
        assertEquals(1, count("SELECT count(*) FROM \"" + schema + "\".mlops_audit_records"), "no row was added");
        assertEquals(1, log.size());
        assertEquals(1, log.append(event(1)).index(), "the next append takes the next index");
        assertTrue(log.verify().ok());
    }
}
