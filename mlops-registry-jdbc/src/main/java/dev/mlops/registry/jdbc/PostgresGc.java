package dev.mlops.registry.jdbc;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.internal.ChangeCodec;
import dev.mlops.core.internal.ModelLedger;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.GcReport;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Retention;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PostgresModelStore#gc(Retention, boolean, ChangeNote)}: the filesystem store's collection, on the
 * store's tables. One collection, on the calling thread; not shared between threads.
 *
 * <p>The versions to delete are planned in one read-only snapshot, from every model's change log replayed
 * afresh (so a collection on one host never trusts another's cache), by the filesystem store's rules: the
 * newest N live versions of each model are kept, and so is every version an alias points at or would
 * return to by rollback, and every version a live version names as a lineage parent. Each is then deleted
 * through the store's own delete path (its transaction, tombstone, change row and event), refusing one
 * that an alias has reached meanwhile. The artifacts are planned in a second snapshot: those no live
 * version uses, stored more than an hour before (database time), which may belong to a registration in
 * progress otherwise.
 *
 * <p>Deleting an artifact races registrations on other hosts that are about to reference the same digest
 * (identical bytes are stored once, so a registration may find them stored and keep no copy of its own).
 * The two sides meet on the artifact's row:
 * <ul>
 *   <li>a registration's write transaction, under the model's row lock, takes {@code FOR KEY SHARE} on
 *       the row of the digest it references before it inserts its change; when the row is gone, the
 *       transaction rolls back and the registration stores its bytes again ({@link ArtifactCollected});</li>
 *   <li>a collection deletes in transactions at {@code READ COMMITTED} that first lock their artifact
 *       rows {@code FOR UPDATE} (in digest order, so that two collections never deadlock; the row is
 *       skipped if it was deleted or stored again meanwhile), then, in a statement whose snapshot is taken
 *       after the locks are granted, read every registration committed after the plan's snapshot (by
 *       event sequence, which is commit order) and keep each digest one of them references; only then
 *       delete the rows and their chunks, and commit.</li>
 * </ul>
 * So a registration that locked the row first commits before the collection's lock is granted, and the
 * collection sees its change; one that comes second waits for the collection to end and then finds the
 * row gone, or still there when the collection kept it or rolled back. A version whose artifact is
 * missing can never be committed either way. The collection locks no model row and the event counter
 * never, so it cannot deadlock with a registration, which takes those before the artifact's row.
 */
final class PostgresGc {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresGc.class);
    /** Artifacts deleted per transaction, so that a registration waits for a short transaction at most. */
    private static final int BATCH = 64;
    /** An artifact stored within this long before a collection is kept: a registration may be writing it. */
    static final String GRACE = "1 hour";

    /**
     * Thrown in a registration's write transaction when the artifact it references was deleted by a
     * collection after the registration found it stored: the transaction rolls back and the registration
     * stores the bytes again.
     */
    static final class ArtifactCollected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ArtifactCollected(Sha256 digest) {
            super("artifact " + digest + " was collected by a gc after this registration found it stored", null,
                    false, false);
        }
    }

    /**
     * Holds the row of the digest a registration is about to reference, until the registration's transaction
     * ends, so that no collection deletes it meanwhile.
     *
     * @param c the registration's write transaction
     * @throws ArtifactCollected when the row is gone: a collection deleted it
     */
    static void holdArtifact(Connection c, Tables t, Sha256 digest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + t.artifacts
                + " WHERE digest = ? FOR KEY SHARE")) {
            ps.setString(1, digest.hex());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ArtifactCollected(digest);
                }
            }
        }
    }

    private final PostgresModelStore store;
    private final DataSource dataSource;
    private final Tables t;
    private final Duration lockTimeout;

    PostgresGc(PostgresModelStore store, DataSource dataSource, Tables t, Duration lockTimeout) {
        this.store = store;
        this.dataSource = dataSource;
        this.t = t;
        this.lockTimeout = lockTimeout;
    }

    /** One snapshot's plan: what to delete, as of event {@code sequence}. */
    private record Plan(long sequence, List<ModelRef.ByVersion> versions, Map<Sha256, Long> artifacts) {
    }

    GcReport run(Retention retention, boolean dryRun, ChangeNote note) {
        Plan plan = plan(retention, dryRun);
        if (dryRun) {
            return new GcReport(true, plan.versions(), List.copyOf(plan.artifacts().keySet()),
                    plan.artifacts().values().stream().mapToLong(Long::longValue).sum());
        }
        List<ModelRef.ByVersion> deleted = new ArrayList<>();
        for (ModelRef.ByVersion ref : plan.versions()) {
            if (store.deleteUnaliased(ref, note)) {
                deleted.add(ref);
            }
        }
        Plan artifacts = deleted.isEmpty() ? plan : plan(retention, false);
        List<Sha256> objects = new ArrayList<>();
        long[] bytes = new long[1];
        List<Sha256> batch = new ArrayList<>();
        for (Sha256 digest : artifacts.artifacts().keySet()) {
            batch.add(digest);
            if (batch.size() == BATCH) {
                collect(batch, artifacts.sequence(), objects, bytes);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            collect(batch, artifacts.sequence(), objects, bytes);
        }
        return new GcReport(false, deleted, objects, bytes[0]);
    }

    /**
     * Plans in one read-only snapshot.
     *
     * @param dryRun whether the versions planned for deletion count as gone when the artifacts are planned
     *     (a dry run deletes none, so it reports the artifacts that deleting them would free)
     */
    private Plan plan(Retention retention, boolean dryRun) {
        return store.inSnapshot("planning a gc", c -> {
            long sequence;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_sequence FROM " + t.eventCounter
                    + " WHERE id = 1"); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException(t.eventCounter + " has no row: the store's tables are damaged");
                }
                sequence = rs.getLong(1);
            }
            Map<String, ModelLedger> ledgers = store.replayAll(c);
            Set<ModelRef.ByVersion> parents = new HashSet<>();
            Map<String, List<ModelVersion>> candidates = new LinkedHashMap<>();
            ledgers.forEach((name, ledger) -> {
                List<ModelVersion> live = List.copyOf(ledger.liveVersions()); // oldest first
                Set<Long> aliased = ledger.aliasTargets();
                int keep = Math.min(live.size(), retention.keepLast());
                candidates.put(name, live.subList(0, live.size() - keep).stream()
                        .filter(v -> !aliased.contains(v.version())).toList());
                live.forEach(v -> parents.addAll(v.lineage().parents()));
            });
            List<ModelRef.ByVersion> doomed = new ArrayList<>();
            candidates.forEach((name, versions) -> versions.stream().map(v -> ModelRef.of(name, v.version()))
                    .filter(ref -> !parents.contains(ref)).forEach(doomed::add));
            Set<ModelRef.ByVersion> going = dryRun ? Set.copyOf(doomed) : Set.of();
            Set<Sha256> inUse = new HashSet<>();
            ledgers.forEach((name, ledger) -> ledger.liveVersions().stream()
                    .filter(v -> !going.contains(ModelRef.of(name, v.version()))).forEach(v -> inUse.add(v.digest())));
            Map<Sha256, Long> unused = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT digest, size FROM " + t.artifacts
                    + " WHERE stored_at < now() - interval '" + GRACE + "' ORDER BY digest COLLATE \"C\"")) {
                ps.setFetchSize(256);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Sha256 digest = Sha256.parse(rs.getString(1));
                        if (!inUse.contains(digest)) {
                            unused.put(digest, rs.getLong(2));
                        }
                    }
                }
            }
            return new Plan(sequence, doomed, unused);
        });
    }

    /**
     * Deletes a batch of artifacts planned as unused as of event {@code sequence}, with their chunks, in one
     * transaction, keeping any that a registration committed since references (see the class comment);
     * runs it again when the database aborts it as a deadlock or serialization failure.
     */
    private void collect(List<Sha256> batch, long sequence, List<Sha256> objects, long[] bytes) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                Map<Sha256, long[]> deleted = collectOnce(c, batch, sequence);
                deleted.forEach((digest, blobAndSize) -> {
                    objects.add(digest);
                    bytes[0] += blobAndSize[1];
                });
                return;
            } catch (SQLException e) {
                if (SqlFailures.retryable(e) && attempt < PostgresModelStore.MAX_ATTEMPTS) {
                    LOG.debug("a gc transaction was aborted ({}); again", e.getSQLState());
                    continue;
                }
                if (SqlFailures.retryable(e)) {
                    throw new ConcurrentUpdateException("deleting unused artifacts from " + t.artifacts + " was aborted"
                            + " by the database " + PostgresModelStore.MAX_ATTEMPTS + " times" + SqlFailures.describe(e)
                            + "; those of this batch are still stored");
                }
                if (SqlFailures.lockTimeout(e)) {
                    throw new StoreException("timed out after " + lockTimeout + " waiting for the locks of unused"
                            + " artifacts in " + t.artifacts + "; those of this batch are still stored");
                }
                throw SqlFailures.store("deleting unused artifacts from " + t.artifacts, e);
            }
        }
    }

    /** @return the artifacts deleted, in digest order, each with its blob and size */
    private Map<Sha256, long[]> collectOnce(Connection c, List<Sha256> batch, long sequence) throws SQLException {
        c.setAutoCommit(false);
        boolean committed = false;
        try {
            try (PreparedStatement ps = c.prepareStatement("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")) {
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT set_config('lock_timeout', ?, true)")) {
                ps.setString(1, lockTimeout.toMillis() + "ms");
                ps.execute();
            }
            Map<Sha256, long[]> locked = new LinkedHashMap<>();
            Array digests = c.createArrayOf("text", batch.stream().map(Sha256::hex).toArray());
            try (PreparedStatement ps = c.prepareStatement("SELECT digest, blob, size FROM " + t.artifacts
                    + " WHERE digest = ANY (?::char(64)[]) AND stored_at < now() - interval '" + GRACE + "'"
                    + " ORDER BY digest COLLATE \"C\" FOR UPDATE")) {
                ps.setArray(1, digests);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        locked.put(Sha256.parse(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                }
            }
            // a statement of its own, so that its snapshot is taken after the locks were granted: every
            // registration that referenced one of these rows committed before, and is seen here
            try (PreparedStatement ps = c.prepareStatement("SELECT c.model, c.number, c.document FROM " + t.events
                    + " e JOIN " + t.changes + " c ON c.model = e.model AND c.number = e.change"
                    + " WHERE e.sequence > ? AND c.kind = 'registered' ORDER BY e.sequence")) {
                ps.setLong(1, sequence);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && !locked.isEmpty()) {
                        String model = rs.getString(1);
                        long number = rs.getLong(2);
                        ModelLedger.Change change = ChangeCodec.read("change " + number + " of model " + model + " in "
                                + t.changes, rs.getString(3), model, number);
                        if (change instanceof ModelLedger.Registered r && locked.remove(r.version().digest()) != null) {
                            LOG.debug("gc keeps artifact {}: {} was registered with it meanwhile", r.version().digest(),
                                    r.version().ref());
                        }
                    }
                }
            }
            if (!locked.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.artifactChunks
                        + " WHERE blob = ANY (?::bigint[])")) {
                    ps.setArray(1, c.createArrayOf("bigint", locked.values().stream().map(v -> v[0]).toArray()));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.artifacts
                        + " WHERE digest = ANY (?::char(64)[])")) {
                    ps.setArray(1, c.createArrayOf("text", locked.keySet().stream().map(Sha256::hex).toArray()));
                    ps.executeUpdate();
                }
            }
            c.commit();
            committed = true;
            return locked;
        } finally {
            try {
                if (!committed) {
                    c.rollback();
                }
                c.setAutoCommit(true); // as the pool lent it
            } catch (SQLException e) {
                LOG.debug("ending a gc transaction failed: {}", e.getSQLState());
            }
        }
    }
}
