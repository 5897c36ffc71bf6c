package dev.mlops.registry.jdbc;

import dev.mlops.core.audit.AuditLog;
import dev.mlops.tck.AuditLogContract;
import java.security.PrivateKey;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the published kit against {@link PostgresAuditLog} on a real PostgreSQL server, each log in a
 * fresh schema, dropped after the test.
 */
class PostgresAuditLogContractTest extends AuditLogContract {
    /** The offset of the actor's first byte in a record's canonical bytes: format, index and time fields, then its length. */
    static final int ACTOR_IN_RECORD = 18 + 12 + 16 + 4;

    private final Map<AuditLog, String> schemas = new IdentityHashMap<>();
    private final List<String> created = new ArrayList<>();

    private synchronized AuditLog fresh(java.util.function.UnaryOperator<PostgresAuditLog.Builder> options) {
        String schema = TestDatabase.freshSchema();
        created.add(schema);
        AuditLog log = options.apply(PostgresAuditLog.builder(TestDatabase.dataSource()).schema(schema)).build();
        schemas.put(log, schema);
        return log;
    }

    @Override
    protected AuditLog newLog() {
        return fresh(b -> b);
    }

    @Override
    protected AuditLog newLog(InstantSource clock) {
        return fresh(b -> b.clock(clock));
    }

    @Override
    protected AuditLog newSignedLog(PrivateKey key, String origin) {
        return fresh(b -> b.signer(key, origin));
    }

    /** Flips a bit of the record's actor in its row's bytes, as a careless or malicious UPDATE would. */
    @Override
    protected void corruptRecord(long index) {
        String schema;
        synchronized (this) {
            schema = schemas.get(log());
        }
        TestDatabase.execute("UPDATE \"" + schema + "\".mlops_audit_records SET record = set_byte(record, "
                + ACTOR_IN_RECORD + ", get_byte(record, " + ACTOR_IN_RECORD + ") # 1) WHERE idx = " + index);
    }

    @AfterEach
    synchronized void dropSchemas() {
        created.forEach(TestDatabase::dropSchema);
        created.clear();
    }
}
