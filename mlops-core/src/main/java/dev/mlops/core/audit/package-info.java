/**
 * The audit trail: {@link dev.mlops.core.audit.AuditLog}, an append-only RFC 6962 Merkle tree
 * ({@link dev.mlops.core.audit.MerkleTree}) over the canonical bytes of
 * {@link dev.mlops.core.audit.AuditRecord}s, with inclusion and consistency proofs, signed
 * {@link dev.mlops.core.audit.Checkpoint}s, {@link dev.mlops.core.audit.AuditLog#verify()} and
 * {@link dev.mlops.core.audit.AuditQuery}. Entry points: {@link dev.mlops.core.audit.AuditLog#inMemory()},
 * {@link dev.mlops.core.audit.InMemoryAuditLog#builder()}, and {@link dev.mlops.core.audit.MerkleTree}'s
 * static verifiers for anyone checking a copy. The record and checkpoint formats are defined once, in
 * {@link dev.mlops.core.audit.AuditRecord} and {@link dev.mlops.core.audit.Checkpoint}, so that every
 * implementation computes the same hashes and signs the same text.
 * {@link dev.mlops.core.audit.AuditingModelStore} records every change of a model store (and its reads,
 * when asked) in a log, with the actions of {@link dev.mlops.core.audit.ModelStoreAction}.
 *
 * <pre>{@code
 * AuditLog log = AuditLog.inMemory();
 * ModelStore store = new AuditingModelStore(new InMemoryModelStore(), log);   // every change is a record
 * Checkpoint c = log.checkpoint();                                             // size, root, time
 * boolean included = MerkleTree.verifyInclusion(MerkleTree.leafHash(record.canonicalBytes()),
 *         record.index(), c.size(), log.inclusionProof(record.index(), c.size()), c.root());
 * }</pre>
 */
package dev.mlops.core.audit;
