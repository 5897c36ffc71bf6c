package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.fs.GcReport;
import dev.mlops.registry.fs.Retention;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops gc}: deletes versions past a retention and the artifacts no live version uses. */
@Command(name = "gc", description = {"Delete old versions and unused artifact files (--dry-run: list them).",
    "Deletes each model's live versions beyond the newest --keep-last (never one an alias points at or would roll"
            + " back to, nor a lineage parent of a live version), then the artifact files no live version uses."})
final class GcCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Option(names = "--keep-last", paramLabel = "N",
            description = "Keep each model's newest N live versions; default: keep every version, delete only"
                    + " unused artifact files.")
    Integer keepLast;
    @Option(names = "--dry-run", description = "Delete nothing; list what would be deleted.")
    boolean dryRun;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (keepLast != null && keepLast < 1) {
            throw CliException.usage("--keep-last must be >= 1, was " + keepLast);
        }
        Retention retention = keepLast == null ? Retention.keepAll() : Retention.keepLast(keepLast);
        PrintWriter out = spec.commandLine().getOut();
        GcReport r;
        try (FileSystemModelStore store = registry.openFileSystem()) {
            r = store.gc(retention, dryRun);
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
}
