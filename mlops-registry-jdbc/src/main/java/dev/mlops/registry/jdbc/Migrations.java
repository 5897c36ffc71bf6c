package dev.mlops.registry.jdbc;

import dev.mlops.core.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * The store's schema, as numbered migrations: each store opened on a database brings the tables up to
 * {@link #CURRENT}, in one transaction under an advisory lock (so that hosts starting at once migrate
 * once), and records each migration applied in the schema-version table. A database whose schema is
 * newer than this library knows is refused, never written to.
 */
final class Migrations {
    /** The schema version this library creates, reads and writes. */
    static final int CURRENT = 1;

    private Migrations() {
    }

    /** The statements of migration {@code version}: the tables of schema version 1. */
    private static List<String> statements(int version, Tables t) {
        if (version != 1) {
            throw new IllegalArgumentException("no migration " + version);
        }
        return List.of(
                // one row per model: its writers lock it (SELECT ... FOR UPDATE), readers compare last_change
                "CREATE TABLE " + t.models + " (name text PRIMARY KEY, last_change bigint NOT NULL"
                        + " CHECK (last_change >= 0))",
                // the model's change log: change 1..last_change, each the ChangeCodec document of one change
                "CREATE TABLE " + t.changes + " (model text NOT NULL REFERENCES " + t.models + " (name),"
                        + " number bigint NOT NULL CHECK (number >= 1), kind text NOT NULL, document text NOT NULL,"
                        + " committed_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (model, number))",
                // the store-wide event sequence: one row, incremented by each change's transaction, so gap-free
                "CREATE TABLE " + t.eventCounter + " (id int PRIMARY KEY CHECK (id = 1),"
                        + " last_sequence bigint NOT NULL CHECK (last_sequence >= 0))",
                "INSERT INTO " + t.eventCounter + " (id, last_sequence) VALUES (1, 0)",
                "CREATE TABLE " + t.events + " (sequence bigint PRIMARY KEY CHECK (sequence >= 1),"
                        + " model text NOT NULL, change bigint NOT NULL, document text NOT NULL,"
                        + " FOREIGN KEY (model, change) REFERENCES " + t.changes + " (model, number))",
                // artifacts: content-addressed, their bytes in 1 MiB chunks of a blob numbered while streaming
                "CREATE SEQUENCE " + t.blobIds,
                "CREATE TABLE " + t.artifacts + " (digest char(64) PRIMARY KEY, blob bigint NOT NULL UNIQUE,"
                        + " size bigint NOT NULL CHECK (size >= 0), stored_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE " + t.artifactChunks + " (blob bigint NOT NULL, chunk int NOT NULL CHECK (chunk >= 0),"
                        + " data bytea NOT NULL, PRIMARY KEY (blob, chunk))",
                // model files rarely compress: store chunks out of line without trying
                "ALTER TABLE " + t.artifactChunks + " ALTER COLUMN data SET STORAGE EXTERNAL");
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Creates the tables, or migrates them to {@link #CURRENT}.
     *
     * @return the schema version found before migrating (0 for none)
     * @throws StoreException when the schema is newer than this library, or the database fails
     */
    static int migrate(DataSource dataSource, Tables t) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "mlops registry migration " + t.describe());
                    lock.execute();
                }
                // created only when missing: a user allowed to read and write the tables but not to create
                // anything (CREATE ... IF NOT EXISTS checks that privilege first) opens a migrated store
                if (t.schema.isPresent() && !exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?", t.schema.get())) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE SCHEMA IF NOT EXISTS " + t.quotedSchema().get());
                    }
                }
                if (!exists(c, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", t.schemaVersion)) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE " + t.schemaVersion + " (version int PRIMARY KEY,"
                                + " applied_at timestamptz NOT NULL DEFAULT now())");
                    }
                }
                int found = 0;
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM " + t.schemaVersion)) {
                    rs.next();
                    found = rs.getInt(1);
                }
                if (found > CURRENT) {
                    throw new StoreException("the model store's tables (" + t.describe() + ") are at schema version "
                            + found + ", newer than version " + CURRENT + ", the newest this library knows; use a"
                            + " newer mlops-registry-jdbc, or another schema or table prefix");
                }
                for (int v = found + 1; v <= CURRENT; v++) {
                    try (Statement s = c.createStatement()) {
                        for (String sql : statements(v, t)) {
                            s.execute(sql);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.schemaVersion
                            + " (version) VALUES (?)")) {
                        ps.setInt(1, v);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true); // as the pool lent it
            }
        } catch (SQLException e) {
            throw SqlFailures.store("creating or migrating the model store's tables (" + t.describe() + ")", e);
        }
    }
}
