package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.StoreException;
import dev.mlops.core.registry.ModelArtifact;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A registration whose database connection is killed under it ({@code pg_terminate_backend}, as a
 * failover or a network cut does): while it streams the artifact, and while it waits for the model's row
 * lock to number the version. Each fails with a {@link StoreException} that says what was being done and
 * why, leaves nothing half-visible (no version, no event; no chunk rows when the artifact was streaming,
 * while an artifact committed before the numbering began stays, unreferenced), and the next registration
 * gets the next number.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LostConnectionTest {
    private String schema;
    private PostgresModelStore store;
    private final ExecutorService registering = Executors.newSingleThreadExecutor();

    @BeforeEach
    void open() {
        schema = TestDatabase.freshSchema();
        // a pool of its own, as the host whose connection is lost has
        store = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build();
        store.register(version("one"));
        store.register(version("two"));
    }

    @AfterEach
    void close() {
        registering.shutdownNow();
        store.close();
        TestDatabase.dropSchema(schema);
    }

    private static NewVersion version(String content) {
        return NewVersion.builder("m").artifact(content.getBytes(StandardCharsets.UTF_8)).build();
    }

    private String table(String name) {
        return "\"" + schema + "\".\"mlops_" + name + "\"";
    }

    private long count(String table) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table(table))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Rows of the store's tables that a registration adds. */
    private List<Long> rows() throws SQLException {
        List<Long> out = new ArrayList<>();
        for (String table : List.of("changes", "events", "artifacts", "artifact_chunks")) {
            out.add(count(table));
        }
        return out;
    }

    /**
     * Waits for the one backend of another connection that matches {@code condition} (on
     * {@code pg_stat_activity}), terminates it, and waits until it is gone.
     */
    private static void terminate(String condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Integer> pids = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            while (pids.isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "no backend " + what + " appeared");
                try (PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE "
                        + condition + " AND pid <> pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pids.add(rs.getInt(1));
                    }
                }
                if (pids.isEmpty()) {
                    Thread.onSpinWait();
                }
            }
            assertEquals(1, pids.size(), "exactly one backend " + what + ": " + pids);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, pids.get(0));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertTrue(rs.getBoolean(1), "pg_terminate_backend(" + pids.get(0) + ")");
                }
            }
            for (boolean alive = true; alive; ) {
                assertTrue(System.nanoTime() < deadline, "backend " + pids.get(0) + " did not end");
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_stat_activity WHERE pid = ?")) {
                    ps.setInt(1, pids.get(0));
                    try (ResultSet rs = ps.executeQuery()) {
                        alive = rs.next();
                    }
                }
            }
        }
    }

    private StoreException failure(Future<ModelVersion> registration) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> registration.get(60, TimeUnit.SECONDS));
        return assertInstanceOf(StoreException.class, e.getCause(), "the registration fails with a StoreException");
    }

    /** After the failure: the store and a fresh one agree that nothing changed, and numbering goes on. */
    private void checkNothingHalfVisible(List<Long> rowsBefore, String content) throws Exception {
        assertEquals(2, store.get(ModelRef.latest("m")).version(), "no version was added");
        try (PostgresModelStore fresh = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build()) {
            assertEquals(2, fresh.get(ModelRef.latest("m")).version(), "a fresh store sees no version added");
            assertEquals(2, fresh.events(0, 100).size(), "no event was added");
            VerifyReport report = fresh.verify();
            assertTrue(report.ok(), report.problems().toString());
        }
        ModelVersion next = store.register(version(content));
        assertEquals(3, next.version(), "the next registration gets the next number");
        try (InputStream in = store.open(next.ref())) {
            assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        assertEquals(3, store.events(0, 100).size());
        assertTrue(store.verify().ok(), store.verify().problems().toString());
        assertEquals(next, store.verify(ModelRef.latest("m")));
    }

    @Test
    void connectionKilled_whileTheArtifactStreams_failsTheRegistration_leavingNoChunkRows() throws Exception {
        List<Long> before = rows();
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long blockAt = 2L * PostgresModelStore.CHUNK;
        InputStream artifact = new PausingStream(blockAt, 3L * PostgresModelStore.CHUNK + 7, reached, release);
        Future<ModelVersion> registration = registering.submit(() -> store.register(NewVersion.builder("m")
                .artifact(ModelArtifact.fromStream(() -> artifact)).build()));
        assertTrue(reached.await(60, TimeUnit.SECONDS), "the registration streamed two chunks");
        // its connection waits, in its transaction, for the third chunk
        terminate("state = 'idle in transaction' AND query LIKE '%" + table("artifact_chunks") + "%'",
                "streaming chunks into " + table("artifact_chunks"));
        release.countDown();

        StoreException e = failure(registration);
        assertTrue(e.getMessage().startsWith("storing the artifact of a new version of m in "), e.getMessage());
        assertTrue(e.getMessage().contains("SQLState 57P01") || e.getMessage().contains("SQLState 08006"),
                "says the connection was terminated: " + e.getMessage());
        assertEquals(before, rows(), "changes, events, artifacts and chunk rows as before");
        checkNothingHalfVisible(before, "three");
    }

    @Test
    void connectionKilled_whileWaitingToNumberTheVersion_failsTheRegistration_andUsesNoNumber() throws Exception {
        long changesBefore = count("changes");
        long eventsBefore = count("events");
        try (Connection holder = TestDatabase.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                // another host holds the model's row lock, as a writer does while it numbers
                s.executeQuery("SELECT last_change FROM " + table("models") + " WHERE name = 'm' FOR UPDATE").close();
            }
            Future<ModelVersion> registration = registering.submit(() -> store.register(version("waiting")));
            terminate("wait_event_type = 'Lock' AND query LIKE '%" + table("models") + "%'",
                    "waiting for the row lock of model m");
            StoreException e = failure(registration);
            assertTrue(e.getMessage().startsWith("writing to model m ("), e.getMessage());
            assertTrue(e.getMessage().contains("SQLState 57P01") || e.getMessage().contains("SQLState 08006"),
                    "says the connection was terminated: " + e.getMessage());
            holder.rollback();
            holder.setAutoCommit(true);
        }
        assertEquals(changesBefore, count("changes"));
        assertEquals(eventsBefore, count("events"));
        // its artifact was committed before numbering began: it stays, unreferenced, and is used again
        checkNothingHalfVisible(List.of(), "waiting");
    }

    @Test
    void connectionKilled_rightAfterTheCommit_listenersStillHearOtherHostsEventsBeforeTheirOwn() throws Exception {
        ConnectionKiller killer = new ConnectionKiller(TestDatabase.newPool(),
                "SELECT sequence, document FROM " + table("events") + " WHERE sequence > ? AND sequence <= ?");
        try (PostgresModelStore hostA = PostgresModelStore.builder(killer).schema(schema).build();
                PostgresModelStore hostB = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema).build()) {
            List<dev.mlops.core.registry.ModelStoreEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            hostA.subscribe(heard::add);
            hostB.register(version("from b")); // event 3, which host A has not heard yet
            killer.arm();
            // host A commits event 4, then its connection dies as it reads event 3 to tell its listeners
            ModelVersion v = hostA.register(version("from a"));
            assertEquals(4, v.version(), "the registration committed, and says so");
            assertTrue(killer.fired(), "the connection was killed after the commit");
            hostA.poll();
            assertEquals(List.of(3L, 4L), heard.stream().map(dev.mlops.core.registry.ModelStoreEvent::sequence).toList(),
                    "host A's listeners hear host B's event, then host A's own, once each");
            assertEquals(hostA.events(2, 10), heard);
        }
        assertTrue(store.verify().ok());
    }

    /**
     * {@code size} bytes of a fixed pattern that stop after {@code pauseAt} bytes until released: the
     * point at which the test kills the connection.
     */
    private static final class PausingStream extends InputStream {
        private final long pauseAt;
        private final long size;
        private final CountDownLatch reached;
        private final CountDownLatch release;
        private long position;

        PausingStream(long pauseAt, long size, CountDownLatch reached, CountDownLatch release) {
            this.pauseAt = pauseAt;
            this.size = size;
            this.reached = reached;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position == pauseAt) {
                reached.countDown();
                try {
                    if (!release.await(60, TimeUnit.SECONDS)) {
                        throw new IOException("the test never released the stream");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while paused", e);
                }
            }
            if (position == size) {
                return -1;
            }
            long end = position < pauseAt ? pauseAt : size;
            int n = (int) Math.min(len, end - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) ((position + i) * 31 + 7);
            }
            position += n;
            return n;
        }
    }

    /**
     * Connections from a pool, one of whose next query is refused in a real way: when armed, the first
     * statement prepared with {@code sql} finds its connection's backend terminated
     * ({@code pg_terminate_backend} from another connection), as a failover or a network cut would leave it.
     */
    private static final class ConnectionKiller implements javax.sql.DataSource {
        private final javax.sql.DataSource pool;
        private final String sql;
        private final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        private volatile boolean fired;

        ConnectionKiller(javax.sql.DataSource pool, String sql) {
            this.pool = pool;
            this.sql = sql;
        }

        void arm() {
            armed.set(true);
        }

        boolean fired() {
            return fired;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection target = pool.getConnection();
            return (Connection) java.lang.reflect.Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement") && args.length == 1 && ((String) args[0]).startsWith(sql)
                                && armed.compareAndSet(true, false)) {
                            int pid;
                            try (Statement st = target.createStatement();
                                    ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                                rs.next();
                                pid = rs.getInt(1);
                            }
                            terminate("pid = " + pid, "of the connection to kill");
                            fired = true;
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new java.sql.SQLFeatureNotSupportedException();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws java.sql.SQLFeatureNotSupportedException {
            throw new java.sql.SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
