/**
 * The model registry: {@link dev.mlops.core.registry.ModelStore} and its value types, with
 * {@link dev.mlops.core.registry.InMemoryModelStore} as the in-memory implementation. Start with
 * {@link dev.mlops.core.registry.NewVersion#builder(String)} and
 * {@link dev.mlops.core.registry.ModelStore#register(NewVersion)}. Decorators of a store extend
 * {@link dev.mlops.core.registry.ForwardingModelStore}.
 *
 * <pre>{@code
 * ModelStore store = new InMemoryModelStore();
 * ModelVersion v = store.register(NewVersion.builder("fraud-scorer").artifact(bytes).metric("auc", 0.91).build());
 * store.setAlias("fraud-scorer", "champion", v.version(), AliasExpect.absent());
 * try (OpenedVersion opened = store.openVersion(ModelRef.alias("fraud-scorer", "champion"))) {
 *     Scorer scorer = Scorer.load(opened.stream());                 // digest checked as it is read
 * }
 * }</pre>
 */
package dev.mlops.core.registry;
