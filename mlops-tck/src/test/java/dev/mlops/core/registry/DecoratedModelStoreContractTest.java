package dev.mlops.core.registry;

import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.security.AccessControlledModelStore;
import dev.mlops.core.security.AccessPolicy;
import dev.mlops.core.security.Permission;
import dev.mlops.core.security.Principal;
import dev.mlops.tck.ModelStoreContract;
import java.time.InstantSource;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * Runs the published kit against the decorators composed as an application wires them:
 * {@code AccessControlledModelStore(AuditingModelStore(InMemoryModelStore))}, both writing to one audit
 * log, reads recorded too, for a principal who may MANAGE every model. Decorators that are transparent
 * to such a principal keep every rule of the kit, but one: history names the principal as the actor of
 * every change, whoever the call's note names ({@link #recordedActor}). It lives in the in-memory store's package to reach its
 * corruption seam, like {@link InMemoryModelStoreContractTest}.
 */
class DecoratedModelStoreContractTest extends ModelStoreContract {
    private static final Principal ADMIN = Principal.of("admin", "registry-admins");
    private static final AccessPolicy POLICY = AccessPolicy.builder()
            .grantRoleAllModels("registry-admins", Permission.MANAGE)
            .build();

    /** The in-memory store under each decorated store handed to the kit, for the corruption seams. */
    private final Map<ModelStore, InMemoryModelStore> inner = new IdentityHashMap<>();
    private final AuditLog log = AuditLog.inMemory();

    @AfterEach
    void verifyAndCloseTheLog() {
        if (!log.verify().ok()) {
            throw new AssertionError("the audit log written during the test does not verify: " + log.verify());
        }
        log.close();
    }

    private ModelStore decorate(InMemoryModelStore store) {
        ModelStore audited = AuditingModelStore.builder(store, log).auditReads(true).build();
        ModelStore guarded = new AccessControlledModelStore(audited, POLICY, log, () -> ADMIN);
        synchronized (inner) {
            inner.put(guarded, store);
        }
        return guarded;
    }

    /** The access-controlled store stamps the authenticated principal as the actor of every change. */
    @Override
    protected String recordedActor(String claimed) {
        return ADMIN.name();
    }

    @Override
    protected ModelStore newStore() {
        return decorate(new InMemoryModelStore());
    }

    @Override
    protected ModelStore newStore(InstantSource clock) {
        return decorate(InMemoryModelStore.withClock(clock));
    }

    private InMemoryModelStore underTest() {
        synchronized (inner) {
            return inner.get(store());
        }
    }

    @Override
    protected void corruptArtifact(ModelRef.ByVersion ref) {
        underTest().corruptForTest(ref, 4321);
    }

    @Override
    protected void replaceArtifact(ModelRef.ByVersion ref, byte[] bytes) {
        underTest().replaceForTest(ref, bytes);
    }
}
