package dev.mlops.core.registry;

/**
 * Told about every change a {@link ModelStore} commits. Called on the writing thread after the change
 * is durable, in commit order for each model; it must be quick and must not wait for another thread
 * that writes to the same store. An exception it throws is logged and does not undo the change.
 */
@FunctionalInterface
public interface ModelStoreListener {
    /** @param event what changed */
    void onEvent(ModelStoreEvent event);
}
