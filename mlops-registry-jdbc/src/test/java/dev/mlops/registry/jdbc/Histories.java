package dev.mlops.registry.jdbc;

import dev.mlops.core.MlopsException;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Field;
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
import dev.mlops.core.registry.VersionQuery;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Histories of writes for the snapshot tests: a fixed one that makes every kind of change, random ones,
 * and everything a caller can observe of the result, so that a store loaded from snapshots can be compared
 * with the writer and with a full replay.
 */
final class Histories {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final List<String> MODELS = List.of("fraud", "fraud-base", "retired", "ghost");
    static final List<String> ALIASES = List.of("champion", "staging", "never");

    private Histories() {
    }

    /** @return a clock that ticks one second per reading */
    static InstantSource clock() {
        AtomicLong reads = new AtomicLong();
        return () -> T0.plus(Duration.ofSeconds(reads.getAndIncrement()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Every kind of change: {@code fraud} gets 10 changes (two registrations, alias moves, a rollback, an
     * annotation, an alias removal, a deletion, a model annotation), {@code fraud-base} one, {@code retired}
     * two (a registration and the whole model's deletion).
     */
    static void populate(ModelStore s) {
        ModelVersion v1 = s.register(NewVersion.builder("fraud").artifact(utf8("weights-v1"))
                .description("gradient boosted\ntrees").tag("team", "risk").param("trees", 300).metric("auc", 0.912)
                .lineage(Lineage.builder().codeRevision("3f2a9c1", true)
                        .data(URI.create("s3://bucket/nov.parquet"), Sha256.ofUtf8("rows"), 1_204_331).runId("run-42")
                        .build())
                .signature(Signature.of(Field.float64("amount"), Field.category("country").orNull())
                        .returns(Field.float64("score")))
                .build());
        ModelVersion v2 = s.register(NewVersion.builder("fraud").artifact(utf8("weights-v2 \u00e9")).metric("auc", 0.93)
                .lineage(Lineage.builder().parent(v1.ref()).build()).build());
        s.register(NewVersion.builder("fraud-base").artifact(utf8("weights-v1")).build());
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
        s.register(NewVersion.builder("retired").artifact(utf8("old")).build());
        s.deleteModel("retired", ChangeNote.by("gus").because("retired"));
    }

    /** One random write to {@code model}; a write the rules refuse is skipped. */
    static void randomWrite(ModelStore s, String model, Random random, int i) {
        long highest = s.model(model).map(ModelSummary::highestAssigned).orElse(0L);
        long some = highest == 0 ? 1 : 1 + random.nextInt((int) highest);
        String alias = ALIASES.get(random.nextInt(2));
        try {
            switch (highest == 0 ? 0 : random.nextInt(10)) {
                case 0, 1, 2 -> {
                    NewVersion.Builder b = NewVersion.builder(model)
                            .artifact(("w" + random.nextInt(4)).getBytes(StandardCharsets.UTF_8))
                            .metric("auc", random.nextInt(10) / 10.0).tag("i", Integer.toString(i));
                    if (highest > 0 && random.nextBoolean()) {
                        b.lineage(Lineage.builder().parent(ModelRef.of(model, some)).build());
                    }
                    s.register(b.build());
                }
                case 3 -> s.setAlias(model, alias, some, AliasExpect.any(), ChangeNote.by("a").because("r" + i));
                case 4 -> s.rollback(model, alias, ChangeNote.by("b"));
                case 5 -> s.removeAlias(model, alias, AliasExpect.any(), ChangeNote.by("b").because("r" + i));
                case 6 -> s.annotate(ModelRef.of(model, some), s.get(ModelRef.of(model, some)).revision(),
                        Annotations.builder().putTag("k", "v" + i).build(), ChangeNote.by("c"));
                case 7 -> s.delete(ModelRef.of(model, some), ChangeNote.by("d").because("gone"));
                case 8 -> s.annotateModel(model, s.model(model).orElseThrow().revision(),
                        Annotations.builder().description("d" + i).putTag("t", "x" + i).build(), ChangeNote.NONE);
                default -> {
                    if (random.nextInt(4) == 0) {
                        s.deleteModel(model, ChangeNote.by("e").because("r" + i));
                    }
                }
            }
        } catch (MlopsException | NoSuchElementException refused) {
            // the rules refused it (an alias not set, a version deleted, ...): nothing was written
        }
    }

    /** Everything observable through the public reads, but artifact bytes (their digests are in the versions). */
    record Observed(List<ModelSummary> models, Map<String, Optional<ModelSummary>> model,
            Map<String, List<ModelVersion>> versions, Map<String, List<ModelVersion>> children,
            Map<String, List<AliasMove>> history, Map<String, Optional<ModelVersion>> aliases,
            Map<String, List<Tombstone>> tombstones, Map<String, List<ModelVersion>> best,
            List<ModelStoreEvent> events) {
    }

    static Observed observe(ModelStore s) {
        Map<String, Optional<ModelSummary>> model = new TreeMap<>();
        Map<String, List<ModelVersion>> versions = new TreeMap<>();
        Map<String, List<ModelVersion>> children = new TreeMap<>();
        Map<String, List<AliasMove>> history = new TreeMap<>();
        Map<String, Optional<ModelVersion>> aliases = new TreeMap<>();
        Map<String, List<Tombstone>> tombstones = new TreeMap<>();
        Map<String, List<ModelVersion>> best = new TreeMap<>();
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
            long highest = model.get(m).map(ModelSummary::highestAssigned).orElse(0L);
            for (long v = 1; v <= highest; v++) {
                children.put(m + ":" + v, s.children(ModelRef.of(m, v)));
            }
            for (String a : ALIASES) {
                history.put(m + "@" + a, s.aliasHistory(m, a));
                aliases.put(m + "@" + a, s.find(ModelRef.alias(m, a)));
            }
            tombstones.put(m, s.tombstones(m));
            best.put(m, s.search(VersionQuery.builder().model(m).orderBy(VersionQuery.Order.highest("auc")).build(),
                    PageRequest.first(5)).items());
        }
        return new Observed(s.models(), model, versions, children, history, aliases, tombstones, best,
                s.events(0, 10_000));
    }
}
