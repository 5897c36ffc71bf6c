package dev.mlops.core;

/**
 * A listener's registration (a model store listener, a monitor alert); closing it stops delivery.
 * Closing twice is harmless.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
