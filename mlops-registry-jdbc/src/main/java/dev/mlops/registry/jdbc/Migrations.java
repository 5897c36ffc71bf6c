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
 * The module's schema, as numbered migrations, one list for the store and the audit log so that both
 * can share a schema and prefix: each store or log opened on a database brings the tables up to
 * {@link #CURRENT}, in one transaction under an advisory lock (so that hosts starting at once migrate
 * once), and records each migration applied in the schema-version table. A database whose schema is
 * newer than this library knows is refused, never written to. Migrations only add: version 1 is the
 * model store's tables, version 2 the audit log's, version 3 the store's snapshots; a database at an
 * older version gains the later tables and keeps the others as they are.
 */
final class Migrations {
    /** The schema version this library creates, reads and writes. */
    static final int CURRENT = 3;

    private Migrations() {
    }

    /** The statements of migration {@code version}. */
    private static List<String> statements(int version, Tables t) {
        return switch (version) {
            case 1 -> storeTables(t);
            case 2 -> auditTables(t);
            case 3 -> snapshotTables(t);
            default -> throw new IllegalArgumentException("no migration " + version);
        };
    }

    /** Schema version 1: the model store's tables. */
    private static List<String> storeTables(Tables t) {
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

    /**
     * Schema version 2: the audit log's tables. Index names are left to PostgreSQL, so that no prefix can
     * make them too long.
     */
    private static List<String> auditTables(Tables t) {
        return List.of(
                // one row: appenders lock it (SELECT ... FOR UPDATE) to take the next index and the last time
                "CREATE TABLE " + t.auditHead + " (id int PRIMARY KEY CHECK (id = 1),"
                        + " size bigint NOT NULL CHECK (size >= 0), last_second bigint, last_nano int,"
                        + " CHECK ((last_second IS NULL) = (last_nano IS NULL)))",
                "INSERT INTO " + t.auditHead + " (id, size) VALUES (1, 0)",
                // one row per record: its canonical bytes (the Merkle leaf), their leaf hash, and the fields
                // queries select on, copied out of the bytes
                "CREATE TABLE " + t.auditRecords + " (idx bigint PRIMARY KEY CHECK (idx >= 0),"
                        + " record bytea NOT NULL, leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),"
                        + " actor text NOT NULL, action text NOT NULL, target text NOT NULL,"
                        + " outcome text NOT NULL CHECK (outcome IN ('ALLOWED', 'DENIED', 'FAILED')),"
                        + " at_second bigint NOT NULL, at_nano int NOT NULL CHECK (at_nano BETWEEN 0 AND 999999999),"
                        + " committed_at timestamptz NOT NULL DEFAULT now())",
                "CREATE INDEX ON " + t.auditRecords + " (actor, idx)",
                "CREATE INDEX ON " + t.auditRecords + " (action, idx)",
                "CREATE INDEX ON " + t.auditRecords + " (target, idx)",
                "CREATE INDEX ON " + t.auditRecords + " (outcome, idx)",
                "CREATE INDEX ON " + t.auditRecords + " (at_second, at_nano)");
    }

    /**
     * Schema version 3: the model store's snapshots, each the {@code mlops.registry.snapshot} document of a
     * model's whole state right after one of its changes, and the SHA-256 (hex) of its UTF-8 bytes, so that
     * a damaged or edited row is found when it is read. A cache: the change rows stay authoritative.
     */
    private static List<String> snapshotTables(Tables t) {
        return List.of(
                "CREATE TABLE " + t.snapshots + " (model text NOT NULL, change bigint NOT NULL,"
                        + " document text NOT NULL, sha256 char(64) NOT NULL,"
                        + " written_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (model, change),"
                        + " FOREIGN KEY (model, change) REFERENCES " + t.changes + " (model, number))");
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
        return migrate(dataSource, t, CURRENT, true);
    }

    /**
     * Migrates the tables to {@link #CURRENT}, creating them only when {@code create} is set.
     *
     * @param create whether missing tables (or a missing schema) are created; when not, they are refused
     *     with a {@link StoreException} naming the schema and prefix, and nothing is created
     * @return the schema version found before migrating (0 for none)
     * @throws StoreException when the tables are missing and not to be created, the schema is newer than
     *     this library, or the database fails
     */
    static int migrate(DataSource dataSource, Tables t, boolean create) {
        return migrate(dataSource, t, CURRENT, create);
    }

    /**
     * Creates the tables, or migrates them to {@code target}: for tests that make a database as an older
     * version of this library left it.
     *
     * @param target the version to migrate to, 1 to {@link #CURRENT}
     * @return the schema version found before migrating (0 for none)
     * @throws StoreException when the schema is newer than this library, or the database fails
     */
    static int migrate(DataSource dataSource, Tables t, int target) {
        return migrate(dataSource, t, target, true);
    }

    private static int migrate(DataSource dataSource, Tables t, int target, boolean create) {
        if (target < 1 || target > CURRENT) {
            throw new IllegalArgumentException("target must be 1 to " + CURRENT + ", was " + target);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "mlops registry migration " + t.describe());
                    lock.execute();
                }
                if (!create && ((t.schema.isPresent() && !exists(c, "SELECT 1 FROM pg_namespace WHERE nspname = ?",
                        t.schema.get())) || !exists(c, "SELECT 1 WHERE to_regclass(?) IS NOT NULL", t.schemaVersion))) {
                    throw new StoreException("no mlops tables (" + t.describe() + ") in this database, and the store"
                            + " may not create them: check the schema and the table prefix");
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
                    throw new StoreException("the mlops tables (" + t.describe() + ") are at schema version "
                            + found + ", newer than version " + CURRENT + ", the newest this library knows; use a"
                            + " newer mlops-registry-jdbc, or another schema or table prefix");
                }
                for (int v = found + 1; v <= target; v++) {
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
            throw SqlFailures.store((create ? "creating or migrating" : "opening") + " the mlops tables ("
                    + t.describe() + ")", e);
        }
    }
}
