package dev.mlops.registry.jdbc;

import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.tck.ModelStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the published kit against {@link PostgresModelStore} on a real PostgreSQL server, each test in
 * a fresh schema, dropped after it.
 */
class PostgresModelStoreContractTest extends ModelStoreContract {
    private final Map<ModelStore, String> schemas = new IdentityHashMap<>();
    private final List<String> created = new ArrayList<>();

    private synchronized PostgresModelStore.Builder fresh() {
        String schema = TestDatabase.freshSchema();
        created.add(schema);
        return PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema);
    }

    private synchronized ModelStore remember(PostgresModelStore.Builder b, String schema) {
        ModelStore s = b.build();
        schemas.put(s, schema);
        return s;
    }

    @Override
    protected ModelStore newStore() {
        PostgresModelStore.Builder b = fresh();
        return remember(b, created.get(created.size() - 1));
    }

    @Override
    protected ModelStore newStore(InstantSource clock) {
        PostgresModelStore.Builder b = fresh().clock(clock);
        return remember(b, created.get(created.size() - 1));
    }

    /** @return the condition that picks a version's chunk rows, in the store under test's schema */
    private String chunksOf(ModelRef.ByVersion ref) {
        String schema = schemas.get(store());
        return "blob = (SELECT blob FROM \"" + schema + "\".mlops_artifacts WHERE digest = '"
                + store().get(ref).digest().hex() + "')";
    }

    private String chunkTable() {
        return "\"" + schemas.get(store()) + "\".mlops_artifact_chunks";
    }

    @Override
    protected void corruptArtifact(ModelRef.ByVersion ref) {
        TestDatabase.execute("UPDATE " + chunkTable() + " SET data = set_byte(data, least(4321, length(data) - 1),"
                + " get_byte(data, least(4321, length(data) - 1)) # 1) WHERE chunk = 0 AND " + chunksOf(ref));
    }

    @Override
    protected void replaceArtifact(ModelRef.ByVersion ref, byte[] bytes) {
        String where = chunksOf(ref);
        TestDatabase.execute("DELETE FROM " + chunkTable() + " WHERE " + where);
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO " + chunkTable() + " (blob, chunk, data)"
                        + " VALUES (" + where.substring("blob = ".length()) + ", 0, ?)")) {
            ps.setBytes(1, bytes);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    @AfterProperty
    synchronized void dropSchemas() {
        created.forEach(TestDatabase::dropSchema);
        created.clear();
    }
}
