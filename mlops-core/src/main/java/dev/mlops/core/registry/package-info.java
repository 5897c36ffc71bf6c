/**
 * The model registry: {@link dev.mlops.core.registry.ModelStore} and its value types, with
 * {@link dev.mlops.core.registry.InMemoryModelStore} as the in-memory implementation. Start with
 * {@link dev.mlops.core.registry.NewVersion#builder(String)} and
 * {@link dev.mlops.core.registry.ModelStore#register(NewVersion)}. Decorators of a store extend
 * {@link dev.mlops.core.registry.ForwardingModelStore}.
 */
package dev.mlops.core.registry;
