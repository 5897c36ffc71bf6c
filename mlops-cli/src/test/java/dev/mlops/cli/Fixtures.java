package dev.mlops.cli;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Signature;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Real registries and audit logs on disk, made with the library, for the command to read. */
final class Fixtures {
    private Fixtures() {
    }

    /**
     * A registry with {@code fraud-scorer} v1 (auc@holdout-nov 0.91, champion), v2 (0.934, trained from v1)
     * and v3 (0.90), all with complete lineage and one signature, and {@code churn} v1.
     *
     * @param dir an empty or missing directory
     * @return the directory
     */
    static Path registry(Path dir) {
        try (FileSystemModelStore store = FileSystemModelStore.open(dir)) {
            fill(store);
        }
        return dir;
    }

    /**
     * Registers into a store what {@link #registry(Path)} holds.
     *
     * @param store an empty store
     */
    static void fill(ModelStore store) {
        Signature sig = Signature.of(Field.float64("amount"), Field.category("country"))
                .returns(Field.float64("score"));
        ModelVersion v1 = store.register(NewVersion.builder("fraud-scorer").artifact(bytes("model one"))
                .description("gradient-boosted, Nov data").param("trees", 300).metric("auc@holdout-nov", 0.91)
                .tag("team", "risk").lineage(lineage("3f2a9c1").build()).signature(sig).createdBy("alice").build());
        store.register(NewVersion.builder("fraud-scorer").artifact(bytes("model two")).description("retrained")
                .metric("auc@holdout-nov", 0.934).lineage(lineage("8b1d0e7").parent(v1.ref()).build())
                .signature(sig).createdBy("alice").build());
        store.register(NewVersion.builder("fraud-scorer").artifact(bytes("model three")).description("worse")
                .metric("auc@holdout-nov", 0.90).lineage(lineage("c0ffee1").build()).signature(sig)
                .createdBy("bob").build());
        store.setAlias("fraud-scorer", "champion", 1, AliasExpect.absent(), ChangeNote.by("alice").because("first"));
        store.register(NewVersion.builder("churn").artifact(bytes("churn model")).createdBy("carol").build());
    }

    private static Lineage.Builder lineage(String revision) {
        return Lineage.builder().codeRevision(revision, false)
                .data(URI.create("s3://bucket/nov.parquet"), Sha256.of(bytes("training data")), 1_204_331);
    }

    /**
     * An audit log with {@code records} records.
     *
     * @param dir an empty or missing directory
     * @param records how many
     * @return the directory
     */
    static Path auditLog(Path dir, int records) {
        appendTo(dir, 0, records);
        return dir;
    }

    /**
     * Appends records to a log, as its writer would.
     *
     * @param dir the log
     * @param from the first record's number, for its target
     * @param records how many
     */
    static void appendTo(Path dir, int from, int records) {
        try (FileAuditLog log = FileAuditLog.open(dir)) {
            for (int i = from; i < from + records; i++) {
                log.append(AuditEvent.of("alice", "model.register", "fraud-scorer:" + (i + 1)).with("reason", "nightly"));
            }
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
