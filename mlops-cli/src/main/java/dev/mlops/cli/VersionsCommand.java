package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Names;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops versions MODEL}: a model's live versions, newest first, a page at a time. */
@Command(name = "versions", description = "List a model's live versions, newest first.")
final class VersionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model's name.")
    String model;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Versions per page, 1 to " + PageRequest.MAX_SIZE + " (default: ${DEFAULT-VALUE}).")
    int limit;
    @Option(names = "--after", paramLabel = "TOKEN",
            description = "Continue after this page token (the previous page's nextPageToken).")
    String after;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Names.checkModel(model);
        if (limit < 1 || limit > PageRequest.MAX_SIZE) {
            throw CliException.usage("--limit must be in [1, " + PageRequest.MAX_SIZE + "], was " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModelStore store = registry.open()) {
            Optional<ModelSummary> summary = store.model(model);
            if (summary.isEmpty()) {
                throw CliException.usage("model " + model + " not found in " + registry.display());
            }
            Map<String, Long> aliases = summary.get().aliases();
            Page<ModelVersion> page = store.versions(model,
                    after == null ? PageRequest.first(limit) : PageRequest.after(after, limit));
            Optional<String> next = page.next().flatMap(PageRequest::after);
            if (json.json) {
                ObjectNode o = Output.object();
                o.put("model", model);
                ArrayNode a = o.putArray("versions");
                page.items().forEach(v -> a.add(Values.version(v, aliasesOf(aliases, v.version()))));
                if (next.isPresent()) {
                    o.put("nextPageToken", next.get());
                } else {
                    o.putNull("nextPageToken");
                }
                Output.print(out, o);
                return Mlops.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (ModelVersion v : page.items()) {
                rows.add(List.of(Long.toString(v.version()), v.createdAt().toString(), v.createdBy(),
                        Long.toString(v.size()), v.digest().hex().substring(0, 12),
                        String.join(",", aliasesOf(aliases, v.version())), v.description()));
            }
            Output.table(out, List.of("VERSION", "CREATED", "BY", "SIZE", "SHA256", "ALIASES", "DESCRIPTION"), rows);
            next.ifPresent(t -> out.println("more: --after " + t));
            return Mlops.OK;
        }
    }

    /** @return the aliases pointing at a version, by name */
    static List<String> aliasesOf(Map<String, Long> aliases, long version) {
        return aliases.entrySet().stream().filter(e -> e.getValue() == version).map(Map.Entry::getKey).sorted()
                .toList();
    }
}
