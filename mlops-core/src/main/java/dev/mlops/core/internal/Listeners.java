package dev.mlops.core.internal;

import dev.mlops.core.Subscription;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelStoreListener;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of one store: copy-on-write, so delivery never blocks subscription and a listener
 * may unsubscribe from inside its own callback. Whatever a listener throws is logged, never
 * propagated, except a {@link VirtualMachineError}, after which the JVM cannot be trusted to go on.
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    private final CopyOnWriteArrayList<ModelStoreListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param listener to add
     * @return removes it when closed
     */
    public Subscription add(ModelStoreListener listener) {
        Objects.requireNonNull(listener, "listener");
        ModelStoreListener wrapper = listener::onEvent;
        listeners.add(wrapper);
        return () -> listeners.remove(wrapper);
    }

    /**
     * @param event delivered to every listener, in subscription order
     */
    public void fire(ModelStoreEvent event) {
        for (ModelStoreListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.warn("model store listener failed on {} event for model {}", event.getClass().getSimpleName(),
                        event.model(), e);
            }
        }
    }
}
