/**
 * The audit trail: {@link dev.mlops.core.audit.AuditLog}, an append-only hash chain of
 * {@link dev.mlops.core.audit.AuditRecord}s checked by {@link dev.mlops.core.audit.AuditLog#verify()}.
 * Implementations come with their own issue; the chain definition lives in
 * {@link dev.mlops.core.audit.AuditRecord} so that every implementation computes the same hashes.
 */
package dev.mlops.core.audit;
