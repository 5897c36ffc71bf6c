package dev.mlops.core.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void withAnEventExecutor_writersNeverRunListeners_andOrderIsKept() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            InMemoryModelStore s = InMemoryModelStore.create(InstantSource.system(), pool);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch delivered = new java.util.concurrent.CountDownLatch(200);
            List<Long> seen = new CopyOnWriteArrayList<>();
            s.subscribe(e -> {
                try {
                    release.await();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                seen.add(e.sequence());
                delivered.countDown();
            });
            java.util.concurrent.Future<?> other = pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    s.register(version("n"));
                }
            });
            for (int i = 0; i < 100; i++) {
                s.register(version("m"));
            }
            // the listener is still blocked: a writer that ran it would never have got here
            other.get(30, java.util.concurrent.TimeUnit.SECONDS);
            release.countDown();
            assertTrue(delivered.await(30, java.util.concurrent.TimeUnit.SECONDS));
            for (String model : List.of("m", "n")) {
                List<Long> sequences = s.events(0, 1000).stream().filter(e -> e.model().equals(model))
                        .map(ModelStoreEvent::sequence).toList();
                assertEquals(sequences, seen.stream().filter(sequences::contains).toList(), "commit order per model");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
