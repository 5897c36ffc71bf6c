package dev.mlops.core.registry;

import dev.mlops.core.tck.ModelStoreContract;

class InMemoryModelStoreTest extends ModelStoreContract {
    @Override
    protected ModelStore newStore() {
        return new InMemoryModelStore();
    }
}
