/**
 * Shared small types of mlops: the {@link dev.mlops.core.MlopsException} hierarchy, the name
 * allow-list {@link dev.mlops.core.Names}, and {@link dev.mlops.core.Sha256}.
 */
package dev.mlops.core;
