package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.PageRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real deadlock, made by another connection that locks the store's event counter and then the
 * model's row while a registration holds the row and waits for the counter: PostgreSQL aborts the
 * registration's transaction (SQLState 40P01, its session's one-second {@code deadlock_timeout} runs
 * out first), and the store runs it again, so the caller gets the next dense version and nothing is
 * written twice.
 */
class DeadlockRetryTest {

    @Test
    void aRegistrationAbortedAsADeadlockVictim_isRunAgain_andNumberedOnce() throws Exception {
        String schema = TestDatabase.freshSchema();
        Tables t = new Tables(Optional.of(schema), "mlops_");
        try (PostgresModelStore store = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build();
                Connection other = TestDatabase.newPool().getConnection()) {
            store.register(NewVersion.builder("m").artifact(new byte[] {1}).build());
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("SET LOCAL deadlock_timeout = '30s'");   // so that the store's session is the victim
                s.executeQuery("SELECT last_sequence FROM " + t.eventCounter + " WHERE id = 1 FOR UPDATE").close();
            }
            CompletableFuture<ModelVersion> registration = CompletableFuture.supplyAsync(
                    () -> store.register(NewVersion.builder("m").artifact(new byte[] {2}).build()));
            awaitWaitingOnALock(other);
            try (PreparedStatement ps = other.prepareStatement("SELECT last_change FROM " + t.models
                    + " WHERE name = ? FOR UPDATE")) {
                ps.setString(1, "m");
                ps.executeQuery().close();   // granted once PostgreSQL aborts the registration's transaction
            }
            other.commit();
            ModelVersion v = registration.get(30, TimeUnit.SECONDS);
            assertEquals(2, v.version());
            assertEquals(java.util.List.of(1L, 2L), store.versions("m", PageRequest.first(100)).items().stream()
                    .map(ModelVersion::version).sorted().toList());
            VerifyReport report = store.verify();
            assertTrue(report.ok(), report.toString());
        }
    }

    /** Waits until some other backend waits for a lock: the registration, blocked on the counter row. */
    private static void awaitWaitingOnALock(Connection self) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE"
                        + " wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "the registration never waited for the counter's lock");
                Thread.sleep(10);
            }
        }
    }
}
