package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mlops models}: every model of the registry. */
@Command(name = "models", description = "List the registry's models: latest version, live versions, aliases.")
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (ModelStore store = registry.open()) {
            List<ModelSummary> models = store.models();
            if (json.json) {
                ObjectNode o = Output.object();
                ArrayNode a = o.putArray("models");
                models.forEach(m -> a.add(Values.summary(m)));
                Output.print(out, o);
                return Mlops.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (ModelSummary m : models) {
                rows.add(List.of(m.model(), Values.target(m.latest()), Long.toString(m.liveVersions()),
                        Values.pairs(m.aliases()), m.updatedAt().toString()));
            }
            Output.table(out, List.of("MODEL", "LATEST", "VERSIONS", "ALIASES", "UPDATED"), rows);
            return Mlops.OK;
        }
    }
}
