package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.fs.FsckReport;
import dev.mlops.registry.jdbc.PostgresFsckReport;
import dev.mlops.registry.jdbc.PostgresModelStore;
import dev.mlops.registry.jdbc.VerifyReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mlops fsck}: the whole store checked, what can be repaired without guessing repaired. */
@Command(name = "fsck", description = {"Check the whole registry and repair what is safe to repair.",
    "A directory: every change file, snapshot, journal entry and artifact. Corrupt artifacts move to quarantine/,"
            + " missing journal entries are appended, stray files are reported, never deleted. PostgreSQL: the"
            + " whole check of verify, in one snapshot; snapshots found wanting are deleted, every other problem"
            + " is reported. Exits 1 when anything was found, repaired or not."})
final class FsckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Option(names = "--temp-file-age", paramLabel = "DURATION", defaultValue = "PT1H",
            description = "Delete temporary files older than this (ISO-8601, default ${DEFAULT-VALUE}); PT0S when"
                    + " no other process writes to the registry. Registry directories only.")
    Duration tempFileAge;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        if (tempFileAge.isNegative()) {
            throw CliException.usage("--temp-file-age must not be negative, was " + tempFileAge);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (registry.isDatabase()) {
            PostgresFsckReport r;
            try (PostgresModelStore store = registry.openPostgres()) {
                r = store.fsck();
            }
            return database(r, out);
        }
        FsckReport r;
        try (FileSystemModelStore store = registry.openFileSystem()) {
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

    /** Prints a PostgreSQL store's fsck: the check's counts, each problem (and whether it was repaired). */
    private int database(PostgresFsckReport r, PrintWriter out) {
        VerifyReport v = r.verify();
        List<String> repaired = r.deletedSnapshots().stream().map(PostgresFsckReport.DeletedSnapshot::problem).toList();
        if (json.json) {
            ObjectNode o = Output.object();
            o.put("clean", r.clean());
            o.put("models", v.models());
            o.put("changes", v.changes());
            o.put("events", v.events());
            o.put("versions", v.versions());
            o.put("artifacts", v.artifacts());
            o.put("artifactBytes", v.artifactBytes());
            ArrayNode a = o.putArray("deletedSnapshots");
            for (PostgresFsckReport.DeletedSnapshot d : r.deletedSnapshots()) {
                a.addObject().put("model", d.model()).put("change", d.change()).put("problem", d.problem());
            }
            ArrayNode left = o.putArray("unrepaired");
            r.unrepaired().forEach(left::add);
            Output.print(out, o);
        } else {
            for (String p : v.problems()) {
                out.println(p + (repaired.contains(p) ? " (repaired: snapshot deleted)" : ""));
            }
            out.println(r.summary());
        }
        return r.clean() ? Mlops.OK : Mlops.CHECK_FAILED;
    }
}
