/**
 * Shared small types of mlops: the {@link dev.mlops.core.MlopsException} hierarchy, the name
 * allow-list {@link dev.mlops.core.Names}, and {@link dev.mlops.core.Sha256}.
 *
 * <pre>{@code
 * try {
 *     store.setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6), ChangeNote.by("alice"));
 * } catch (ConcurrentUpdateException raced) {   // an MlopsException: read the alias again and decide
 *     ...
 * }
 * Sha256 digest = Sha256.of(bytes);             // what every artifact is addressed by
 * }</pre>
 */
package dev.mlops.core;
