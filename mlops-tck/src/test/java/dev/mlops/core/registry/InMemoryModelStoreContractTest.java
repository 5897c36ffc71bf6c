package dev.mlops.core.registry;

import dev.mlops.tck.ModelStoreContract;
import java.time.InstantSource;

/**
 * Runs the published kit against {@link InMemoryModelStore}. It lives in the store's package, in this
 * module's tests, so that it can reach the package-private corruption seam; tests run on the class
 * path, where a package may span jars.
 */
class InMemoryModelStoreContractTest extends ModelStoreContract {
    @Override
    protected ModelStore newStore() {
        return new InMemoryModelStore();
    }

    @Override
    protected ModelStore newStore(InstantSource clock) {
        return InMemoryModelStore.withClock(clock);
    }

    @Override
    protected void corruptArtifact(ModelRef.ByVersion ref) {
        ((InMemoryModelStore) store()).corruptForTest(ref, 4321);
    }

    @Override
    protected void replaceArtifact(ModelRef.ByVersion ref, byte[] bytes) {
        ((InMemoryModelStore) store()).replaceForTest(ref, bytes);
    }
}
