package dev.mlops.cli;

import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.Tombstone;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops delete MODEL:VERSION}: deletes a version, leaving a tombstone; its number is never reused. */
@Command(name = "delete", description = {"Delete a version, leaving a tombstone.",
    "MODEL:VERSION, by number only; the number is never reused. A version an alias points at is refused (exit 1)."})
final class DeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Parameters(index = "0", paramLabel = "MODEL:VERSION", description = "The version.")
    String ref;
    @Mixin
    NoteOptions note;
    @Mixin
    AuditLogOption audit;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelStore store = registry.openForChange(audit, note)) {
            Tombstone t = store.delete(Refs.byVersion(ref), note.note());
            if (json.json) {
                Output.print(out, Values.tombstone(t));
            } else {
                out.println("deleted " + t.model() + ":" + t.version() + " (sha256 " + t.digest().hex() + ")");
            }
            return Mlops.OK;
        }
    }
}
