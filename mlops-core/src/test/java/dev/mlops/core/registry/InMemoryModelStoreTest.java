package dev.mlops.core.registry;

import dev.mlops.core.tck.ModelStoreContract;

class InMemoryModelStoreTest extends ModelStoreContract {
    @Override
    protected ModelStore newStore() {
        return new InMemoryModelStore();
    }

    @Override
    protected void corruptArtifact(ModelRef.ByVersion ref) {
        ((InMemoryModelStore) store()).corruptForTest(ref, 4321);
    }
}
