/**
 * File-system implementations: {@link dev.mlops.registry.fs.FileSystemModelStore}, a model store in a
 * directory on a local or shared POSIX file system, opened with
 * {@link dev.mlops.registry.fs.FileSystemModelStore#open} or configured with
 * {@link dev.mlops.registry.fs.FileSystemModelStore#builder}; and
 * {@link dev.mlops.registry.fs.FileAuditLog}, an audit log in append-only segment files, opened with
 * {@link dev.mlops.registry.fs.FileAuditLog#open} or configured with
 * {@link dev.mlops.registry.fs.FileAuditLog#builder}; read (a copy, or a log its writer has open) with
 * {@link dev.mlops.registry.fs.FileAuditLog#openReadOnly}; repaired after damage by copying its sound
 * prefix with {@link dev.mlops.registry.fs.FileAuditLog#salvage}, which reports in an
 * {@link dev.mlops.registry.fs.AuditSalvageReport}.
 *
 * <pre>{@code
 * try (FileSystemModelStore store = FileSystemModelStore.open(Path.of("/var/lib/models"));
 *         FileAuditLog log = FileAuditLog.open(Path.of("/var/lib/models-audit"))) {
 *     ModelStore audited = new AuditingModelStore(store, log);
 *     audited.register(NewVersion.builder("fraud-scorer").artifact(Path.of("model.onnx")).build());
 *     FsckReport report = store.fsck();                            // what a cron job runs
 * }
 * }</pre>
 */
package dev.mlops.registry.fs;
