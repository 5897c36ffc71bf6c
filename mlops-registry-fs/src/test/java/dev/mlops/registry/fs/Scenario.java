package dev.mlops.registry.fs;

import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Environment;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.FieldType;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.Tombstone;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fixed sequence of writes that makes every kind of change file, on a clock that ticks one second per
 * read, and everything a caller can observe of the result. The golden layout-v1 store was made by
 * {@link #populate}; changing what it writes changes the golden files.
 */
final class Scenario {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final List<String> MODELS = List.of("fraud", "fraud-base", "retired", "ghost");
    static final List<String> ALIASES = List.of("champion", "staging", "never");

    private Scenario() {
    }

    static InstantSource clock() {
        AtomicLong reads = new AtomicLong();
        return () -> T0.plus(Duration.ofSeconds(reads.getAndIncrement()));
    }

    private static final Environment ENV = new Environment("17.0.15 (Debian)", "Linux 6.1 amd64", "0.1.0",
            Map.of("gpu", "none"));

    static void populate(ModelStore s) {
        ModelVersion v1 = s.register(NewVersion.builder("fraud").artifact(utf8("weights-v1"))
                .description("gradient boosted\ntrees")
                .tag("team", "risk")
                .param("learningRate", "0.05")
                .param("trees", 300)
                .metric("auc", 0.912)
                .createdBy("ci-pipeline")
                .lineage(Lineage.builder().codeRevision("3f2a9c1", true)
                        .data(URI.create("s3://bucket/nov.parquet"), Sha256.ofUtf8("rows"), 1_204_331)
                        .runId("run-42").environment(ENV).build())
                .signature(Signature.of(Field.float64("amount"), Field.category("country").orNull(),
                        Field.tensor("embedding", FieldType.FLOAT32, -1, 8)).returns(Field.float64("score")))
                .build());
        ModelVersion v2 = s.register(NewVersion.builder("fraud").artifact(utf8("weights-v2 \u00e9"))
                .lineage(Lineage.builder().parent(v1.ref()).environment(ENV).build()).build());
        s.register(NewVersion.builder("fraud-base").artifact(utf8("weights-v1"))
                .lineage(Lineage.builder().environment(ENV).build()).build());
        s.setAlias("fraud", "champion", 1, AliasExpect.absent(), ChangeNote.by("ann").because("first"));
        s.setAlias("fraud", "champion", 2, AliasExpect.current(1), ChangeNote.by("bob").because("better"));
        s.rollback("fraud", "champion", ChangeNote.by("cy").because("p99 doubled"));
        s.annotate(v2.ref(), 1, Annotations.builder().description("candidate").putTag("stage", "shadow").build(),
                ChangeNote.by("dee").because("relabel"));
        s.setAlias("fraud", "staging", 2, AliasExpect.absent(), ChangeNote.NONE);
        s.removeAlias("fraud", "staging", AliasExpect.current(2), ChangeNote.by("eve").because("done"));
        s.delete(v2.ref(), ChangeNote.by("eve").because("leaked test data"));
        s.annotateModel("fraud", 1, Annotations.builder().description("fraud scorer").putTag("owner", "risk").build(),
                ChangeNote.by("fay").because("owner"));
        s.register(NewVersion.builder("retired").artifact(utf8("old"))
                .lineage(Lineage.builder().environment(ENV).build()).build());
        s.deleteModel("retired", ChangeNote.by("gus").because("retired"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Everything observable through the public reads. */
    record Observed(List<ModelSummary> models, Map<String, Optional<ModelSummary>> model,
            Map<String, List<ModelVersion>> versions, Map<String, List<AliasMove>> history,
            Map<String, List<Tombstone>> tombstones, Map<String, String> artifacts, List<ModelStoreEvent> events) {
    }

    static Observed observe(ModelStore s) {
        Map<String, Optional<ModelSummary>> model = new TreeMap<>();
        Map<String, List<ModelVersion>> versions = new TreeMap<>();
        Map<String, List<AliasMove>> history = new TreeMap<>();
        Map<String, List<Tombstone>> tombstones = new TreeMap<>();
        Map<String, String> artifacts = new TreeMap<>();
        for (String m : MODELS) {
            model.put(m, s.model(m));
            List<ModelVersion> all = new ArrayList<>();
            for (Page<ModelVersion> p = s.versions(m, PageRequest.first(2)); ; p = s.versions(m, p.next().get())) {
                all.addAll(p.items());
                if (p.next().isEmpty()) {
                    break;
                }
            }
            versions.put(m, all);
            for (ModelVersion v : all) {
                try (InputStream in = s.open(v.ref())) {
                    artifacts.put(v.ref().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            for (String a : ALIASES) {
                history.put(m + "@" + a, s.aliasHistory(m, a));
                s.find(ModelRef.alias(m, a)).ifPresent(v -> artifacts.put(m + "@" + a, v.ref().toString()));
            }
            tombstones.put(m, s.tombstones(m));
        }
        return new Observed(s.models(), model, versions, history, tombstones, artifacts, s.events(0, 10_000));
    }
}
