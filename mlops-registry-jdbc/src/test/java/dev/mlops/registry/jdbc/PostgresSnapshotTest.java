package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.Sha256;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.internal.SnapshotCodec;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.NewVersion;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots in PostgreSQL: a store loads a model from its newest snapshot and the change rows after it,
 * answers exactly as the writer and a full replay do, skips a snapshot it cannot trust, {@code verify()}
 * checks every snapshot against the replay, and {@code fsck()} deletes those found wanting.
 */
class PostgresSnapshotTest {
    private final List<String> schemas = new ArrayList<>();
    private final List<PostgresModelStore> stores = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        stores.forEach(PostgresModelStore::close);
        stores.clear();
        schemas.forEach(TestDatabase::dropSchema);
        schemas.clear();
    }

    private String schema() {
        String s = TestDatabase.freshSchema();
        schemas.add(s);
        return s;
    }

    /** A store on {@code schema} with nothing loaded, as another process would open it. */
    private PostgresModelStore open(String schema, int every) {
        PostgresModelStore s = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                .clock(Histories.clock()).snapshotEvery(every).build();
        stores.add(s);
        return s;
    }

    private static String table(String schema, String name) {
        return "\"" + schema + "\".\"mlops_" + name + "\"";
    }

    /** @return the changes the model's snapshot rows follow, ascending */
    private static List<Long> snapshotChanges(String schema, String model) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT change FROM " + table(schema, "snapshots")
                        + " WHERE model = ? ORDER BY change")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** @return the document and digest of a snapshot row */
    private static String[] snapshotRow(String schema, String model, long change) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT document, sha256 FROM " + table(schema, "snapshots")
                        + " WHERE model = ? AND change = ?")) {
            ps.setString(1, model);
            ps.setLong(2, change);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "snapshot " + change + " of " + model);
                return new String[] {rs.getString(1), rs.getString(2)};
            }
        }
    }

    /** Writes a snapshot row as the test gives it, replacing any row of that model and change. */
    private static void putSnapshotRow(String schema, String model, long change, String document, String sha256)
            throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + table(schema, "snapshots")
                        + " (model, change, document, sha256) VALUES (?, ?, ?, ?) ON CONFLICT (model, change)"
                        + " DO UPDATE SET document = excluded.document, sha256 = excluded.sha256")) {
            ps.setString(1, model);
            ps.setLong(2, change);
            ps.setString(3, document);
            ps.setString(4, sha256);
            ps.executeUpdate();
        }
    }

    /** Writes a well-formed snapshot of {@code state} with the right digest: what only a forger does. */
    private static void forge(String schema, long change, ModelLedger.State state) throws SQLException {
        byte[] bytes = SnapshotCodec.write(change, state);
        putSnapshotRow(schema, state.model(), change, new String(bytes, StandardCharsets.UTF_8), Sha256.of(bytes).hex());
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void writersKeepTheNewestTwoSnapshots_andAColdStoreAnswersAsTheWriterAndAFullReplay() throws SQLException {
        String schema = schema();
        PostgresModelStore writer = open(schema, 3);
        Histories.populate(writer);
        Histories.Observed written = Histories.observe(writer);
        assertEquals(List.of(6L, 9L), snapshotChanges(schema, "fraud"),
                "fraud has 10 changes: snapshots after changes 3, 6 and 9, the oldest deleted");
        assertEquals(List.of(), snapshotChanges(schema, "fraud-base"), "one change: none yet");
        assertEquals(List.of(), snapshotChanges(schema, "retired"), "two changes: none yet");

        PostgresModelStore cold = open(schema, 3);
        assertEquals(written, Histories.observe(cold));
        PostgresFsckReport report = cold.fsck();
        assertTrue(report.clean(), report.verify().problems().toString());
        assertEquals(List.of(), report.deletedSnapshots());

        // both go on: the writer's change reaches the cold store, whose own change (a snapshot point) is
        // planned on the ledger it loaded from the snapshot
        assertEquals(3, writer.register(NewVersion.builder("fraud").artifact(new byte[] {3}).build()).version());
        cold.setAlias("fraud", "champion", 3, AliasExpect.current(1));
        assertEquals(List.of(9L, 12L), snapshotChanges(schema, "fraud"));
        Histories.Observed later = Histories.observe(writer);
        assertEquals(later, Histories.observe(cold));
        assertTrue(writer.verify().ok(), writer.verify().problems().toString());

        TestDatabase.execute("DELETE FROM " + table(schema, "snapshots"));
        assertEquals(later, Histories.observe(open(schema, 3)), "a full replay answers the same");
    }

    /** The changes a snapshot covers are not read: damaged, the model still loads; verify and fsck object. */
    @Test
    void aColdStoreReadsOnlyTheChangesAfterTheNewestSnapshot_andTheChangeRowsStayAuthoritative() throws SQLException {
        String schema = schema();
        Histories.populate(open(schema, 4));
        Histories.Observed written = Histories.observe(open(schema, 4));
        assertEquals(List.of(4L, 8L), snapshotChanges(schema, "fraud"));
        TestDatabase.execute("UPDATE " + table(schema, "changes") + " SET document = '{\"damaged\": true}'"
                + " WHERE model = 'fraud' AND number < 8");

        PostgresModelStore cold = open(schema, 4);
        assertEquals(written, Histories.observe(cold), "loaded from the snapshot after change 8, then 9 and 10");
        PostgresFsckReport report = cold.fsck();
        assertTrue(report.verify().problems().get(0).startsWith("change 1 of model fraud in "),
                report.verify().problems().toString());
        assertEquals(List.of(4L, 8L), report.deletedSnapshots().stream().map(PostgresFsckReport.DeletedSnapshot::change)
                .toList(), "snapshots past the end of the readable log cannot be checked, so they go");
        assertTrue(report.deletedSnapshots().get(0).problem().endsWith("cannot be replayed past change 0"),
                report.deletedSnapshots().get(0).problem());
        assertEquals(List.of(report.verify().problems().get(0)), report.unrepaired(), "the change row is left as it is");
        assertEquals(List.of(), snapshotChanges(schema, "fraud"));
        InvalidFormatException e = assertThrows(InvalidFormatException.class,
                () -> cold.get(ModelRef.alias("fraud", "champion")), "reloaded: now from the damaged change rows");
        assertTrue(e.getMessage().startsWith("change 1 of model fraud in "), e.getMessage());
    }

    /** Any character of a snapshot changed, or its digest: the store answers from the change rows, fsck deletes it. */
    @Test
    void aDamagedSnapshotRow_isSkippedOnRead_reportedByVerify_andDeletedByFsck() throws SQLException {
        String schema = schema();
        Histories.populate(open(schema, 8));
        Histories.Observed written = Histories.observe(open(schema, 8));
        assertEquals(List.of(8L), snapshotChanges(schema, "fraud"));
        String[] original = snapshotRow(schema, "fraud", 8);
        String snapshots = table(schema, "snapshots");
        List<String> damages = new ArrayList<>();
        damages.add("SET sha256 = repeat('0', 64)");
        damages.add("SET document = left(document, length(document) / 2)");
        damages.add("SET document = replace(document, 'gradient boosted', 'gradient boosten')");
        Random random = new Random(8);
        for (int i = 0; i < 8; i++) {
            int at = 1 + random.nextInt(original[0].length());
            damages.add("SET document = overlay(document placing CASE WHEN substr(document, " + at + ", 1) = 'x'"
                    + " THEN 'y' ELSE 'x' END from " + at + " for 1)");
        }
        for (String damage : damages) {
            TestDatabase.execute("UPDATE " + snapshots + " " + damage + " WHERE model = 'fraud' AND change = 8");
            assertFalse(List.of(original[0], original[1]).equals(List.of(snapshotRow(schema, "fraud", 8))), damage);
            PostgresModelStore cold = open(schema, 8);
            assertEquals(written, Histories.observe(cold), damage);
            PostgresFsckReport report = cold.fsck();
            assertEquals(1, report.verify().problems().size(), damage + ": " + report.verify().problems());
            assertEquals(1, report.deletedSnapshots().size(), damage);
            PostgresFsckReport.DeletedSnapshot deleted = report.deletedSnapshots().get(0);
            assertEquals("fraud", deleted.model());
            assertEquals(8, deleted.change());
            assertTrue(deleted.problem().startsWith("snapshot 8 of model fraud in " + snapshots), deleted.problem());
            assertEquals(List.of(), report.unrepaired());
            assertEquals(List.of(), snapshotChanges(schema, "fraud"));
            assertTrue(cold.verify().ok(), "deleted, nothing is left to find");
            putSnapshotRow(schema, "fraud", 8, original[0], original[1]);
        }
        assertTrue(open(schema, 8).verify().ok(), "restored, it matches again");
    }

    /** The reasons verify gives: the digest, the document's own field, a different state. */
    @Test
    void verify_namesWhatIsWrongWithASnapshot() throws SQLException {
        String schema = schema();
        Histories.populate(open(schema, 8));
        String snapshots = table(schema, "snapshots");
        String[] original = snapshotRow(schema, "fraud", 8);
        TestDatabase.execute("UPDATE " + snapshots + " SET document = replace(document, 'gradient boosted',"
                + " 'gradient boosten')");
        assertTrue(open(schema, 8).verify().problems().get(0).contains("but the row records \"" + original[1]
                + "\": the row was damaged or edited after it was written"));
        TestDatabase.execute("UPDATE " + snapshots + " SET document = replace(document, '\"highest\" : 2',"
                + " '\"highest\" : -2')");
        String problem = open(schema, 8).verify().problems().get(0);
        assertTrue(problem.startsWith("snapshot 8 of model fraud in " + snapshots + ": at /highest: "), problem);
    }

    /** A well-formed snapshot with the right digest but another state is believed on read; verify and fsck find it. */
    @Test
    void aForgedSnapshot_isReportedByVerify_deletedByFsck_andTheStoreThatLoadedItReloads() throws SQLException {
        String schema = schema();
        Histories.populate(open(schema, 3));
        Histories.Observed written = Histories.observe(open(schema, 3));
        ModelLedger.State real = SnapshotCodec.read("snapshot", snapshotRow(schema, "fraud", 9)[0], "fraud", 9).state();
        assertEquals(1, real.tombstones().size(), "version 2 was deleted by change 9");
        forge(schema, 9, new ModelLedger.State(real.model(), real.highest(), real.deleted(), real.description(),
                real.tags(), real.revision(), real.createdAt(), real.updatedAt(), real.live(), real.targets(),
                real.history(), List.of()));

        PostgresModelStore cold = open(schema, 3);
        assertEquals(List.of(), cold.tombstones("fraud"), "change 10 follows from the forged state: it is believed");
        VerifyReport report = cold.verify();
        assertEquals(List.of("snapshot 9 of model fraud in " + table(schema, "snapshots") + " differs from the state"
                + " the replay of changes 1 to 9 in " + table(schema, "changes") + " gives"), report.problems());
        PostgresFsckReport fsck = cold.fsck();
        assertEquals(report.problems(), fsck.verify().problems());
        assertEquals(List.of(new PostgresFsckReport.DeletedSnapshot("fraud", 9, report.problems().get(0))),
                fsck.deletedSnapshots());
        assertTrue(fsck.summary().endsWith("1 problems; deleted 1 snapshots; 0 problems left"), fsck.summary());
        assertEquals(written, Histories.observe(cold), "this store reloads the model it had loaded from the forgery");
        assertEquals(List.of(6L), snapshotChanges(schema, "fraud"));
        assertTrue(cold.fsck().clean());
    }

    /** A forged snapshot that the change rows after it do not follow is skipped for the older one. */
    @Test
    void aSnapshotThatTheNextChangesDoNotFollow_isSkippedForAnOlderOne() throws SQLException {
        String schema = schema();
        Histories.populate(open(schema, 3));
        Histories.Observed written = Histories.observe(open(schema, 3));
        forge(schema, 9, new ModelLedger("fraud").snapshot()); // change 10 annotates a model this state has not
        assertEquals(written, Histories.observe(open(schema, 3)), "loaded from snapshot 6 and changes 7 to 10");
        forge(schema, 6, new ModelLedger("fraud").snapshot()); // change 7 moves an alias to a version it lacks
        assertEquals(written, Histories.observe(open(schema, 3)), "a full replay");
        PostgresFsckReport report = open(schema, 3).fsck();
        assertEquals(List.of(6L, 9L), report.deletedSnapshots().stream().map(PostgresFsckReport.DeletedSnapshot::change)
                .toList());
    }

    @Test
    void aWriteAtASnapshotPoint_whoseSnapshotCannotBeSaved_commitsWithoutIt() throws SQLException {
        String schema = schema();
        open(schema, 1);
        String role = "app_" + schema;
        TestDatabase.execute("CREATE ROLE " + role + " LOGIN");
        try {
            TestDatabase.execute("GRANT USAGE ON SCHEMA \"" + schema + "\" TO " + role);
            TestDatabase.execute("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA \"" + schema + "\" TO " + role);
            TestDatabase.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA \"" + schema + "\" TO " + role);
            try (PostgresModelStore app = PostgresModelStore.builder(TestDatabase.dataSourceAs(role)).schema(schema)
                    .snapshotEvery(1).build()) {
                for (int i = 1; i <= 3; i++) {
                    assertEquals(i, app.register(NewVersion.builder("m").artifact(new byte[] {(byte) i}).build())
                            .version());
                }
                assertEquals(List.of(), snapshotChanges(schema, "m"),
                        "no DELETE privilege: each snapshot's statements were rolled back to their savepoint");
                TestDatabase.execute("GRANT DELETE ON " + table(schema, "snapshots") + " TO " + role);
                app.setAlias("m", "champion", 3, AliasExpect.absent());
                assertEquals(List.of(4L), snapshotChanges(schema, "m"));
            }
            PostgresModelStore cold = open(schema, 1);
            assertEquals(3, cold.get(ModelRef.alias("m", "champion")).version());
            assertTrue(cold.verify().ok(), cold.verify().problems().toString());
        } finally {
            TestDatabase.execute("DROP OWNED BY " + role);
            TestDatabase.execute("DROP ROLE " + role);
        }
    }

    @Test
    void aDatabaseAtTheSchemaVersionBefore_gainsTheSnapshotTable_andItsModelsLoadAndSnapshotOnward()
            throws SQLException {
        int before = Migrations.CURRENT - 1;
        String fresh = schema();
        Migrations.migrate(TestDatabase.dataSource(), new Tables(Optional.of(fresh), "mlops_"), before);
        assertEquals(0, count("SELECT count(*) FROM pg_tables WHERE schemaname = '" + fresh
                + "' AND tablename = 'mlops_snapshots'"), "the library before made no snapshot table");
        Histories.populate(open(fresh, 3));
        assertEquals(Migrations.CURRENT, count("SELECT max(version) FROM " + table(fresh, "schema_version")));
        assertEquals(List.of(6L, 9L), snapshotChanges(fresh, "fraud"));

        // a database the library before wrote to: the same rows, but no snapshots and no snapshot table
        String schema = schema();
        Histories.populate(open(schema, 3));
        Histories.Observed written = Histories.observe(open(schema, 3));
        TestDatabase.execute("DROP TABLE " + table(schema, "snapshots"));
        TestDatabase.execute("DELETE FROM " + table(schema, "schema_version") + " WHERE version > " + before);
        PostgresModelStore migrated = open(schema, 3);
        assertEquals(Migrations.CURRENT, count("SELECT max(version) FROM " + table(schema, "schema_version")));
        assertEquals(Migrations.CURRENT, count("SELECT count(*) FROM " + table(schema, "schema_version")));
        assertEquals(written, Histories.observe(migrated), "a full replay, as the library before did");
        assertEquals(List.of(), snapshotChanges(schema, "fraud"));
        migrated.register(NewVersion.builder("fraud").artifact(new byte[] {3}).build());
        migrated.setAlias("fraud", "champion", 3, AliasExpect.current(1));
        assertEquals(List.of(12L), snapshotChanges(schema, "fraud"), "the next snapshot point after the migration");
        assertEquals(Histories.observe(migrated), Histories.observe(open(schema, 3)));
        assertTrue(migrated.verify().ok(), migrated.verify().problems().toString());
    }

    /**
     * Random histories of two models with snapshots every 1 to 5 changes, written by one store and then by
     * it and a second one that loaded the models from their snapshots midway: a third store loading them
     * cold answers as both writers, and as a full replay, and verify finds every snapshot equal to the replay.
     */
    @Property(tries = 10)
    void coldLoadsEqualTheWritersAndAFullReplay(@ForAll @IntRange(min = 1, max = 5) int every,
            @ForAll @IntRange(min = 1, max = 40) int operations, @ForAll long seed) {
        String schema = TestDatabase.freshSchema();
        try {
            Random random = new Random(seed);
            InstantSource clock = Histories.clock();
            Histories.Observed written;
            try (PostgresModelStore first = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                    .clock(clock).snapshotEvery(every).build()) {
                int i = 0;
                for (; i < operations / 2; i++) {
                    Histories.randomWrite(first, random.nextInt(3) == 0 ? "fraud-base" : "fraud", random, i);
                }
                try (PostgresModelStore second = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                        .clock(clock).snapshotEvery(every).build()) {
                    for (; i < operations; i++) {
                        Histories.randomWrite(random.nextBoolean() ? first : second,
                                random.nextInt(3) == 0 ? "fraud-base" : "fraud", random, i);
                    }
                    written = Histories.observe(first);
                    assertEquals(written, Histories.observe(second));
                }
            }
            try (PostgresModelStore cold = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build()) {
                assertEquals(written, Histories.observe(cold));
                PostgresFsckReport report = cold.fsck();
                assertTrue(report.clean(), report.verify().problems().toString());
            }
            TestDatabase.execute("DELETE FROM " + table(schema, "snapshots"));
            try (PostgresModelStore replayed = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                    .build()) {
                assertEquals(written, Histories.observe(replayed));
            }
        } finally {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void snapshotEvery_isCheckedAndSetOnce() {
        assertThrows(IllegalArgumentException.class,
                () -> PostgresModelStore.builder(TestDatabase.dataSource()).snapshotEvery(0));
        assertThrows(IllegalStateException.class,
                () -> PostgresModelStore.builder(TestDatabase.dataSource()).snapshotEvery(3).snapshotEvery(4));
        assertEquals(SnapshotCodec.DEFAULT_EVERY, PostgresModelStore.DEFAULT_SNAPSHOT_EVERY);
    }
}
