package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.StoreException;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.jdbc.PostgresModelStore;
import dev.mlops.registry.jdbc.VerifyReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mlops verify [REF...]}: versions checked from the disk or the database up; exit 1 when any does not
 * verify.
 */
@Command(name = "verify", description = {"Verify versions from the disk or the database up (default: the whole"
        + " registry).",
    "Directory: replays each model's change files and reads every live version's whole artifact against its size"
            + " and SHA-256. PostgreSQL: with REFs, each version so; without, the whole store in one snapshot (change"
            + " logs, events, every live artifact's chunks). Exits 1 when anything does not verify."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    RegistryOption registry;
    @Parameters(paramLabel = "REF", arity = "0..*", description = "Versions to check: " + Refs.FORMS + ".")
    List<String> refs = new ArrayList<>();
    @Mixin
    JsonOption json;

    private record Failure(String ref, String problem) {
    }

    @Override
    public Integer call() {
        List<ModelRef> wanted = refs.stream().map(Refs::parse).toList();
        PrintWriter out = spec.commandLine().getOut();
        List<ModelVersion> verified = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        try (ModelStore store = registry.open()) {
            Function<ModelRef, ModelVersion> verifier;
            if (store instanceof PostgresModelStore pg) {
                if (wanted.isEmpty()) {
                    return whole(pg.verify(), out);
                }
                verifier = pg::verify;
            } else {
                verifier = ((FileSystemModelStore) store)::verify;
            }
            if (wanted.isEmpty()) {
                for (ModelSummary m : store.models()) {
                    for (ModelVersion v : liveVersions(store, m.model(), failed)) {
                        check(verifier, v.ref(), verified, failed);
                    }
                }
            } else {
                for (ModelRef r : wanted) {
                    check(verifier, r, verified, failed);
                }
            }
        }
        if (json.json) {
            ObjectNode o = Output.object();
            o.put("ok", failed.isEmpty());
            ArrayNode ok = o.putArray("verified");
            for (ModelVersion v : verified) {
                ObjectNode n = ok.addObject();
                n.put("ref", v.ref().toString());
                n.put("sha256", v.digest().hex());
                n.put("size", v.size());
            }
            ArrayNode bad = o.putArray("failed");
            for (Failure f : failed) {
                bad.addObject().put("ref", f.ref()).put("problem", f.problem());
            }
            Output.print(out, o);
        } else {
            verified.forEach(v -> out.println("verified " + v.ref() + "  sha256 " + v.digest().hex() + "  " + v.size()
                    + " bytes"));
            failed.forEach(f -> out.println("FAILED   " + f.ref() + ": " + f.problem()));
            out.println(verified.size() + " verified, " + failed.size() + " failed");
        }
        return failed.isEmpty() ? Mlops.OK : Mlops.CHECK_FAILED;
    }

    /** Prints a PostgreSQL store's whole check. */
    private int whole(VerifyReport r, PrintWriter out) {
        if (json.json) {
            ObjectNode o = Output.object();
            o.put("ok", r.ok());
            o.put("models", r.models());
            o.put("changes", r.changes());
            o.put("events", r.events());
            o.put("versions", r.versions());
            o.put("artifacts", r.artifacts());
            o.put("artifactBytes", r.artifactBytes());
            ArrayNode a = o.putArray("problems");
            r.problems().forEach(a::add);
            Output.print(out, o);
        } else {
            r.problems().forEach(p -> out.println("FAILED   " + p));
            out.println(r.summary());
        }
        return r.ok() ? Mlops.OK : Mlops.CHECK_FAILED;
    }

    private static List<ModelVersion> liveVersions(ModelStore store, String model, List<Failure> failed) {
        List<ModelVersion> all = new ArrayList<>();
        try {
            Optional<PageRequest> next = Optional.of(PageRequest.first(PageRequest.MAX_SIZE));
            while (next.isPresent()) {
                Page<ModelVersion> page = store.versions(model, next.get());
                all.addAll(page.items());
                next = page.next();
            }
        } catch (IntegrityException | InvalidFormatException | StoreException e) {
            failed.add(new Failure(model, Mlops.message(e)));
        }
        return all;
    }

    private static void check(Function<ModelRef, ModelVersion> verifier, ModelRef ref, List<ModelVersion> verified,
            List<Failure> failed) {
        try {
            verified.add(verifier.apply(ref));
        } catch (IntegrityException | InvalidFormatException | StoreException e) {
            failed.add(new Failure(ref.toString(), Mlops.message(e)));
        }
    }
}
