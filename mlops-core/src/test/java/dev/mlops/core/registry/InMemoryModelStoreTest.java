package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What only the in-memory store promises, beyond the kit (InMemoryModelStoreContractTest in mlops-tck
 * runs the kit against it): bounded history, paging at size, reverse lineage, search pages.
 */
class InMemoryModelStoreTest {
    private static NewVersion version(String model) {
        return NewVersion.builder(model).artifact(new byte[] {1, 2, 3}).build();
    }

    @Test
    void listenerThatWrites_seesItsOwnEventAfterTheCurrentOne_andSoDoesEveryOtherListener() {
        InMemoryModelStore s = new InMemoryModelStore();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        s.subscribe(e -> {
            first.add(describe(e));
            if (e instanceof ModelStoreEvent.Registered r && r.version().version() == 1) {
                s.setAlias("m", "champion", 1, AliasExpect.absent());
            }
        });
        s.subscribe(e -> second.add(describe(e)));
        s.register(version("m"));
        assertEquals(List.of("registered 1", "alias champion -> 1"), first);
        assertEquals(List.of("registered 1", "alias champion -> 1"), second, "a later listener saw the alias move first");
    }

    private static String describe(ModelStoreEvent e) {
        if (e instanceof ModelStoreEvent.Registered r) {
            return "registered " + r.version().version();
        }
        if (e instanceof ModelStoreEvent.AliasMoved a) {
            return "alias " + a.move().alias() + " -> " + a.move().to().orElse(-1);
        }
        return e.getClass().getSimpleName();
    }

    /** A clock that works until it is told to fail. */
    private static final class BreakingClock implements InstantSource {
        volatile boolean broken;
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public synchronized Instant instant() {
            if (broken) {
                throw new IllegalStateException("clock failed");
            }
            now = now.plusMillis(1);
            return now;
        }
    }

    @Test
    void aFailingClock_leavesEveryWriteUndone_notHalfDone() {
        BreakingClock clock = new BreakingClock();
        InMemoryModelStore s = InMemoryModelStore.withClock(clock);
        s.register(version("m"));
        s.register(version("m"));
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        s.setAlias("m", "champion", 2, AliasExpect.current(1));
        clock.broken = true;

        assertThrows(IllegalStateException.class, () -> s.setAlias("m", "champion", 1, AliasExpect.current(2)));
        assertThrows(IllegalStateException.class, () -> s.rollback("m", "champion"));
        assertThrows(IllegalStateException.class, () -> s.removeAlias("m", "champion", AliasExpect.any(), ChangeNote.NONE));
        assertThrows(IllegalStateException.class, () -> s.delete(ModelRef.of("m", 1), "old"));
        assertThrows(IllegalStateException.class, () -> s.register(version("m")));

        assertEquals(2, s.get(ModelRef.alias("m", "champion")).version(), "the alias did not move");
        assertEquals(2, s.aliasHistory("m", "champion").size(), "no history entry without a move");
        assertTrue(s.find(ModelRef.of("m", 1)).isPresent(), "v1 was not deleted");
        assertTrue(s.tombstones("m").isEmpty());
        assertEquals(2, s.models().get(0).highestAssigned(), "no version number was used up");
        clock.broken = false;
        assertEquals(3, s.register(version("m")).version());
        assertEquals(1, s.rollback("m", "champion").to().getAsLong(), "the rollback stack is intact");
    }

    @Test
    void aliasHistory_keepsTheLastThousandMoves_andRollbackStillWorks() {
        InMemoryModelStore s = new InMemoryModelStore();
        s.register(version("m"));
        s.register(version("m"));
        for (int i = 0; i < 2500; i++) {
            s.setAlias("m", "a", 1 + i % 2, AliasExpect.any());
        }
        List<AliasMove> history = s.aliasHistory("m", "a");
        assertEquals(1000, history.size());
        assertEquals(OptionalLong.of(2), history.get(history.size() - 1).to());
        assertEquals(1, s.rollback("m", "a").to().getAsLong());
    }

    @Test
    void paging_followsTokensThroughEveryVersion_withoutGapsOrRepeats() {
        InMemoryModelStore s = new InMemoryModelStore();
        for (int i = 0; i < 2345; i++) {
            s.register(version("m"));
        }
        s.delete(ModelRef.of("m", 1000), "gap");
        long expected = 2345;
        Page<ModelVersion> page = s.versions("m", PageRequest.first(100));
        int pages = 1;
        while (true) {
            for (ModelVersion v : page.items()) {
                if (expected == 1000) {
                    expected--;
                }
                assertEquals(expected--, v.version());
            }
            if (page.next().isEmpty()) {
                break;
            }
            page = s.versions("m", page.next().get());
            pages++;
        }
        assertEquals(0, expected);
        assertEquals(24, pages);
    }

    @Test
    void registeringFromBytes_keepsTheStoresOwnCopy() throws Exception {
        InMemoryModelStore s = new InMemoryModelStore();
        byte[] bytes = {1, 2, 3, 4};
        ModelVersion v = s.register(NewVersion.builder("m").artifact(bytes).build());
        bytes[0] = 9;
        try (var in = s.open(v.ref())) {
            assertArrayEquals(new byte[] {1, 2, 3, 4}, in.readAllBytes());
        }
    }

    @Test
    void openVersion_tellsWhichVersionItOpened_evenWhenTheAliasMovesAfterwards() throws Exception {
        InMemoryModelStore s = new InMemoryModelStore();
        s.register(NewVersion.builder("m").artifact(new byte[] {1}).build());
        s.register(NewVersion.builder("m").artifact(new byte[] {2}).build());
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        try (OpenedVersion opened = s.openVersion(ModelRef.alias("m", "champion"))) {
            s.setAlias("m", "champion", 2, AliasExpect.current(1));
            assertEquals(1, opened.version().version());
            assertArrayEquals(new byte[] {1}, opened.stream().readAllBytes());
        }
        assertThrows(dev.mlops.core.ModelNotFoundException.class, () -> s.openVersion(ModelRef.alias("m", "staging")));
    }

    @Test
    void lineageParents_mustBeLive_andChildrenAreFoundInReverse() {
        InMemoryModelStore s = new InMemoryModelStore();
        ModelVersion base = s.register(version("base"));
        ModelVersion tuned = s.register(NewVersion.builder("tuned").artifact(new byte[] {1})
                .lineage(Lineage.builder().parent(base.ref()).build()).build());
        ModelVersion again = s.register(NewVersion.builder("base").artifact(new byte[] {2})
                .lineage(Lineage.builder().parent(base.ref()).build()).build());
        assertEquals(List.of(again, tuned).stream().map(ModelVersion::ref).toList(),
                s.children(base.ref()).stream().map(ModelVersion::ref).toList());
        assertTrue(s.children(tuned.ref()).isEmpty());

        var missing = assertThrows(dev.mlops.core.ModelNotFoundException.class, () -> s.register(NewVersion.builder("tuned")
                .artifact(new byte[] {1}).lineage(Lineage.builder().parent(ModelRef.of("base", 9)).build()).build()));
        assertTrue(missing.getMessage().contains("base:9"), missing.getMessage());
        assertThrows(dev.mlops.core.ModelNotFoundException.class, () -> s.register(NewVersion.builder("base")
                .artifact(new byte[] {1}).lineage(Lineage.builder().parent(ModelRef.of("base", 7)).build()).build()));
        assertEquals(2, s.models().stream().filter(m -> m.model().equals("base")).findFirst().orElseThrow()
                .highestAssigned(), "a refused registration uses up no number");

        s.delete(tuned.ref(), "gone");
        assertEquals(List.of(again.ref()), s.children(base.ref()).stream().map(ModelVersion::ref).toList());
    }

    @Test
    void searchPages_inEveryOrder_equalTheSortedMatches_withTiesAcrossModels() {
        java.util.Random r = new java.util.Random(8);
        InMemoryModelStore s = InMemoryModelStore.withClock(new BreakingClock());
        String[] models = {"a", "b.x", "c"};
        for (int i = 0; i < 240; i++) {
            NewVersion.Builder b = NewVersion.builder(models[r.nextInt(3)]).artifact(new byte[] {(byte) r.nextInt(4)})
                    .tag("team", r.nextBoolean() ? "risk" : "growth").param("trees", 100 * (1 + r.nextInt(3)));
            if (r.nextInt(5) > 0) {
                b.metric("auc", 0.5 + 0.1 * r.nextInt(5));
            }
            if (r.nextInt(3) == 0) {
                b.tag("reviewed", "");
            }
            s.register(b.build());
        }
        for (int i = 0; i < 30; i++) {
            String m = models[r.nextInt(3)];
            s.find(ModelRef.of(m, 1 + r.nextInt(60))).ifPresent(v -> s.delete(v.ref(), "thinned"));
        }
        List<ModelVersion> all = new java.util.ArrayList<>();
        for (String m : models) {
            for (Page<ModelVersion> p = s.versions(m, PageRequest.first(1000)); ; p = s.versions(m, p.next().get())) {
                all.addAll(p.items());
                if (p.next().isEmpty()) {
                    break;
                }
            }
        }
        for (VersionQuery.Order order : List.of(VersionQuery.Order.newestFirst(), VersionQuery.Order.highest("auc"),
                VersionQuery.Order.lowest("auc"))) {
            for (VersionQuery query : List.of(VersionQuery.builder().orderBy(order).build(),
                    VersionQuery.builder().orderBy(order).tag("team", "risk").hasTag("reviewed").build(),
                    VersionQuery.builder().orderBy(order).model("b.x").param("trees", "200").build())) {
                List<ModelVersion> expected = all.stream().filter(query::matches).sorted(order.comparator()).toList();
                for (int size : new int[] {1, 3, 7, 1000}) {
                    List<ModelVersion> paged = new java.util.ArrayList<>();
                    Page<ModelVersion> p = s.search(query, PageRequest.first(size));
                    while (true) {
                        assertTrue(p.items().size() <= size);
                        paged.addAll(p.items());
                        if (p.next().isEmpty()) {
                            break;
                        }
                        p = s.search(query, p.next().get());
                    }
                    assertEquals(expected, paged, order + " " + query + " in pages of " + size);
                }
                assertEquals(expected.subList(0, Math.min(5, expected.size())), s.search(copyWithLimit(query, 5)),
                        "the first limit matches");
            }
        }
        Page<ModelVersion> byAuc = s.search(VersionQuery.builder().orderBy(VersionQuery.Order.highest("auc")).build(),
                PageRequest.first(2));
        assertThrows(IllegalArgumentException.class, () -> s.search(VersionQuery.builder().build(), byAuc.next().get()));
    }

    private static VersionQuery copyWithLimit(VersionQuery q, int limit) {
        return new VersionQuery(q.model(), q.tags(), q.tagKeys(), q.params(), q.metrics(), q.digest(), q.createdFrom(),
                q.createdBefore(), q.order(), limit);
    }

    @Test
    void integerParams_stayIntegers_andDigestFindsEveryVersionOfTheSameBytes() {
        InMemoryModelStore s = new InMemoryModelStore();
        ModelVersion one = s.register(NewVersion.builder("m").artifact(new byte[] {7}).param("trees", 300).build());
        ModelVersion two = s.register(NewVersion.builder("n").artifact(new byte[] {7}).build());
        s.register(NewVersion.builder("n").artifact(new byte[] {8}).build());
        assertEquals("300", one.params().get("trees"));
        assertEquals(List.of(two.ref(), one.ref()), s.search(VersionQuery.builder().digest(one.digest()).build()).stream()
                .map(ModelVersion::ref).toList());
    }

    @Test
    void eventSequence_hasNoGaps_underWritersToManyModels_andTellsWhenOldEventsAreGone() throws Exception {
        InMemoryModelStore s = new InMemoryModelStore();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String model = "m" + t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    s.register(version(model));
                }
            }));
        }
        for (var f : done) {
            f.get();
        }
        pool.shutdown();
        List<ModelStoreEvent> all = new java.util.ArrayList<>();
        for (long after = 0; ; ) {
            List<ModelStoreEvent> page = s.events(after, 333);
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            after = page.get(page.size() - 1).sequence();
        }
        assertEquals(2000, all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).sequence());
        }
        for (String model : List.of("m0", "m1", "m2", "m3")) {
            List<Long> versions = all.stream().filter(e -> e.model().equals(model))
                    .map(e -> ((ModelStoreEvent.Registered) e).version().version()).toList();
            assertEquals(java.util.stream.LongStream.rangeClosed(1, 500).boxed().toList(), versions,
                    "per model, the sequence follows commit order");
        }

        s.register(version("a"));
        for (int i = 0; i < InMemoryModelStore.KEPT_EVENTS; i++) {
            s.setAlias("a", "x", 1, AliasExpect.any());
        }
        var gone = assertThrows(dev.mlops.core.ConflictException.class, () -> s.events(0, 10));
        assertTrue(gone.getMessage().contains("no longer kept"), gone.getMessage());
        long last = 2001 + InMemoryModelStore.KEPT_EVENTS;
        assertEquals(List.of(last), s.events(last - 1, 10).stream().map(ModelStoreEvent::sequence).toList());
    }

    @Test
    void modelView_annotatesWithARevision_andDeletesWholeOnlyWithoutAliases() {
        BreakingClock clock = new BreakingClock();
        InMemoryModelStore s = InMemoryModelStore.withClock(clock);
        List<ModelStoreEvent> events = new CopyOnWriteArrayList<>();
        s.subscribe(events::add);
        ModelVersion v1 = s.register(version("m"));
        s.register(version("m"));
        ModelSummary fresh = s.model("m").orElseThrow();
        assertEquals(1, fresh.revision());
        assertEquals(v1.createdAt(), fresh.createdAt());
        assertEquals("", fresh.description());

        ModelSummary annotated = s.annotateModel("m", 1, Annotations.builder().description("fraud scorer")
                .putTag("team", "risk").build(), ChangeNote.by("ann").because("owner"));
        assertEquals(2, annotated.revision());
        assertEquals("fraud scorer", annotated.description());
        assertEquals(java.util.Map.of("team", "risk"), annotated.tags());
        assertTrue(annotated.updatedAt().isAfter(fresh.updatedAt()));
        assertEquals(annotated, s.model("m").orElseThrow());
        assertThrows(dev.mlops.core.ConcurrentUpdateException.class,
                () -> s.annotateModel("m", 1, Annotations.builder().description("x").build(), ChangeNote.NONE));
        var last = assertInstanceOf(ModelStoreEvent.ModelAnnotated.class, events.get(events.size() - 1));
        assertEquals(annotated, last.summary());
        assertEquals("ann", last.note().actor());

        s.setAlias("m", "champion", 2, AliasExpect.absent());
        var conflict = assertThrows(dev.mlops.core.ConflictException.class, () -> s.deleteModel("m", ChangeNote.NONE));
        assertTrue(conflict.getMessage().contains("[champion]"), conflict.getMessage());
        assertEquals(2, s.model("m").orElseThrow().liveVersions(), "a refused delete changes nothing");
        s.removeAlias("m", "champion", AliasExpect.current(2), ChangeNote.NONE);

        List<Tombstone> gone = s.deleteModel("m", ChangeNote.by("eve").because("retired"));
        assertEquals(List.of(1L, 2L), gone.stream().map(Tombstone::version).toList());
        assertTrue(s.model("m").isEmpty());
        assertTrue(s.models().isEmpty());
        assertEquals(gone, s.tombstones("m"));
        var deleted = assertInstanceOf(ModelStoreEvent.ModelDeleted.class, events.get(events.size() - 1));
        assertEquals(gone, deleted.tombstones());
        assertThrows(dev.mlops.core.ModelNotFoundException.class, () -> s.deleteModel("m", ChangeNote.NONE));

        ModelVersion again = s.register(version("m"));
        assertEquals(3, again.version(), "numbers are never reused, even after the whole model went");
        assertEquals("", s.model("m").orElseThrow().description(), "a new life starts without the old annotations");
        assertEquals(again.createdAt(), s.model("m").orElseThrow().createdAt());
    }
}
