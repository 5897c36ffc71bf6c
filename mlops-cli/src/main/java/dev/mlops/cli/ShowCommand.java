package dev.mlops.cli;

import dev.mlops.core.Names;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops show REF}: one version in full, or a model at a glance. */
@Command(name = "show", description = {"Show a version in full, or a model at a glance.",
    "REF is MODEL:VERSION, MODEL:latest or MODEL@ALIAS for a version, MODEL for the model."})
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Parameters(index = "0", paramLabel = "REF", description = "A model, or one of its versions: " + Refs.FORMS + ".")
    String ref;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelStore store = registry.open()) {
            if (ref.indexOf(':') < 0 && ref.indexOf('@') < 0) {
                Names.checkModel(ref);
                ModelSummary s = store.model(ref)
                        .orElseThrow(() -> CliException.usage("model " + ref + " not found in " + registry.display()));
                if (json.json) {
                    Output.print(out, Values.summary(s));
                } else {
                    printSummary(out, s);
                }
                return Mlops.OK;
            }
            ModelRef r = Refs.parse(ref);
            ModelVersion v = store.get(r);
            Map<String, Long> aliases = store.model(v.model()).map(ModelSummary::aliases).orElse(Map.of());
            List<String> pointing = VersionsCommand.aliasesOf(aliases, v.version());
            if (json.json) {
                Output.print(out, Values.version(v, pointing));
            } else {
                printVersion(out, v, pointing);
            }
            return Mlops.OK;
        }
    }

    private static void printSummary(PrintWriter out, ModelSummary s) {
        out.println(s.model());
        line(out, "latest", Values.target(s.latest()));
        line(out, "versions", s.liveVersions() + " live, " + s.highestAssigned() + " assigned");
        line(out, "aliases", Values.pairs(s.aliases()));
        line(out, "description", s.description());
        line(out, "tags", Values.pairs(s.tags()));
        line(out, "created", s.createdAt().toString());
        line(out, "updated", s.updatedAt().toString());
        line(out, "revision", Long.toString(s.revision()));
    }

    static void printVersion(PrintWriter out, ModelVersion v, List<String> aliases) {
        out.println(v.ref());
        line(out, "sha256", v.digest().hex());
        line(out, "size", v.size() + " bytes");
        line(out, "created", v.createdAt() + " by " + v.createdBy());
        line(out, "description", v.description());
        line(out, "aliases", String.join(", ", aliases));
        line(out, "params", Values.pairs(v.params()));
        line(out, "metrics", Values.pairs(v.metrics()));
        line(out, "tags", Values.pairs(v.tags()));
        line(out, "lineage", Values.lineageLine(v.lineage()));
        line(out, "signature", Values.signature(v.signature()));
        line(out, "revision", Long.toString(v.revision()));
    }

    private static void line(PrintWriter out, String name, String value) {
        out.println(("  " + name + " ".repeat(Math.max(1, 13 - name.length())) + value).stripTrailing());
    }
}
