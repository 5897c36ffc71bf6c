package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.ModelStoreAction;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.GcReport;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.Retention;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.jdbc.PostgresModelStore;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mlops gc}: deletes versions past a retention and the artifacts no live version uses, in a registry
 * directory ({@code FileSystemModelStore.gc}) or a PostgreSQL registry ({@code PostgresModelStore.gc}).
 */
@Command(name = "gc", description = {"Delete old versions and unused artifacts (--dry-run: list them).",
    "Deletes each model's live versions beyond the newest --keep-last (never one an alias points at or would roll"
            + " back to, nor a lineage parent of a live version), then the artifacts no live version uses, stored"
            + " more than an hour ago. A registry directory or a PostgreSQL registry."})
final class GcCommand implements Callable<Integer> {
    /** The audit action of a whole collection; each version it deletes is recorded as a delete too. */
    static final String ACTION = "registry.gc";

    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Option(names = "--keep-last", paramLabel = "N",
            description = "Keep each model's newest N live versions; default: keep every version, delete only"
                    + " unused artifacts.")
    Integer keepLast;
    @Option(names = "--dry-run", description = "Delete nothing; list what would be deleted.")
    boolean dryRun;
    @Mixin
    NoteOptions note;
    @Mixin
    AuditLogOption audit;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (keepLast != null && keepLast < 1) {
            throw CliException.usage("--keep-last must be >= 1, was " + keepLast);
        }
        Retention retention = keepLast == null ? Retention.keepAll() : Retention.keepLast(keepLast);
        ChangeNote why = note.note();
        if (why.reason().isEmpty()) {
            why = why.because(keepLast == null ? "gc: unused artifacts" : "gc: keep the last " + keepLast);
        }
        PrintWriter out = spec.commandLine().getOut();
        GcReport r;
        if (dryRun) {
            // a dry run changes nothing, so it records nothing and never takes the audit log's lock
            try (ModelStore store = registry.open()) {
                r = collector(store).gc(retention, true, why);
            }
        } else {
            Optional<AuditLog> log = audit.openWriter(registry.schema);
            try (ModelStore store = registry.open()) {
                r = collect(store, retention, why, log);
            } finally {
                log.ifPresent(AuditLog::close);
            }
        }
        if (json.json) {
            ObjectNode o = Output.object();
            o.put("dryRun", r.dryRun());
            ArrayNode versions = o.putArray("versions");
            r.versions().forEach(v -> versions.add(v.toString()));
            ArrayNode objects = o.putArray("objects");
            r.objects().forEach(h -> objects.add(h.hex()));
            o.put("bytes", r.bytes());
            Output.print(out, o);
        } else {
            String verb = r.dryRun() ? "would delete " : "deleted ";
            r.versions().forEach(v -> out.println(verb + v));
            r.objects().forEach(h -> out.println(verb + "artifact " + h.hex()));
            out.println(r.summary());
        }
        return Mlops.OK;
    }

    /** The one method the two stores share without an interface for it. */
    @FunctionalInterface
    private interface Collector {
        GcReport gc(Retention retention, boolean dryRun, ChangeNote note);
    }

    private static Collector collector(ModelStore store) {
        if (store instanceof PostgresModelStore p) {
            return p::gc;
        }
        return ((FileSystemModelStore) store)::gc;
    }

    /**
     * Collects, and with a log records it as {@code AuditingModelStore} records a delete: one
     * {@code model.delete} record per version deleted, then one {@value #ACTION} record for the whole
     * collection (FAILED, with the error, when it failed part way; the versions deleted before the failure
     * keep their tombstones, which name the actor too).
     */
    private GcReport collect(ModelStore store, Retention retention, ChangeNote why, Optional<AuditLog> log) {
        // the registry: its directory, or its URL (no parameters, no user-info) and schema
        String where = registry.isDatabase() ? registry.display()
                : java.nio.file.Path.of(registry.spec()).toAbsolutePath().normalize().toString();
        String target = where.length() <= 500 ? where : ""; // the audit rules' limit; a longer one goes unnamed
        AuditEvent whole = AuditEvent.of(why.actor(), ACTION, target).with("reason", why.reason())
                .with("keepLast", keepLast == null ? "all" : keepLast.toString());
        GcReport r;
        try {
            r = collector(store).gc(retention, false, why);
        } catch (RuntimeException e) {
            log.ifPresent(l -> append(l, failed(whole, e), e));
            throw e;
        }
        if (log.isPresent()) {
            for (ModelRef.ByVersion v : r.versions()) {
                AuditEvent deleted = AuditEvent.of(why.actor(), ModelStoreAction.DELETE.action(), v.toString())
                        .with("reason", why.reason()).with("via", ACTION);
                Optional<Tombstone> t = store.tombstones(v.model()).stream().filter(x -> x.version() == v.version())
                        .findFirst();
                append(log.get(), t.isPresent() ? deleted.with("digest", t.get().digest().toString()) : deleted, null);
            }
            append(log.get(), whole.with("versions", Integer.toString(r.versions().size()))
                    .with("objects", Integer.toString(r.objects().size())).with("bytes", Long.toString(r.bytes())), null);
        }
        return r;
    }

    private static AuditEvent failed(AuditEvent whole, RuntimeException e) {
        AuditEvent f = whole.withOutcome(AuditEvent.Outcome.FAILED).with("error", e.getClass().getName());
        String m = e.getMessage();
        if (m == null) {
            return f;
        }
        try {
            return f.with("message", m.length() <= 4000 ? m : m.substring(0, 4000));
        } catch (IllegalArgumentException unrecordable) { // control characters: the error's class must do
            return f;
        }
    }

    /** Appends; a failure to do so after the collection happened is an audit gap, said as such (exit 2). */
    private static void append(AuditLog log, AuditEvent event, RuntimeException storeFailure) {
        try {
            log.append(event);
        } catch (RuntimeException e) {
            if (storeFailure != null) {
                storeFailure.addSuppressed(e);
                return;
            }
            throw CliException.usage("gc ran, but its audit record could not be appended: " + event, e);
        }
    }
}
