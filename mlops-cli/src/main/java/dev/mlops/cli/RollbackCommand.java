package dev.mlops.cli;

import dev.mlops.core.Names;
import dev.mlops.core.registry.ModelStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops rollback MODEL ALIAS}: the alias back to the version it pointed at before. */
@Command(name = "rollback", description = "Point an alias back at the version it pointed at before its last move.")
final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
    String model;
    @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias, such as champion.")
    String alias;
    @Mixin
    NoteOptions note;
    @Mixin
    AuditLogOption audit;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        try (ModelStore store = registry.openForChange(audit, note)) {
            AliasCommand.print(spec, json, store.rollback(Names.checkModel(model), Names.checkAlias(alias), note.note()));
            return Mlops.OK;
        }
    }
}
