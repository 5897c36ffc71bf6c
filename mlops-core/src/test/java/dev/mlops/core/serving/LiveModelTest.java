package dev.mlops.core.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LiveModelTest {

    /** A model whose artifact text is its answer; "bad-load" fails to load, "bad-warm" fails its warm-up. */
    static final class Echo implements AutoCloseable {
        final String text;
        final long version;
        final AtomicInteger closes = new AtomicInteger();

        Echo(String text, long version) {
            this.text = text;
            this.version = version;
        }

        String answer() {
            if (closes.get() != 0) {
                throw new IllegalStateException("v" + version + " used after it was closed");
            }
            return text;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    /** Loads {@link Echo}s and remembers each one it made. */
    static final class EchoLoader implements ModelLoader<Echo> {
        final List<Echo> made = new CopyOnWriteArrayList<>();
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public Echo load(ModelVersion version, InputStream artifact) throws Exception {
            loads.incrementAndGet();
            String text = new String(artifact.readAllBytes(), StandardCharsets.UTF_8);
            if (text.startsWith("bad-load")) {
                throw new IllegalArgumentException("not a model: " + text);
            }
            Echo e = new Echo(text, version.version());
            made.add(e);
            return e;
        }

        @Override
        public void warmUp(Echo model, ModelVersion version) {
            if (model.text.startsWith("bad-warm")) {
                throw new IllegalStateException("warm-up answered nonsense");
            }
        }
    }

    private static long register(ModelStore store, String text) {
        return store.register(NewVersion.builder("m").artifact(text.getBytes(StandardCharsets.UTF_8)).build()).version();
    }

    @Test
    void servesTheAliasAndSwapsWhenItMoves_keepingThePreviousLoaded() {
        ModelStore store = new InMemoryModelStore();
        register(store, "one");
        register(store, "two");
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        EchoLoader loader = new EchoLoader();
        List<String> swaps = new ArrayList<>();
        try (LiveModel<Echo> live = LiveModel.builder(store, "m", "champion", loader).listener(new LiveModel.Listener() {
            @Override
            public void swapped(ModelVersion from, ModelVersion to) {
                swaps.add(from.version() + "->" + to.version());
            }
        }).build()) {
            assertEquals("one", live.apply(Echo::answer));
            store.setAlias("m", "champion", 2, AliasExpect.current(1));
            assertEquals("two", live.apply(Echo::answer), "swapped before setAlias returned");
            assertEquals(2, live.version().version());
            assertEquals(1, live.previousVersion().orElseThrow().version());
            assertEquals(List.of("1->2"), swaps);
            store.setAlias("m", "champion", 1, AliasExpect.current(2));
            assertEquals("one", live.apply(Echo::answer));
            assertEquals(2, loader.loads.get(), "back to the previous version without loading it again");
        }
        assertTrue(loader.made.stream().allMatch(e -> e.closes.get() == 1), "closing releases both, once each");
    }

    @Test
    void aFailedLoad_keepsTheHealthyModelServing_andSaysWhy() {
        ModelStore store = new InMemoryModelStore();
        register(store, "good");
        register(store, "bad-load");
        register(store, "bad-warm");
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        EchoLoader loader = new EchoLoader();
        List<LoadFailure> failures = new ArrayList<>();
        try (LiveModel<Echo> live = LiveModel.builder(store, "m", "champion", loader).listener(new LiveModel.Listener() {
            @Override
            public void loadFailed(LoadFailure failure) {
                failures.add(failure);
            }
        }).build()) {
            store.setAlias("m", "champion", 2, AliasExpect.any());
            assertEquals("good", live.apply(Echo::answer));
            assertEquals("load", live.lastFailure().orElseThrow().stage());
            assertEquals(dev.mlops.core.registry.ModelRef.of("m", 2), live.lastFailure().orElseThrow().ref());
            store.setAlias("m", "champion", 3, AliasExpect.any());
            assertEquals("good", live.apply(Echo::answer));
            assertEquals("warm-up", live.lastFailure().orElseThrow().stage());
            assertEquals(1, loader.made.stream().filter(e -> e.text.equals("bad-warm")).findFirst().orElseThrow()
                    .closes.get(), "a model that failed its warm-up is closed at once");
            store.removeAlias("m", "champion", AliasExpect.any(), ChangeNote.NONE);
            assertEquals("resolve", live.lastFailure().orElseThrow().stage());
            assertEquals(3, failures.size());
            assertEquals(1, live.version().version());
        }
    }

    @Test
    void anAliasThatPointsNowhere_orAVersionThatFailsToLoad_failsConstruction() {
        ModelStore store = new InMemoryModelStore();
        register(store, "bad-load");
        EchoLoader loader = new EchoLoader();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LiveModel.follow(store, "m", "champion", loader));
        assertTrue(e.getMessage().contains("m@champion"), e.getMessage());
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        e = assertThrows(IllegalStateException.class, () -> LiveModel.follow(store, "m", "champion", loader));
        assertTrue(e.getMessage().contains("failed to load"), e.getMessage());
    }

    @Test
    void aRetiredVersion_isReleasedWhenItsLastRequestEnds_once() {
        ModelStore store = new InMemoryModelStore();
        for (int i = 1; i <= 3; i++) {
            register(store, "v" + i);
        }
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        EchoLoader loader = new EchoLoader();
        List<Long> released = new ArrayList<>();
        try (LiveModel<Echo> live = LiveModel.builder(store, "m", "champion", loader).listener(new LiveModel.Listener() {
            @Override
            public void released(ModelVersion version) {
                released.add(version.version());
            }
        }).build()) {
            Lease<Echo> held = live.lease();
            Echo v1 = held.model();
            store.setAlias("m", "champion", 2, AliasExpect.any());
            store.setAlias("m", "champion", 3, AliasExpect.any());
            assertEquals(List.of(), released, "v1 is retired, but a request still holds it");
            assertEquals("v1", held.model().answer(), "the request still sees v1 whole");
            assertEquals(1, held.version().version());
            held.close();
            held.close();
            assertEquals(List.of(1L), released);
            assertEquals(1, v1.closes.get());
            assertThrows(IllegalStateException.class, held::model);
        }
        assertEquals(List.of(1L, 2L, 3L), released.stream().sorted().toList());
    }

    @Test
    void rollback_servesThePreviousAtOnce_andMovesTheAliasBack() {
        ModelStore store = new InMemoryModelStore();
        register(store, "v1");
        register(store, "v2");
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        EchoLoader loader = new EchoLoader();
        try (LiveModel<Echo> live = LiveModel.follow(store, "m", "champion", loader)) {
            assertThrows(IllegalStateException.class, () -> live.rollback(ChangeNote.NONE), "nothing to go back to");
            store.setAlias("m", "champion", 2, AliasExpect.current(1));
            ModelVersion back = live.rollback(ChangeNote.by("oncall").because("p99 doubled"));
            assertEquals(1, back.version());
            assertEquals("v1", live.apply(Echo::answer));
            assertEquals(1, store.get(dev.mlops.core.registry.ModelRef.alias("m", "champion")).version());
            List<AliasMove> history = store.aliasHistory("m", "champion");
            assertEquals(AliasMove.Kind.ROLLBACK, history.get(history.size() - 1).kind());
            assertEquals("oncall", history.get(history.size() - 1).actor());
            assertEquals(2, loader.loads.get(), "rolled back without a load");
        }
    }

    @Test
    void withAnExecutor_loadsRunThere_andTheWriterReturnsAtOnce() {
        ModelStore store = new InMemoryModelStore();
        register(store, "v1");
        register(store, "v2");
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        Queue<Runnable> tasks = new ArrayDeque<>();
        Executor queued = tasks::add;
        try (LiveModel<Echo> live = LiveModel.builder(store, "m", "champion", new EchoLoader()).executor(queued).build()) {
            store.setAlias("m", "champion", 2, AliasExpect.any());
            assertEquals("v1", live.apply(Echo::answer), "the load waits for the executor");
            assertEquals(1, tasks.size());
            tasks.poll().run();
            assertEquals("v2", live.apply(Echo::answer));
        }
    }

    @Test
    void afterClose_requestsFail() {
        ModelStore store = new InMemoryModelStore();
        register(store, "v1");
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        LiveModel<Echo> live = LiveModel.follow(store, "m", "champion", new EchoLoader());
        live.close();
        live.close();
        assertThrows(IllegalStateException.class, () -> live.apply(Echo::answer));
        assertThrows(IllegalStateException.class, live::lease);
    }

    /**
     * 8 threads × 200,000 requests while the alias moves 1,000 times, one move in five to a version that
     * fails to load or warm up: no request fails, each sees one model from start to end that is never
     * closed under it, and every model made is closed exactly once by the end.
     */
    @Test
    void hotSwapUnderLoad() throws Exception {
        ModelStore store = new InMemoryModelStore();
        int versions = 50;
        for (int i = 1; i <= versions; i++) {
            register(store, i % 5 == 0 ? (i % 10 == 0 ? "bad-load " + i : "bad-warm " + i) : "v" + i);
        }
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        EchoLoader loader = new EchoLoader();
        Map<Long, AtomicLong> servedBy = new ConcurrentHashMap<>();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean moving = new AtomicBoolean(true);
        int threads = 8;
        int requests = 200_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        try (LiveModel<Echo> live = LiveModel.follow(store, "m", "champion", loader)) {
            for (int t = 0; t < threads; t++) {
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int r = 0; r < requests; r++) {
                        try {
                            long v;
                            if ((r & 1) == 0) {
                                v = live.apply(m -> {
                                    String first = m.answer();
                                    Thread.onSpinWait();
                                    String last = m.answer();
                                    return first.equals(last) ? m.version : -1;
                                });
                            } else {
                                try (Lease<Echo> lease = live.lease()) {
                                    Echo m = lease.model();
                                    m.answer();
                                    v = lease.version().version() == m.version && m.answer() != null ? m.version : -1;
                                }
                            }
                            if (v < 0) {
                                failed.incrementAndGet();
                            } else {
                                servedBy.computeIfAbsent(v, k -> new AtomicLong()).incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                });
                w.start();
                workers.add(w);
            }
            Thread mover = new Thread(() -> {
                Random random = new Random(7);
                for (int i = 0; i < 1000; i++) {
                    store.setAlias("m", "champion", 1 + random.nextInt(versions), AliasExpect.any());
                }
                moving.set(false);
            });
            start.countDown();
            mover.start();
            for (Thread w : workers) {
                w.join();
            }
            mover.join();
            assertFalse(moving.get());
            assertTrue(live.lastFailure().isPresent(), "some loads failed");
        }
        assertEquals(0, failed.get(), "failed requests");
        assertEquals((long) threads * requests, servedBy.values().stream().mapToLong(AtomicLong::get).sum());
        assertTrue(servedBy.size() > 1, "served by several versions: " + servedBy.keySet());
        assertTrue(loader.made.size() > 100, "models made: " + loader.made.size());
        for (Echo e : loader.made) {
            assertEquals(1, e.closes.get(), "v" + e.version + " (" + e.text + ") closed once");
        }
        assertSame(loader.made.get(0).getClass(), Echo.class);
    }
}
