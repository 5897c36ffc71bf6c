/**
 * Contract kits. {@link dev.mlops.tck.ModelStoreContract} is the entry point for model stores: extend
 * it in a test, implement {@code newStore()}, and every rule of the registry runs against your store.
 */
package dev.mlops.tck;
