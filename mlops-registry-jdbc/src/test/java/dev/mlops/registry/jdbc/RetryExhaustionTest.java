package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL itself aborts every attempt of a write: a trigger on the table the write inserts into
 * (the store's change rows, the audit log's record rows) raises a serialization failure (40001) or a
 * deadlock (40P01) each time, after taking a number from a sequence, which a rollback does not give back,
 * so that the test counts the attempts. The store and the log run the transaction exactly
 * {@link PostgresModelStore#MAX_ATTEMPTS} times, then fail with {@link ConcurrentUpdateException}; nothing
 * of it is visible afterwards, to the writer or to a fresh one, the numbering goes on densely once the
 * trigger is dropped, and the exception's message, which quotes the database's, carries neither the URL
 * nor the password that the database's message held.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RetryExhaustionTest {
    /** In the database's message and detail: what redaction must cut out of the exception. */
    private static final String SECRET = "hunter2";
    private static final String URL_SECRET = "s3cret-in-url";

    private final String schema = TestDatabase.freshSchema();

    @AfterEach
    void drop() {
        TestDatabase.dropSchema(schema);
    }

    private String table(String name) {
        return "\"" + schema + "\".\"mlops_" + name + "\"";
    }

    /**
     * Makes every insert into {@code table} fail with {@code sqlState}, each attempt counted by the
     * sequence {@code attempts}.
     */
    private void abortEveryInsertInto(String table, String sqlState) {
        TestDatabase.execute("CREATE SEQUENCE \"" + schema + "\".attempts");
        TestDatabase.execute("CREATE FUNCTION \"" + schema + "\".abort_always() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN"
                + "   PERFORM nextval('\"" + schema + "\".attempts');"
                + "   RAISE EXCEPTION 'aborted by the test; reconnect to jdbc:postgresql://admin:" + URL_SECRET
                + "@db.internal:5432/registry?password=" + SECRET + "'"
                + "     USING ERRCODE = TG_ARGV[0], DETAIL = 'password=" + SECRET + "';"
                + " END $$");
        TestDatabase.execute("CREATE TRIGGER abort_always BEFORE INSERT ON " + table(table)
                + " FOR EACH ROW EXECUTE FUNCTION \"" + schema + "\".abort_always('" + sqlState + "')");
    }

    private void stopAborting(String table) {
        TestDatabase.execute("DROP TRIGGER abort_always ON " + table(table));
    }

    /** @return how many attempts reached the trigger */
    private long attempts() throws SQLException {
        return query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM \"" + schema + "\".attempts");
    }

    private static long query(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private long count(String table) throws SQLException {
        return query("SELECT count(*) FROM " + table(table));
    }

    private static void assertAbortedExactly(ConcurrentUpdateException e, String sqlState, String what) {
        String m = e.getMessage();
        assertTrue(m.startsWith(what), m);
        assertTrue(m.contains("aborted by the database " + PostgresModelStore.MAX_ATTEMPTS + " times"), m);
        assertTrue(m.contains("(SQLState " + sqlState + ")"), "names the SQLState: " + m);
        assertTrue(m.contains("aborted by the test"), "quotes the database's message: " + m);
        assertTrue(m.endsWith("nothing was written"), m);
        assertFalse(m.contains(SECRET), "the password is cut out: " + m);
        assertFalse(m.contains(URL_SECRET), "the URL is cut out: " + m);
        assertFalse(m.contains("db.internal"), "the URL is cut out: " + m);
        assertNull(e.getCause(), "no driver exception, whose text is not redacted, rides along");
    }

    private static NewVersion version(String content) {
        return NewVersion.builder("m").artifact(content.getBytes(StandardCharsets.UTF_8)).build();
    }

    @ParameterizedTest(name = "SQLState {0}")
    @ValueSource(strings = {SqlFailures.SERIALIZATION_FAILURE, SqlFailures.DEADLOCK})
    void aRegistrationAndAnAliasMoveAbortedEveryTime_areRunMaxAttemptsTimes_thenFail_leavingNothing(String sqlState)
            throws Exception {
        try (PostgresModelStore store = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build()) {
            store.register(version("one"));
            store.register(version("two"));
            AliasMove first = store.setAlias("m", "champion", 1, AliasExpect.absent());
            List<Long> rowsBefore = List.of(count("changes"), count("events"), count("models"));
            abortEveryInsertInto("changes", sqlState);

            ConcurrentUpdateException registering = assertThrows(ConcurrentUpdateException.class,
                    () -> store.register(version("three")));
            assertEquals(PostgresModelStore.MAX_ATTEMPTS, attempts(), "attempts of the registration");
            assertAbortedExactly(registering, sqlState, "writing to model m was aborted");

            ConcurrentUpdateException moving = assertThrows(ConcurrentUpdateException.class,
                    () -> store.setAlias("m", "champion", 2, AliasExpect.current(1)));
            assertEquals(2L * PostgresModelStore.MAX_ATTEMPTS, attempts(), "attempts of the registration and the move");
            assertAbortedExactly(moving, sqlState, "writing to model m was aborted");

            // a model the registration would have created is not created either
            assertThrows(ConcurrentUpdateException.class, () -> store.register(NewVersion.builder("new-model")
                    .artifact(new byte[] {7}).build()));
            assertEquals(3L * PostgresModelStore.MAX_ATTEMPTS, attempts());

            assertEquals(rowsBefore, List.of(count("changes"), count("events"), count("models")),
                    "no change, event or model row was added");
            assertEquals(2, store.get(ModelRef.latest("m")).version(), "the writer sees no version added");
            assertEquals(1, store.get(ModelRef.alias("m", "champion")).version(), "nor the alias moved");
            assertEquals(List.of(first), store.aliasHistory("m", "champion"));
            try (PostgresModelStore fresh = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                    .build()) {
                assertEquals(2, fresh.get(ModelRef.latest("m")).version(), "a fresh store sees no version added");
                assertEquals(1, fresh.get(ModelRef.alias("m", "champion")).version());
                assertTrue(fresh.model("new-model").isEmpty());
                assertEquals(3, fresh.events(0, 100).size());
                VerifyReport report = fresh.verify();
                assertTrue(report.ok(), report.problems().toString());
            }
            // the artifacts were committed before the numbering began, as for any registration that fails
            // there: they stay, unreferenced (until a gc), and identical bytes registered later use them
            long artifacts = count("artifacts");
            assertEquals(4, artifacts, "one, two, and the two aborted registrations' artifacts");

            stopAborting("changes");
            ModelVersion three = store.register(version("three"));
            assertEquals(3, three.version(), "the next registration gets the next number");
            AliasMove second = store.setAlias("m", "champion", 3, AliasExpect.current(1));
            assertEquals(PostgresModelStore.MAX_ATTEMPTS * 3L, attempts(), "with the trigger gone, nothing aborts");
            assertEquals(artifacts, count("artifacts"), "the aborted registration's artifact was used");
            List<ModelStoreEvent> events = store.events(0, 100);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), events.stream().map(ModelStoreEvent::sequence).toList(),
                    "the event sequence stays dense");
            assertEquals(List.of(first, second), store.aliasHistory("m", "champion"));
            VerifyReport report = store.verify();
            assertTrue(report.ok(), report.problems().toString());
            assertEquals(5, report.changes());
        }
    }

    @ParameterizedTest(name = "SQLState {0}")
    @ValueSource(strings = {SqlFailures.SERIALIZATION_FAILURE, SqlFailures.DEADLOCK})
    void anAuditAppendAbortedEveryTime_isRunMaxAttemptsTimes_thenFails_leavingNothing(String sqlState)
            throws Exception {
        try (PostgresAuditLog log = PostgresAuditLog.builder(TestDatabase.newPool()).schema(schema).build()) {
            log.append(AuditEvent.of("alice", "model.register", "m:1"));
            log.append(AuditEvent.of("alice", "model.register", "m:2"));
            abortEveryInsertInto("audit_records", sqlState);

            ConcurrentUpdateException e = assertThrows(ConcurrentUpdateException.class,
                    () -> log.append(AuditEvent.of("bob", "model.delete", "m:1")));
            assertEquals(PostgresAuditLog.MAX_ATTEMPTS, attempts(), "attempts of the append");
            assertAbortedExactly(e, sqlState, "appending to the audit log (schema \"" + schema + "\", table prefix"
                    + " \"mlops_\") was aborted");

            assertEquals(2, count("audit_records"), "no record row was added");
            assertEquals(2, query("SELECT size FROM " + table("audit_head") + " WHERE id = 1"), "nor counted");
            assertEquals(2, log.size(), "the log holds two records");
            try (PostgresAuditLog fresh = PostgresAuditLog.builder(TestDatabase.dataSource()).schema(schema).build()) {
                assertEquals(2, fresh.size(), "a fresh log holds two records");
                AuditVerification v = fresh.verify();
                assertTrue(v.ok(), v.toString());
            }

            stopAborting("audit_records");
            AuditRecord next = log.append(AuditEvent.of("bob", "model.delete", "m:1"));
            assertEquals(2, next.index(), "the next record gets the next index");
            assertEquals(PostgresAuditLog.MAX_ATTEMPTS, attempts(), "with the trigger gone, nothing aborts");
            assertEquals(List.of(next), log.read(2, 10));
            AuditVerification v = log.verify();
            assertTrue(v.ok(), v.toString());
            assertEquals(3, log.size());
        }
    }
}
