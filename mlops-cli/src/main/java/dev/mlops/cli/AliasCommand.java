package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Names;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops alias set|remove|history}: a model's aliases. */
@Command(name = "alias", description = "Move an alias (champion, staging, ...), remove it, or list its history.",
        subcommands = {AliasCommand.Set.class, AliasCommand.Remove.class, AliasCommand.History.class})
final class AliasCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: set, remove or history");
    }

    /**
     * @param text {@code any}, {@code absent} or a version number
     * @return the expectation
     */
    static AliasExpect expect(String text) {
        if (text.equals("any")) {
            return AliasExpect.any();
        }
        if (text.equals("absent")) {
            return AliasExpect.absent();
        }
        try {
            return AliasExpect.current(Long.parseLong(text));
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--expect " + text + ": expected any, absent or a version number >= 1");
        }
    }

    /** {@code mlops alias set MODEL ALIAS VERSION}. */
    @Command(name = "set", description = "Point an alias at a version, with compare-and-set: --expect says what it"
            + " must point at now; a move whose expectation does not hold changes nothing and exits 1.")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RegistryOption registry;
        @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias, such as champion.")
        String alias;
        @Parameters(index = "2", paramLabel = "VERSION", description = "The version number to point it at.")
        long version;
        @Option(names = "--expect", paramLabel = "any|absent|N", defaultValue = "any",
                description = "What the alias must point at now: any (default), absent, or a version number.")
        String expect;
        @Mixin
        NoteOptions note;
        @Mixin
        AuditLogOption audit;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            AliasExpect e = expect(expect);
            try (ModelStore store = registry.openForChange(audit, note)) {
                AliasMove m = store.setAlias(Names.checkModel(model), Names.checkAlias(alias), version, e, note.note());
                print(spec, json, m);
                return Mlops.OK;
            }
        }
    }

    /** {@code mlops alias remove MODEL ALIAS}. */
    @Command(name = "remove", description = "Remove an alias, with compare-and-set as for set.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RegistryOption registry;
        @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias.")
        String alias;
        @Option(names = "--expect", paramLabel = "any|N", defaultValue = "any",
                description = "What the alias must point at now: any (default) or a version number.")
        String expect;
        @Mixin
        NoteOptions note;
        @Mixin
        AuditLogOption audit;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            AliasExpect e = expect(expect);
            try (ModelStore store = registry.openForChange(audit, note)) {
                print(spec, json, store.removeAlias(Names.checkModel(model), Names.checkAlias(alias), e, note.note()));
                return Mlops.OK;
            }
        }
    }

    /** {@code mlops alias history MODEL ALIAS}. */
    @Command(name = "history", description = "Every move of an alias, oldest first.")
    static final class History implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        RegistryOption registry;
        @Parameters(index = "0", paramLabel = "MODEL", description = "The model.")
        String model;
        @Parameters(index = "1", paramLabel = "ALIAS", description = "The alias.")
        String alias;
        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ModelStore store = registry.open()) {
                List<AliasMove> moves = store.aliasHistory(Names.checkModel(model), Names.checkAlias(alias));
                if (json.json) {
                    ObjectNode o = Output.object();
                    o.put("model", model);
                    o.put("alias", alias);
                    ArrayNode a = o.putArray("moves");
                    moves.forEach(m -> a.add(Values.move(m)));
                    Output.print(out, o);
                    return Mlops.OK;
                }
                Output.table(out, List.of("AT", "KIND", "FROM", "TO", "ACTOR", "REASON"), moves.stream()
                        .map(m -> List.of(m.at().toString(), m.kind().name().toLowerCase(java.util.Locale.ROOT),
                                Values.target(m.from()), Values.target(m.to()), m.actor(), m.reason()))
                        .toList());
                return Mlops.OK;
            }
        }
    }

    /** Prints one alias move. */
    static void print(CommandSpec spec, JsonOption json, AliasMove m) {
        PrintWriter out = spec.commandLine().getOut();
        if (json.json) {
            Output.print(out, Values.move(m));
        } else {
            out.println(Values.moveLine(m));
        }
    }
}
