package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.fs.FsckReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops fsck}: the whole store checked, what can be repaired without guessing repaired. */
@Command(name = "fsck", description = {"Check the whole registry directory and repair what is safe to repair.",
    "Every change file, snapshot, journal entry and artifact. Corrupt artifacts move to quarantine/, missing"
            + " journal entries are appended, stray files are reported, never deleted. Exits 1 when anything was"
            + " found, repaired or not."})
final class FsckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Option(names = "--temp-file-age", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "Delete temporary files older than this (ISO-8601, default ${DEFAULT-VALUE}); PT0S when"
                    + " no other process writes to the registry.")
    Duration tempFileAge;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (tempFileAge.isNegative()) {
            throw CliException.usage("--temp-file-age must not be negative, was " + tempFileAge);
        }
        PrintWriter out = spec.commandLine().getOut();
        FsckReport r;
        try (FileSystemModelStore store = registry.openFileSystem("fsck",
                "its tables change only in the store's own transactions; mlops verify checks them")) {
            r = store.fsck(tempFileAge);
        }
        if (json.json) {
            ObjectNode o = Output.object();
            o.put("clean", r.clean());
            o.put("models", r.models());
            o.put("versions", r.versions());
            o.put("objects", r.objects());
            o.put("objectBytes", r.objectBytes());
            o.put("journalEntries", r.journalEntries());
            ArrayNode a = o.putArray("findings");
            for (FsckReport.Finding f : r.findings()) {
                a.addObject().put("kind", f.kind().name()).put("path", f.path()).put("detail", f.detail())
                        .put("repaired", f.repaired());
            }
            ArrayNode swept = o.putArray("sweptTempFiles");
            r.sweptTempFiles().forEach(swept::add);
            Output.print(out, o);
        } else {
            for (FsckReport.Finding f : r.findings()) {
                out.println(f.kind() + " " + f.path() + ": " + f.detail() + (f.repaired() ? " (repaired)" : ""));
            }
            out.println(r.summary());
        }
        return r.clean() ? Mlops.OK : Mlops.CHECK_FAILED;
    }
}
