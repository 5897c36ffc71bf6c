package dev.mlops.registry.jdbc;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.internal.SnapshotCodec;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model store's snapshots, rows of {@link Tables#snapshots}: a model's whole state right after one of
 * its changes, as the filesystem store's snapshot files hold it ({@code mlops.registry.snapshot} v1,
 * {@link SnapshotCodec}), with the SHA-256 of the document's UTF-8 bytes in place of the file's seal. A
 * cache, so that a store loads a model from its newest snapshot and the few change rows after it: the
 * change rows stay authoritative. Stateless apart from its settings; thread-safe.
 */
final class Snapshots {
    /** Logged under the store's name: a user configures one logger for the store. */
    private static final Logger LOG = LoggerFactory.getLogger(PostgresModelStore.class);

    private final Tables t;
    private final int every;

    /**
     * @param t the tables
     * @param every a snapshot after every this many changes of a model, further apart as it grows
     *     ({@link SnapshotCodec#interval})
     */
    Snapshots(Tables t, int every) {
        this.t = t;
        this.every = every;
    }

    /**
     * A snapshot row as read.
     *
     * @param model the model
     * @param change the change after which it holds
     * @param document the snapshot document
     * @param sha256 the digest its row records
     */
    record Row(String model, long change, String document, String sha256) {
    }

    /** @return the row's name, for messages: {@code snapshot 64 of model fraud in "mlops_snapshots"} */
    String row(String model, long change) {
        return "snapshot " + change + " of model " + model + " in " + t.snapshots;
    }

    /**
     * Saves the model's state after its change {@code change}, when a snapshot is due there, and deletes the
     * model's snapshots but the newest two; call in the writer's transaction, after the change's row is
     * inserted and applied to {@code ledger}, so that a snapshot commits exactly with its change. Under a
     * savepoint: a statement that fails (a role without {@code DELETE} on the table, say) is rolled back to
     * it and logged, and the change commits without its snapshot, since the change rows hold everything.
     *
     * @throws SQLException when rolling back to the savepoint fails too: the transaction is lost
     */
    void saveIfDue(Connection c, String model, long change, ModelLedger ledger) throws SQLException {
        if (!SnapshotCodec.due(change, every)) {
            return;
        }
        byte[] bytes = SnapshotCodec.write(change, ledger.snapshot());
        if (bytes.length > SnapshotCodec.MAX_BYTES) {
            LOG.warn("model {} is too big for a snapshot ({} bytes); it loads from its change rows", model, bytes.length);
            return;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            // a row already there can only be a stray (its change was not committed when it was written):
            // this writer holds the model's row lock and the true state after the change
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.snapshots
                    + " (model, change, document, sha256) VALUES (?, ?, ?, ?) ON CONFLICT (model, change)"
                    + " DO UPDATE SET document = excluded.document, sha256 = excluded.sha256, written_at = now()")) {
                ps.setString(1, model);
                ps.setLong(2, change);
                ps.setString(3, new String(bytes, StandardCharsets.UTF_8));
                ps.setString(4, Sha256.of(bytes).hex());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.snapshots + " WHERE model = ? AND change <"
                    + " (SELECT min(change) FROM (SELECT change FROM " + t.snapshots + " WHERE model = ?"
                    + " ORDER BY change DESC LIMIT 2) newest)")) {
                ps.setString(1, model);
                ps.setString(2, model);
                ps.executeUpdate();
            }
            c.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            try {
                c.rollback(savepoint);
            } catch (SQLException lost) {
                e.addSuppressed(lost);
                throw e;
            }
            LOG.warn("saving {} failed{}; the change commits without it, and the model loads from an older snapshot"
                    + " or its change rows", row(model, change), SqlFailures.describe(e));
        }
    }

    /**
     * The newest snapshot of the model before {@code before} whose change row exists, read in one statement
     * (so that the row and the check of its change see one state of the database).
     *
     * @param before a change number; {@link Long#MAX_VALUE} for the newest snapshot
     * @return the row, or empty when there is none
     */
    Optional<Row> newest(Connection c, String model, long before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT s.change, s.document, s.sha256 FROM " + t.snapshots
                + " s WHERE s.model = ? AND s.change < ? AND EXISTS (SELECT 1 FROM " + t.changes + " c"
                + " WHERE c.model = s.model AND c.number = s.change) ORDER BY s.change DESC LIMIT 1")) {
            ps.setString(1, model);
            ps.setLong(2, before);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Row(model, rs.getLong(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /** @return the model's snapshot after change {@code change}, or empty when there is none */
    Optional<Row> read(Connection c, String model, long change) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT document, sha256 FROM " + t.snapshots
                + " WHERE model = ? AND change = ?")) {
            ps.setString(1, model);
            ps.setLong(2, change);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Row(model, change, rs.getString(1), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Reads a row's document, then checks it against the digest its row records (so that a hand-edited field
     * is named by its path when it no longer reads).
     *
     * @return the state it holds and the ledger restored from it
     * @throws InvalidFormatException naming the row, when the document cannot be read, is not the state
     *     of a model after that change (its parts do not fit), or its bytes are not those written
     */
    SnapshotCodec.Loaded decode(Row r) {
        String name = row(r.model(), r.change());
        SnapshotCodec.Loaded loaded;
        try {
            loaded = SnapshotCodec.read(name, r.document(), r.model(), r.change());
        } catch (InvalidFormatException e) {
            throw e;
        } catch (MlopsException | IllegalArgumentException e) {
            throw new InvalidFormatException(name, "", -1, "not the state of a model: " + e.getMessage());
        }
        String actual = Sha256.ofUtf8(r.document()).hex();
        if (!actual.equals(r.sha256())) {
            throw new InvalidFormatException(name, "", -1, "its document's UTF-8 bytes have SHA-256 " + actual
                    + ", but the row records " + Names.quote(r.sha256()) + ": the row was damaged or edited after it"
                    + " was written");
        }
        return loaded;
    }

    /** @return every snapshot row's model and change, with the digest it records, by model then change */
    Map<String, NavigableMap<Long, String>> all(Connection c) throws SQLException {
        Map<String, NavigableMap<Long, String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model, change, sha256 FROM " + t.snapshots
                + " ORDER BY model, change")) {
            ps.setFetchSize(256);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), m -> new TreeMap<>()).put(rs.getLong(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    /**
     * Deletes a snapshot row, if it still records the digest it was judged by (a writer may have rewritten
     * it since).
     *
     * @return whether it was deleted
     */
    boolean delete(Connection c, String model, long change, String sha256) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.snapshots
                + " WHERE model = ? AND change = ? AND sha256 = ?")) {
            ps.setString(1, model);
            ps.setLong(2, change);
            ps.setString(3, sha256);
            return ps.executeUpdate() == 1;
        }
    }
}
