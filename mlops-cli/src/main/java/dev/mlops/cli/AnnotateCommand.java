package dev.mlops.cli;

import dev.mlops.core.Names;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mlops annotate REF}: a version's (or a model's) description and tags. */
@Command(name = "annotate", description = {"Change the description and tags of a version or a model.",
    "REF is a version (MODEL:VERSION, MODEL@ALIAS) or a model (MODEL). The change is made only if its revision is"
            + " still the one expected (--expect-revision, default: the one read just before); else exit 1."})
final class AnnotateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Parameters(index = "0", paramLabel = "REF", description = "A model, or one of its versions: " + Refs.FORMS + ".")
    String ref;
    @Option(names = "--description", paramLabel = "TEXT", description = "The new description.")
    String description;
    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "Set a tag; repeatable.")
    Map<String, String> tags = new LinkedHashMap<>();
    @Option(names = "--remove-tag", paramLabel = "KEY", description = "Remove a tag; repeatable.")
    List<String> removeTags = new ArrayList<>();
    @Option(names = "--expect-revision", paramLabel = "N",
            description = "The revision it must have now (as shown by show); default: the one read just before.")
    Long expectRevision;
    @Mixin
    NoteOptions note;
    @Mixin
    AuditLogOption audit;
    @Mixin
    JsonOption json;

    @Override
    public Integer call() {
        Annotations.Builder b = Annotations.builder();
        if (description != null) {
            b.description(description);
        }
        tags.forEach(b::putTag);
        removeTags.forEach(b::removeTag);
        Annotations changes = b.build();
        if (description == null && tags.isEmpty() && removeTags.isEmpty()) {
            throw CliException.usage("nothing to change: give --description, --tag or --remove-tag");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModelStore store = registry.openForChange(audit, note)) {
            if (ref.indexOf(':') < 0 && ref.indexOf('@') < 0) {
                Names.checkModel(ref);
                long revision = expectRevision != null ? expectRevision : store.model(ref).map(ModelSummary::revision)
                        .orElseThrow(() -> CliException.usage("model " + ref + " not found in " + registry.display()));
                ModelSummary s = store.annotateModel(ref, revision, changes, note.note());
                if (json.json) {
                    Output.print(out, Values.summary(s));
                } else {
                    out.println("annotated " + s.model() + ", revision " + s.revision());
                }
                return Mlops.OK;
            }
            ModelRef r = Refs.parse(ref);
            ModelVersion current = store.get(r);
            long revision = expectRevision != null ? expectRevision : current.revision();
            ModelVersion v = store.annotate(current.ref(), revision, changes, note.note());
            if (json.json) {
                Output.print(out, Values.version(v, VersionsCommand.aliasesOf(
                        store.model(v.model()).map(ModelSummary::aliases).orElse(Map.of()), v.version())));
            } else {
                out.println("annotated " + v.ref() + ", revision " + v.revision());
            }
            return Mlops.OK;
        }
    }
}
