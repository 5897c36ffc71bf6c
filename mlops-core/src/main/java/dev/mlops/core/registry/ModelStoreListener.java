package dev.mlops.core.registry;

/**
 * Told about every change a {@link ModelStore} commits, after the change is durable and without any
 * store lock held, in commit order for each model; it may read and write the store. It runs on the
 * writing thread, or on another writer's thread that is delivering the same model's events at that
 * moment, so it should be quick. What it throws is logged and does not undo the change.
 */
@FunctionalInterface
public interface ModelStoreListener {
    /** @param event what changed */
    void onEvent(ModelStoreEvent event);
}
