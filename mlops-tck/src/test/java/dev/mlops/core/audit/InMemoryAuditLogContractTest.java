package dev.mlops.core.audit;

import dev.mlops.tck.AuditLogContract;
import java.security.PrivateKey;
import java.time.InstantSource;

/**
 * Runs the published kit against {@link InMemoryAuditLog}. It lives in the log's package, in this
 * module's tests, so that it can reach the package-private corruption seam; tests run on the class
 * path, where a package may span jars.
 */
class InMemoryAuditLogContractTest extends AuditLogContract {
    @Override
    protected AuditLog newLog() {
        return AuditLog.inMemory();
    }

    @Override
    protected AuditLog newLog(InstantSource clock) {
        return InMemoryAuditLog.builder().clock(clock).build();
    }

    @Override
    protected AuditLog newSignedLog(PrivateKey key, String origin) {
        return InMemoryAuditLog.builder().signer(key, origin).build();
    }

    @Override
    protected void corruptRecord(long index) {
        ((InMemoryAuditLog) log()).corruptForTest(index);
    }
}
