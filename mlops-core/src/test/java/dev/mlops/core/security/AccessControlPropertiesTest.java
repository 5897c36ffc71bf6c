package dev.mlops.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.AccessDeniedException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.VersionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The access rules as properties: for every store call, every permission level and none, and every way a
 * permission can be granted, the call goes through exactly when the level covers what the call needs, and
 * each call leaves exactly one audit record with the matching outcome. The expected levels are written
 * out here, independently of the implementation, from the table in {@link Permission}.
 */
class AccessControlPropertiesTest {
    /** One store call, the model it concerns, and the permission the table in {@link Permission} says it needs. */
    record Op(String name, String action, String model, Permission needs, Consumer<ModelStore> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** How the principal got its permission; OTHER_MODEL grants it on a model the call does not concern. */
    enum GrantKind { USER_ON_MODEL, USER_ON_ALL, ROLE_ON_MODEL, ROLE_ON_ALL, USER_ON_OTHER_MODEL }

    private static final ChangeNote NOTE = ChangeNote.by("someone").because("property");

    static List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op("register", "model.register", "m", Permission.EDIT, s -> s.register(version("m", "new"))));
        ops.add(new Op("register a new model", "model.register", "fresh", Permission.EDIT, s -> s.register(version("fresh", "x"))));
        ops.add(new Op("find", "model.read", "m", Permission.READ, s -> s.find(ModelRef.of("m", 1))));
        ops.add(new Op("get", "model.read", "m", Permission.READ, s -> s.get(ModelRef.alias("m", "champion"))));
        ops.add(new Op("open", "model.open", "m", Permission.READ, s -> drain(s.open(ModelRef.latest("m")))));
        ops.add(new Op("openVersion", "model.open", "m", Permission.READ, s -> drain(s.openVersion(ModelRef.of("m", 2)).stream())));
        ops.add(new Op("versions", "model.versions", "m", Permission.READ, s -> s.versions("m", PageRequest.first(10))));
        ops.add(new Op("model", "model.summary", "m", Permission.READ, s -> s.model("m")));
        ops.add(new Op("tombstones", "model.tombstones", "m", Permission.READ, s -> s.tombstones("m")));
        ops.add(new Op("aliasHistory", "alias.history", "m", Permission.READ, s -> s.aliasHistory("m", "champion")));
        ops.add(new Op("search a model", "model.search", "m", Permission.READ,
                s -> s.search(VersionQuery.builder().model("m").build())));
        ops.add(new Op("search a model, paged", "model.search", "m", Permission.READ,
                s -> s.search(VersionQuery.builder().model("m").build(), PageRequest.first(2))));
        ops.add(new Op("annotate", "model.annotate", "m", Permission.EDIT,
                s -> s.annotate(ModelRef.of("m", 1), 2, Annotations.builder().putTag("k", "v").build(), NOTE)));
        ops.add(new Op("annotate without a note", "model.annotate", "m", Permission.EDIT,
                s -> s.annotate(ModelRef.of("m", 1), 2, Annotations.builder().description("d").build())));
        ops.add(new Op("annotate removing a tag", "model.annotate", "m", Permission.MANAGE,
                s -> s.annotate(ModelRef.of("m", 1), 2, Annotations.builder().removeTag("stage").build(), NOTE)));
        ops.add(new Op("annotateModel", "model.annotate-model", "m", Permission.EDIT,
                s -> s.annotateModel("m", 1, Annotations.builder().putTag("owner", "risk").removeTag("x").build(), NOTE)));
        ops.add(new Op("setAlias", "alias.set", "m", Permission.EDIT,
                s -> s.setAlias("m", "champion", 3, AliasExpect.current(2), NOTE)));
        ops.add(new Op("setAlias without a note", "alias.set", "m", Permission.EDIT,
                s -> s.setAlias("m", "staging", 3, AliasExpect.absent())));
        ops.add(new Op("rollback", "alias.rollback", "m", Permission.EDIT, s -> s.rollback("m", "champion", NOTE)));
        ops.add(new Op("rollback without a note", "alias.rollback", "m", Permission.EDIT, s -> s.rollback("m", "champion")));
        ops.add(new Op("removeAlias", "alias.remove", "m", Permission.MANAGE,
                s -> s.removeAlias("m", "champion", AliasExpect.current(2), NOTE)));
        ops.add(new Op("delete", "model.delete", "m", Permission.MANAGE, s -> s.delete(ModelRef.of("m", 3), NOTE)));
        ops.add(new Op("delete with a reason", "model.delete", "m", Permission.MANAGE, s -> s.delete(ModelRef.of("m", 3), "why")));
        ops.add(new Op("deleteModel", "model.delete-model", "plain", Permission.MANAGE, s -> s.deleteModel("plain", NOTE)));
        return ops;
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.of(operations());
    }

    @Provide
    Arbitrary<Optional<Permission>> levels() {
        return Arbitraries.of(Optional.empty(), Optional.of(Permission.READ), Optional.of(Permission.EDIT),
                Optional.of(Permission.MANAGE));
    }

    /** Every call in every combination (24 calls x 4 levels x 5 ways = 480 tries). */
    @Property(generation = GenerationMode.EXHAUSTIVE)
    void aCallGoesThrough_exactlyWhenTheGrantCoversIt_andLeavesOneRecord(@ForAll("ops") Op op,
            @ForAll("levels") Optional<Permission> level, @ForAll GrantKind kind) {
        InMemoryModelStore inner = seeded();
        AuditLog log = AuditLog.inMemory();
        Principal alice = Principal.of("alice", "risk");
        ModelStore store = new AccessControlledModelStore(inner, policy(level, kind, op.model()), log, () -> alice);
        long eventsBefore = inner.events(0, 10_000).size();
        boolean expected = level.isPresent() && kind != GrantKind.USER_ON_OTHER_MODEL && level.get().covers(op.needs());

        if (expected) {
            op.call().accept(store);
        } else {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> op.call().accept(store));
            assertTrue(e.getMessage().contains("alice") && e.getMessage().contains(op.needs().name())
                    && e.getMessage().contains("model " + op.model()), e.getMessage());
            assertEquals(eventsBefore, inner.events(0, 10_000).size(), "a denied call changes nothing");
        }

        List<AuditRecord> records = log.read(0, 100);
        assertEquals(1, records.size(), () -> "one record per decision, got " + records);
        AuditEvent r = records.get(0).event();
        assertEquals(expected ? AuditEvent.Outcome.ALLOWED : AuditEvent.Outcome.DENIED, r.outcome());
        assertEquals("alice", r.actor());
        assertEquals(op.action(), r.action());
        assertTrue(r.target().startsWith(op.model()), r.target());
        assertEquals(op.needs().name(), r.details().get("permission"));
        String granted = kind == GrantKind.USER_ON_OTHER_MODEL ? "NONE" : level.map(Permission::name).orElse("NONE");
        assertEquals(granted, r.details().get("granted"));
    }

    /** Calls across models are never denied; they show exactly the models the principal may read. */
    @Property(tries = 200)
    void callsAcrossModels_showExactlyTheReadableModels_andLeaveOneRecordEach(
            @ForAll("grantSets") Map<String, Optional<Permission>> grants) {
        InMemoryModelStore inner = new InMemoryModelStore();
        List<String> models = List.of("a", "b", "c", "d");
        for (String model : models) {
            inner.register(version(model, model + "1"));
            inner.register(NewVersion.builder(model).artifact(new byte[] {2})
                    .lineage(dev.mlops.core.registry.Lineage.builder().parent(ModelRef.of("a", 1)).build()).build());
        }
        AccessPolicy.Builder b = AccessPolicy.builder();
        grants.forEach((model, level) -> level.ifPresent(p -> b.grantRole("team", p, model)));
        AuditLog log = AuditLog.inMemory();
        Principal bob = Principal.of("bob", "team");
        ModelStore store = new AccessControlledModelStore(inner, b.build(), log, () -> bob);
        Set<String> readable = new TreeSet<>();
        grants.forEach((model, level) -> level.ifPresent(p -> readable.add(model)));
        List<String> heard = new ArrayList<>();
        store.subscribe(e -> heard.add(e.model()));

        assertEquals(readable, new TreeSet<>(store.models().stream().map(ModelSummary::model).toList()));
        assertEquals(readable, modelsOf(store.search(VersionQuery.builder().build())));
        assertEquals(readable, modelsOf(store.search(VersionQuery.builder().build(), PageRequest.first(100)).items()));
        Set<String> childModels = modelsOf(store.children(ModelRef.of("a", 1)));
        assertEquals(readable, childModels);
        assertEquals(readable, new TreeSet<>(store.events(0, 100).stream().map(ModelStoreEvent::model).toList()));
        for (String model : models) {
            inner.register(version(model, model + "3"));
        }
        assertEquals(new ArrayList<>(readable), heard, "the listener hears only readable models");

        List<AuditRecord> records = log.read(0, 100);
        assertEquals(List.of("store.subscribe", "model.list", "model.search", "model.search", "model.children", "store.events"),
                records.stream().map(r -> r.event().action()).toList());
        assertTrue(records.stream().allMatch(r -> r.event().outcome() == AuditEvent.Outcome.ALLOWED
                && r.event().details().get("granted").equals("filtered")));
    }

    /**
     * One change, made with a note (or a version's creator) naming {@code claimed}, or without a note when
     * {@code noted} is false.
     */
    record Change(String name, boolean noted, BiConsumer<ModelStore, String> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Change> changes() {
        List<Change> c = new ArrayList<>();
        c.add(new Change("register", true, (s, who) -> s.register(NewVersion.builder("m").artifact(new byte[] {9})
                .createdBy(who).build())));
        c.add(new Change("annotate", true, (s, who) -> s.annotate(ModelRef.of("m", 1), 2,
                Annotations.builder().putTag("k", "v").build(), ChangeNote.by(who).because("r"))));
        c.add(new Change("annotate without a note", false, (s, who) -> s.annotate(ModelRef.of("m", 1), 2,
                Annotations.builder().description("d").build())));
        c.add(new Change("annotateModel", true, (s, who) -> s.annotateModel("m", 1,
                Annotations.builder().putTag("owner", "risk").build(), ChangeNote.by(who))));
        c.add(new Change("setAlias", true, (s, who) -> s.setAlias("m", "champion", 3, AliasExpect.current(2), ChangeNote.by(who))));
        c.add(new Change("setAlias without a note", false, (s, who) -> s.setAlias("m", "staging", 3, AliasExpect.absent())));
        c.add(new Change("rollback", true, (s, who) -> s.rollback("m", "champion", ChangeNote.by(who).because("r"))));
        c.add(new Change("rollback without a note", false, (s, who) -> s.rollback("m", "champion")));
        c.add(new Change("removeAlias", true, (s, who) -> s.removeAlias("m", "champion", AliasExpect.current(2), ChangeNote.by(who))));
        c.add(new Change("delete", true, (s, who) -> s.delete(ModelRef.of("m", 3), ChangeNote.by(who))));
        c.add(new Change("delete with a reason", false, (s, who) -> s.delete(ModelRef.of("m", 3), "why")));
        c.add(new Change("deleteModel", true, (s, who) -> s.deleteModel("plain", ChangeNote.by(who).because("r"))));
        return c;
    }

    @Provide
    Arbitrary<Change> changeCalls() {
        return Arbitraries.of(changes());
    }

    @Provide
    Arbitrary<String> claimedActors() {
        Arbitrary<String> any = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withChars("-_.@: éß漢")
                .ofMinLength(1).ofMaxLength(40);
        return Arbitraries.oneOf(Arbitraries.of("alice", "unknown", "bob", "Alice", "root", "alice@example.com"), any);
    }

    /**
     * Whatever actor a caller names in its note or request, the store's history (versions, alias moves,
     * tombstones, notes: every event the call made) and every audit record, the access decision's and the
     * auditing store's, name the authenticated principal; the claim survives only as the decision's
     * {@code claimedActor} detail.
     */
    @Property(tries = 300)
    void aClaimedActor_neverBecomesTheActorOfRecord_inTheStoresHistoryOrTheAuditLog(@ForAll("changeCalls") Change change,
            @ForAll("claimedActors") String claimed) {
        InMemoryModelStore inner = seeded();
        AuditLog log = AuditLog.inMemory();
        Principal alice = Principal.of("alice", "risk");
        ModelStore store = new AccessControlledModelStore(new AuditingModelStore(inner, log),
                AccessPolicy.builder().grantRoleAllModels("risk", Permission.MANAGE).build(), log, () -> alice);
        long before = inner.events(0, 10_000).size();

        change.call().accept(store, claimed);

        List<ModelStoreEvent> made = inner.events(before, 10_000);
        assertTrue(!made.isEmpty(), "the change was made");
        for (ModelStoreEvent e : made) {
            assertEquals(List.of("alice"), actorsOf(e).stream().distinct().toList(), e::toString);
        }
        List<AuditRecord> records = log.read(0, 100);
        assertEquals(2, records.size(), () -> "the decision and the change: " + records);
        for (AuditRecord r : records) {
            assertEquals("alice", r.event().actor(), r::toString);
        }
        boolean claim = change.noted() && !claimed.equals("alice") && !claimed.equals("unknown");
        assertEquals(claim ? Optional.of(claimed) : Optional.empty(),
                Optional.ofNullable(records.get(0).event().details().get("claimedActor")));
    }

    private static List<String> actorsOf(ModelStoreEvent e) {
        if (e instanceof ModelStoreEvent.Registered r) {
            return List.of(r.version().createdBy());
        }
        if (e instanceof ModelStoreEvent.AliasMoved m) {
            return List.of(m.move().actor());
        }
        if (e instanceof ModelStoreEvent.Annotated a) {
            return List.of(a.note().actor());
        }
        if (e instanceof ModelStoreEvent.Deleted d) {
            return List.of(d.tombstone().actor());
        }
        if (e instanceof ModelStoreEvent.ModelAnnotated a) {
            return List.of(a.note().actor());
        }
        ModelStoreEvent.ModelDeleted d = (ModelStoreEvent.ModelDeleted) e;
        List<String> out = new ArrayList<>(List.of(d.note().actor()));
        d.tombstones().forEach(t -> out.add(t.actor()));
        return out;
    }

    @Provide
    Arbitrary<Map<String, Optional<Permission>>> grantSets() {
        return levels().list().ofSize(4).map(levels -> Map.of("a", levels.get(0), "b", levels.get(1),
                "c", levels.get(2), "d", levels.get(3)));
    }

    private static Set<String> modelsOf(List<ModelVersion> versions) {
        return new TreeSet<>(versions.stream().map(ModelVersion::model).toList());
    }

    private static AccessPolicy policy(Optional<Permission> level, GrantKind kind, String model) {
        AccessPolicy.Builder b = AccessPolicy.builder();
        level.ifPresent(p -> {
            switch (kind) {
                case USER_ON_MODEL -> b.grantUser("alice", p, model);
                case USER_ON_ALL -> b.grantUserAllModels("alice", p);
                case ROLE_ON_MODEL -> b.grantRole("risk", p, model);
                case ROLE_ON_ALL -> b.grantRoleAllModels("risk", p);
                case USER_ON_OTHER_MODEL -> b.grantUser("alice", p, "other");
                default -> throw new AssertionError(kind);
            }
        });
        b.grantUserAllModels("someone-else", Permission.MANAGE);
        return b.build();
    }

    /** m: versions 1 to 3, champion moved 1 then 2, version 1 tagged and annotated once; plain: one version, no alias. */
    private static InMemoryModelStore seeded() {
        InMemoryModelStore s = new InMemoryModelStore();
        for (int i = 1; i <= 3; i++) {
            s.register(version("m", "v" + i));
        }
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        s.setAlias("m", "champion", 2, AliasExpect.current(1));
        s.annotate(ModelRef.of("m", 1), 1, Annotations.builder().putTag("stage", "prod").build());
        s.register(version("plain", "p"));
        return s;
    }

    private static NewVersion version(String model, String content) {
        return NewVersion.builder(model).artifact(content.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static void drain(InputStream in) {
        try (in) {
            in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
