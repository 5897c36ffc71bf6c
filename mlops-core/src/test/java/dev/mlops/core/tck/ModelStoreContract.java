package dev.mlops.core.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidNameException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.Names;
import dev.mlops.core.Sha256;
import dev.mlops.core.StoreException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.DataSource;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.FieldType;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelArtifact;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.Subscription;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.core.registry.VersionQuery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link ModelStore} keeps. Extend it and implement {@link #newStore()}; every test
 * then runs against your store:
 *
 * <pre>{@code
 * class MyStoreTest extends ModelStoreContract {
 *     @Override protected ModelStore newStore() { return new MyStore(...); }
 * }
 * }</pre>
 *
 * Needs JUnit Jupiter 5.14 and jqwik 1.10 on the test class path. Each test gets a fresh, empty store
 * and closes it afterwards. Override {@link #corruptArtifact} to run the integrity tests too.
 */
public abstract class ModelStoreContract {
    private ModelStore store;

    /**
     * @return a new, empty store; called once per test
     */
    protected abstract ModelStore newStore();

    /**
     * @return the store under test, created on first use
     */
    protected final synchronized ModelStore store() {
        if (store == null) {
            store = newStore();
        }
        return store;
    }

    /**
     * Damages the stored bytes of a version (flip a bit, truncate a file), so that the contract can
     * check that reading it fails. The default skips those tests.
     *
     * @param ref a live version of the store under test
     */
    protected void corruptArtifact(ModelRef.ByVersion ref) {
        Assumptions.abort("this store's test offers no way to corrupt an artifact");
    }

    @AfterEach
    @AfterProperty
    final synchronized void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    /**
     * @param model a model name
     * @param content the artifact's content
     * @return a request with only the artifact set
     */
    protected static NewVersion version(String model, String content) {
        return NewVersion.builder(model).artifact(content.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    // ---------------------------------------------------------------- registration and reading

    @Test
    void register_firstVersion_isNumberedOneWithDigestSizeAndRevision() throws IOException {
        byte[] bytes = "weights-v1".getBytes(StandardCharsets.UTF_8);
        ModelVersion v = store().register(NewVersion.builder("fraud").artifact(bytes).build());

        assertEquals("fraud", v.model());
        assertEquals(1, v.version());
        assertEquals(Sha256.of(bytes), v.digest());
        assertEquals(bytes.length, v.size());
        assertEquals(1, v.revision());
        assertArrayEquals(bytes, readAll(store().open(v.ref())));
    }

    @Test
    void register_keepsEveryMetadataPart_andFindReturnsItUnchanged() {
        Sha256 dataDigest = Sha256.ofUtf8("training rows");
        store().register(NewVersion.builder("fraud-base").artifact(new byte[] {1}).build());
        store().register(NewVersion.builder("fraud-base").artifact(new byte[] {2}).build());
        NewVersion request = NewVersion.builder("fraud")
                .artifact("w".getBytes(StandardCharsets.UTF_8))
                .description("gradient boosted")
                .tag("team", "risk")
                .param("learningRate", "0.05")
                .param("trees", 300)
                .metric("auc", 0.912)
                .createdBy("ci-pipeline")
                .lineage(Lineage.builder()
                        .codeRevision("3f2a9c1", true)
                        .data(URI.create("s3://bucket/nov.parquet"), dataDigest, 1_204_331)
                        .parent(ModelRef.of("fraud-base", 2))
                        .runId("run-42")
                        .build())
                .signature(Signature.of(Field.float64("amount"), Field.category("country").orNull(),
                        Field.tensor("embedding", FieldType.FLOAT32, 8)).returns(Field.float64("score")))
                .build();
        ModelVersion v = store().register(request);
        ModelVersion found = store().get(ModelRef.of("fraud", 1));

        assertEquals(v, found);
        assertEquals("gradient boosted", found.description());
        assertEquals(Map.of("team", "risk"), found.tags());
        assertEquals(Map.of("learningRate", "0.05", "trees", "300"), found.params(), "an integer parameter stays an integer");
        assertEquals(Map.of("auc", 0.912), found.metrics());
        assertEquals("ci-pipeline", found.createdBy());
        assertEquals(request.lineage(), found.lineage());
        assertEquals(List.of(DataSource.of(URI.create("s3://bucket/nov.parquet"), dataDigest, 1_204_331)),
                found.lineage().data());
        assertFalse(found.lineage().environment().java().isEmpty(), "environment is captured");
        assertEquals(request.signature(), found.signature());
    }

    @Test
    void register_fromFileAndFromStream_storesTheSameBytes(@TempDir Path dir) throws IOException {
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(dir.resolve("model.bin"), bytes);

        ModelVersion fromFile = store().register(NewVersion.builder("m").artifact(file).build());
        ModelVersion fromStream = store().register(NewVersion.builder("m")
                .artifact(ModelArtifact.fromStream(() -> new ByteArrayInputStream(bytes))).build());

        assertEquals(fromFile.digest(), fromStream.digest());
        assertArrayEquals(bytes, readAll(store().open(ModelRef.of("m", 1))));
        assertArrayEquals(bytes, readAll(store().open(ModelRef.of("m", 2))));
    }

    @Test
    void register_emptyArtifact_isAllowed() throws IOException {
        ModelVersion v = store().register(version("m", ""));
        assertEquals(0, v.size());
        assertEquals(0, readAll(store().open(v.ref())).length);
    }

    @Test
    void register_wrongExpectedDigest_failsAndUsesNoNumber() {
        NewVersion bad = NewVersion.builder("m").artifact("abc".getBytes(StandardCharsets.UTF_8))
                .expectDigest(Sha256.ofUtf8("something else")).build();
        assertThrows(IntegrityException.class, () -> store().register(bad));
        assertTrue(store().find(ModelRef.latest("m")).isEmpty());

        ModelVersion good = store().register(NewVersion.builder("m").artifact("abc".getBytes(StandardCharsets.UTF_8))
                .expectDigest(Sha256.ofUtf8("abc")).build());
        assertEquals(1, good.version());
    }

    @Test
    void register_artifactStreamFailsHalfway_storesNothingAndUsesNoNumber() {
        NewVersion failing = NewVersion.builder("m").artifact(ModelArtifact.fromStream(() -> new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ < 10_000) {
                    return 1;
                }
                throw new IOException("connection reset");
            }
        })).build();

        assertThrows(StoreException.class, () -> store().register(failing));
        assertTrue(store().find(ModelRef.latest("m")).isEmpty());
        assertEquals(1, store().register(version("m", "ok")).version());
    }

    @Test
    void register_eightThreadsAtOnce_numbersDenselyWithoutGapsOrRepeats() throws Exception {
        int threads = 8;
        int each = 25;
        ModelStore shared = store();
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        mine.add(shared.register(version("shared", "t" + id + "-" + i)).version());
                    }
                    return mine;
                }));
            }
            TreeSet<Long> all = new TreeSet<>();
            int total = 0;
            for (Future<List<Long>> f : results) {
                List<Long> mine = f.get(120, TimeUnit.SECONDS);
                total += mine.size();
                all.addAll(mine);
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i) > mine.get(i - 1), "a thread's own versions increase");
                }
            }
            assertEquals(threads * each, total);
            assertEquals(threads * each, all.size(), "no number given twice");
            assertEquals(1L, all.first());
            assertEquals((long) threads * each, all.last(), "no gaps");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void open_readsBackEveryVersionsOwnBytes_andLatestFollowsTheHighestLiveVersion() throws IOException {
        for (int i = 1; i <= 3; i++) {
            store().register(version("m", "content-" + i));
        }
        for (int i = 1; i <= 3; i++) {
            assertEquals("content-" + i, new String(readAll(store().open(ModelRef.of("m", i))), StandardCharsets.UTF_8));
        }
        assertEquals(3, store().get(ModelRef.latest("m")).version());
        store().delete(ModelRef.of("m", 3), "bad");
        assertEquals(2, store().get(ModelRef.latest("m")).version());
    }

    @Test
    void find_unknownModelOrVersion_isEmpty_andOpenThrowsModelNotFound() {
        store().register(version("m", "x"));
        assertTrue(store().find(ModelRef.of("nope", 1)).isEmpty());
        assertTrue(store().find(ModelRef.of("m", 2)).isEmpty());
        assertTrue(store().find(ModelRef.alias("m", "champion")).isEmpty());
        assertThrows(ModelNotFoundException.class, () -> store().open(ModelRef.of("m", 2)));
        assertThrows(ModelNotFoundException.class, () -> store().get(ModelRef.latest("nope")));
    }

    // ---------------------------------------------------------------- aliases

    @Test
    void setAlias_withMatchingExpectation_movesIt_andFindResolvesTheAlias() {
        store().register(version("m", "1"));
        store().register(version("m", "2"));

        AliasMove first = store().setAlias("m", "champion", 1, AliasExpect.absent());
        AliasMove second = store().setAlias("m", "champion", 2, AliasExpect.current(1),
                ChangeNote.by("alice").because("better auc"));

        assertEquals(OptionalLong.empty(), first.from());
        assertEquals(OptionalLong.of(1), second.from());
        assertEquals(OptionalLong.of(2), second.to());
        assertEquals("alice", second.actor());
        assertEquals("better auc", second.reason());
        assertEquals(2, store().get(ModelRef.alias("m", "champion")).version());
        assertEquals(List.of(first, second), store().aliasHistory("m", "champion"));
    }

    @Test
    void setAlias_withWrongExpectation_throwsConcurrentUpdate_andLeavesTheAlias() {
        store().register(version("m", "1"));
        store().register(version("m", "2"));
        store().setAlias("m", "champion", 1, AliasExpect.any());

        assertThrows(ConcurrentUpdateException.class, () -> store().setAlias("m", "champion", 2, AliasExpect.current(2)));
        assertThrows(ConcurrentUpdateException.class, () -> store().setAlias("m", "champion", 2, AliasExpect.absent()));
        assertEquals(1, store().get(ModelRef.alias("m", "champion")).version());
        assertEquals(1, store().aliasHistory("m", "champion").size());
    }

    @Test
    void setAlias_toMissingVersion_throwsModelNotFound() {
        store().register(version("m", "1"));
        assertThrows(ModelNotFoundException.class, () -> store().setAlias("m", "champion", 5, AliasExpect.any()));
        assertThrows(ModelNotFoundException.class, () -> store().setAlias("other", "champion", 1, AliasExpect.any()));
    }

    @Test
    void setAlias_twoThreadsCompareAndSetTheSameAlias_exactlyOneWinsEveryTime() throws Exception {
        store().register(version("m", "1"));
        store().register(version("m", "2"));
        store().register(version("m", "3"));
        store().setAlias("m", "champion", 1, AliasExpect.any());
        ModelStore shared = store();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                long current = store().get(ModelRef.alias("m", "champion")).version();
                long a = current == 2 ? 3 : 2;
                long b = current == 1 ? 3 : 1;
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger wins = new AtomicInteger();
                AtomicInteger losses = new AtomicInteger();
                List<Callable<Void>> racers = new ArrayList<>();
                for (long target : new long[] {a, b}) {
                    racers.add(() -> {
                        start.await();
                        try {
                            shared.setAlias("m", "champion", target, AliasExpect.current(current));
                            wins.incrementAndGet();
                        } catch (ConcurrentUpdateException e) {
                            losses.incrementAndGet();
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(racers, 60, TimeUnit.SECONDS)) {
                    f.get();
                }
                assertEquals(1, wins.get(), "round " + round + ": exactly one winner");
                assertEquals(1, losses.get(), "round " + round + ": exactly one loser");
                long now = store().get(ModelRef.alias("m", "champion")).version();
                assertTrue(now == a || now == b, "the alias points at the winner's target");
            }
            assertEquals(51, store().aliasHistory("m", "champion").size(), "one history entry per winning move");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rollback_walksBackThroughEarlierTargetsOneMoveAtATime() {
        for (int i = 1; i <= 3; i++) {
            store().register(version("m", "v" + i));
        }
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().setAlias("m", "champion", 2, AliasExpect.current(1));
        store().setAlias("m", "champion", 3, AliasExpect.current(2));

        AliasMove back = store().rollback("m", "champion", ChangeNote.by("oncall").because("latency"));
        assertEquals(AliasMove.Kind.ROLLBACK, back.kind());
        assertEquals(OptionalLong.of(3), back.from());
        assertEquals(OptionalLong.of(2), back.to());
        assertEquals(2, store().get(ModelRef.alias("m", "champion")).version());

        store().rollback("m", "champion");
        assertEquals(1, store().get(ModelRef.alias("m", "champion")).version());
        assertThrows(ConflictException.class, () -> store().rollback("m", "champion"));
        assertEquals(1, store().get(ModelRef.alias("m", "champion")).version());
        assertEquals(5, store().aliasHistory("m", "champion").size());
    }

    @Test
    void rollback_ofUnknownAlias_throwsModelNotFound() {
        store().register(version("m", "1"));
        assertThrows(ModelNotFoundException.class, () -> store().rollback("m", "champion"));
        assertThrows(ModelNotFoundException.class, () -> store().rollback("nope", "champion"));
    }

    @Test
    void rollback_skipsEarlierTargetsDeletedSince() {
        for (int i = 1; i <= 3; i++) {
            store().register(version("m", "v" + i));
        }
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().setAlias("m", "champion", 2, AliasExpect.current(1));
        store().setAlias("m", "champion", 3, AliasExpect.current(2));
        store().delete(ModelRef.of("m", 2), "leaked data");

        AliasMove back = store().rollback("m", "champion");
        assertEquals(OptionalLong.of(3), back.from());
        assertEquals(OptionalLong.of(1), back.to());
        assertEquals(1, store().get(ModelRef.alias("m", "champion")).version());
    }

    @Test
    void rollback_withEveryEarlierTargetDeleted_isRefusedAndChangesNothing() {
        store().register(version("m", "1"));
        store().register(version("m", "2"));
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().setAlias("m", "champion", 2, AliasExpect.current(1));
        store().delete(ModelRef.of("m", 1), "obsolete");

        assertThrows(ConflictException.class, () -> store().rollback("m", "champion"));
        assertEquals(2, store().get(ModelRef.alias("m", "champion")).version());
        assertEquals(2, store().aliasHistory("m", "champion").size(), "a refused rollback is not recorded");
    }

    @Test
    void rollback_undoesMovesNotValues_andIgnoresResettingTheCurrentTarget() {
        store().register(version("m", "1"));
        store().register(version("m", "2"));
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().setAlias("m", "champion", 2, AliasExpect.current(1));
        store().setAlias("m", "champion", 1, AliasExpect.current(2));
        store().setAlias("m", "champion", 1, AliasExpect.current(1));

        assertEquals(4, store().aliasHistory("m", "champion").size(), "the no-op move is still history");
        assertEquals(2, store().rollback("m", "champion").to().getAsLong(), "1 -> 2 -> 1, back to 2");
        assertEquals(1, store().rollback("m", "champion").to().getAsLong());
        List<AliasMove> history = store().aliasHistory("m", "champion");
        assertEquals(AliasMove.Kind.ROLLBACK, history.get(4).kind());
        assertEquals(AliasMove.Kind.ROLLBACK, history.get(5).kind());
    }

    @Test
    void rollback_afterRemoveAlias_findsNoAlias() {
        store().register(version("m", "1"));
        store().register(version("m", "2"));
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().setAlias("m", "champion", 2, AliasExpect.current(1));
        store().removeAlias("m", "champion", AliasExpect.current(2), ChangeNote.NONE);
        assertThrows(ModelNotFoundException.class, () -> store().rollback("m", "champion"));
    }

    @Test
    void setAlias_twoThreadsRaceToCreateWithAbsent_exactlyOneWins() throws Exception {
        ModelStore shared = store();
        shared.register(version("m", "1"));
        shared.register(version("m", "2"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 30; round++) {
                String alias = "race-" + round;
                CyclicBarrier start = new CyclicBarrier(2);
                AtomicInteger wins = new AtomicInteger();
                List<Callable<Void>> racers = new ArrayList<>();
                for (long target : new long[] {1, 2}) {
                    racers.add(() -> {
                        start.await();
                        try {
                            shared.setAlias("m", alias, target, AliasExpect.absent());
                            wins.incrementAndGet();
                        } catch (ConcurrentUpdateException e) {
                            // the other racer created it first
                        }
                        return null;
                    });
                }
                for (Future<Void> f : pool.invokeAll(racers, 60, TimeUnit.SECONDS)) {
                    f.get();
                }
                assertEquals(1, wins.get(), "round " + round);
                assertEquals(1, shared.aliasHistory("m", alias).size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void removeAlias_unsetsIt_andAllowsDeletingTheVersion() {
        store().register(version("m", "1"));
        store().setAlias("m", "staging", 1, AliasExpect.absent());
        assertThrows(ConcurrentUpdateException.class,
                () -> store().removeAlias("m", "staging", AliasExpect.current(2), ChangeNote.NONE));

        AliasMove removal = store().removeAlias("m", "staging", AliasExpect.current(1), ChangeNote.NONE);
        assertEquals(AliasMove.Kind.REMOVE, removal.kind());
        assertTrue(store().find(ModelRef.alias("m", "staging")).isEmpty());
        assertThrows(ModelNotFoundException.class,
                () -> store().removeAlias("m", "staging", AliasExpect.any(), ChangeNote.NONE));
        store().delete(ModelRef.of("m", 1), "done");
    }

    // ---------------------------------------------------------------- deletion

    @Test
    void delete_aliasedVersion_isRefusedAndTheVersionStays() {
        store().register(version("m", "1"));
        store().setAlias("m", "champion", 1, AliasExpect.absent());

        ConflictException e = assertThrows(ConflictException.class,
                () -> store().delete(ModelRef.of("m", 1), "cleanup"));
        assertTrue(e.getMessage().contains("champion"), e.getMessage());
        assertTrue(store().find(ModelRef.of("m", 1)).isPresent());
    }

    @Test
    void delete_leavesATombstone_hidesTheVersion_andNeverReusesItsNumber() {
        ModelVersion v1 = store().register(version("m", "1"));
        ModelVersion v2 = store().register(version("m", "2"));

        Tombstone t = store().delete(ModelRef.of("m", 2), ChangeNote.by("bob").because("leaked data"));
        assertEquals(2, t.version());
        assertEquals(v2.digest(), t.digest());
        assertEquals("bob", t.actor());
        assertEquals("leaked data", t.reason());
        assertTrue(store().find(ModelRef.of("m", 2)).isEmpty());
        assertThrows(ModelNotFoundException.class, () -> store().open(ModelRef.of("m", 2)));
        assertThrows(ModelNotFoundException.class, () -> store().delete(ModelRef.of("m", 2), "again"));
        assertEquals(List.of(t), store().tombstones("m"));
        assertFalse(t.deletedAt().isBefore(v1.createdAt()));
        assertEquals(List.of(), store().tombstones("unknown"));

        assertEquals(3, store().register(version("m", "3")).version());
        store().delete(ModelRef.of("m", 3), "x");
        store().delete(v1.ref(), "x");
        assertEquals(4, store().register(version("m", "4")).version(), "numbers continue after every version was deleted");
        assertEquals(3, store().tombstones("m").size());
    }

    // ---------------------------------------------------------------- annotations

    @Test
    void annotate_withCurrentRevision_changesDescriptionAndTagsOnly() {
        ModelVersion v = store().register(NewVersion.builder("m").artifact(new byte[] {1}).tag("stage", "candidate")
                .tag("team", "risk").metric("auc", 0.8).description("first").build());

        ModelVersion after = store().annotate(v.ref(), 1,
                Annotations.builder().description("promoted").putTag("stage", "production").removeTag("team").build());

        assertEquals(2, after.revision());
        assertEquals("promoted", after.description());
        assertEquals(Map.of("stage", "production"), after.tags());
        assertEquals(v.digest(), after.digest());
        assertEquals(v.metrics(), after.metrics());
        assertEquals(v.createdAt(), after.createdAt());
        assertEquals(after, store().get(v.ref()));
    }

    @Test
    void annotate_withStaleRevision_throwsConcurrentUpdateAndChangesNothing() {
        ModelVersion v = store().register(version("m", "1"));
        store().annotate(v.ref(), 1, Annotations.builder().putTag("a", "1").build());

        assertThrows(ConcurrentUpdateException.class,
                () -> store().annotate(v.ref(), 1, Annotations.builder().putTag("b", "2").build()));
        assertEquals(Map.of("a", "1"), store().get(v.ref()).tags());
        assertEquals(2, store().get(v.ref()).revision());
    }

    // ---------------------------------------------------------------- listing and search

    @Test
    void versions_areNewestFirst_inStablePages() {
        for (int i = 1; i <= 7; i++) {
            store().register(version("m", "v" + i));
        }
        store().delete(ModelRef.of("m", 5), "bad");

        Page<ModelVersion> p1 = store().versions("m", PageRequest.first(3));
        assertEquals(List.of(7L, 6L, 4L), numbers(p1));
        assertTrue(p1.next().isPresent());

        store().register(version("m", "v8"));
        Page<ModelVersion> p2 = store().versions("m", p1.next().get());
        assertEquals(List.of(3L, 2L, 1L), numbers(p2), "a version registered meanwhile does not shift pages");
        assertTrue(p2.next().isEmpty());

        assertEquals(List.of(), store().versions("unknown", PageRequest.first(10)).items());
        assertThrows(IllegalArgumentException.class, () -> store().versions("m", PageRequest.after("garbage", 3)));
        store().register(version("other", "x"));
        assertThrows(IllegalArgumentException.class, () -> store().versions("other", p1.next().get()),
                "a token pages only the model it was issued for");
    }

    private static List<Long> numbers(Page<ModelVersion> page) {
        List<Long> out = new ArrayList<>();
        page.items().forEach(v -> out.add(v.version()));
        return out;
    }

    @Test
    void models_summarisesEveryModel() {
        store().register(version("b", "1"));
        store().register(version("a", "1"));
        store().register(version("a", "2"));
        store().setAlias("a", "champion", 1, AliasExpect.absent());
        store().delete(ModelRef.of("b", 1), "x");

        List<ModelSummary> models = store().models();
        assertEquals(List.of("a", "b"), models.stream().map(ModelSummary::model).toList());
        ModelSummary a = models.get(0);
        assertEquals(OptionalLong.of(2), a.latest());
        assertEquals(2, a.liveVersions());
        assertEquals(Map.of("champion", 1L), a.aliases());
        ModelSummary b = models.get(1);
        assertEquals(OptionalLong.empty(), b.latest());
        assertEquals(1, b.highestAssigned());
    }

    @Test
    void search_filtersByModelTagAndMetric_newestFirst() {
        store().register(NewVersion.builder("a").artifact(new byte[] {1}).tag("team", "risk").metric("auc", 0.7).build());
        store().register(NewVersion.builder("a").artifact(new byte[] {2}).tag("team", "risk").metric("auc", 0.95).build());
        store().register(NewVersion.builder("a").artifact(new byte[] {3}).tag("team", "ads").metric("auc", 0.99).build());
        store().register(NewVersion.builder("b").artifact(new byte[] {4}).tag("team", "risk").metric("auc", 0.91).build());
        store().register(NewVersion.builder("b").artifact(new byte[] {5}).tag("team", "risk").build());

        List<ModelVersion> hits = store().search(VersionQuery.builder().tag("team", "risk").metricAbove("auc", 0.9).build());
        Set<String> found = new TreeSet<>();
        hits.forEach(v -> found.add(v.model() + ":" + v.version()));
        assertEquals(Set.of("a:2", "b:1"), found);
        for (int i = 1; i < hits.size(); i++) {
            assertFalse(hits.get(i).createdAt().isAfter(hits.get(i - 1).createdAt()), "newest first");
        }

        assertEquals(List.of(3L), store().search(VersionQuery.builder().model("a").metricAbove("auc", 0.96).build())
                .stream().map(ModelVersion::version).toList());
        assertEquals(2, store().search(VersionQuery.builder().limit(2).build()).size());
    }

    @Test
    void search_withinOneModel_isNewestVersionFirst_andLimitKeepsTheNewest() {
        for (int i = 1; i <= 6; i++) {
            store().register(version("m", "v" + i));
        }
        List<ModelVersion> all = store().search(VersionQuery.builder().model("m").build());
        assertEquals(List.of(6L, 5L, 4L, 3L, 2L, 1L), all.stream().map(ModelVersion::version).toList());
        assertEquals(List.of(6L, 5L), store().search(VersionQuery.builder().model("m").limit(2).build())
                .stream().map(ModelVersion::version).toList());
    }

    @Test
    void search_byCreationTime_keepsTheHalfOpenRange() {
        ModelVersion first = store().register(version("m", "1"));
        List<ModelVersion> fromFirst = store().search(VersionQuery.builder()
                .createdBetween(first.createdAt(), first.createdAt().plusSeconds(3600)).build());
        assertTrue(fromFirst.contains(first));
        assertTrue(store().search(VersionQuery.builder().createdBefore(first.createdAt()).build()).isEmpty(),
                "the upper bound is exclusive");
        assertTrue(store().search(VersionQuery.builder().createdFrom(first.createdAt().plusNanos(1)).build()).stream()
                .noneMatch(v -> v.equals(first)));
        assertThrows(IllegalArgumentException.class, () -> VersionQuery.builder()
                .createdBetween(Instant.EPOCH.plusSeconds(5), Instant.EPOCH).build());
    }

    // ---------------------------------------------------------------- events

    @Test
    void subscribe_deliversEveryChangeInOrder_untilClosed() {
        List<ModelStoreEvent> events = new CopyOnWriteArrayList<>();
        Subscription s = store().subscribe(events::add);

        ModelVersion v = store().register(version("m", "1"));
        store().register(version("m", "2"));
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().annotate(v.ref(), 1, Annotations.builder().putTag("k", "v").build());
        store().delete(ModelRef.of("m", 2), "x");
        s.close();
        store().register(version("m", "3"));

        assertEquals(List.of(ModelStoreEvent.Registered.class, ModelStoreEvent.Registered.class,
                ModelStoreEvent.AliasMoved.class, ModelStoreEvent.Annotated.class, ModelStoreEvent.Deleted.class),
                events.stream().map(Object::getClass).toList());
        assertEquals(v, ((ModelStoreEvent.Registered) events.get(0)).version());
    }

    @Test
    void subscribe_aListenerMayReadTheStore_andSeesTheCommittedChange() {
        AtomicReference<ModelVersion> seen = new AtomicReference<>();
        ModelStore shared = store();
        shared.subscribe(e -> {
            if (e instanceof ModelStoreEvent.AliasMoved) {
                seen.set(shared.get(ModelRef.alias(e.model(), "champion")));
            }
        });
        shared.register(version("m", "1"));
        shared.setAlias("m", "champion", 1, AliasExpect.absent());
        assertEquals(1, seen.get().version());
    }

    @Test
    void subscribe_listenersReadingAnotherModel_whileTwoThreadsWrite_doNotDeadlock() throws Exception {
        ModelStore shared = store();
        shared.register(version("a", "0"));
        shared.register(version("b", "0"));
        shared.subscribe(e -> shared.find(ModelRef.latest(e.model().equals("a") ? "b" : "a")));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Void>> writers = new ArrayList<>();
            for (String model : List.of("a", "b")) {
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 300; i++) {
                        shared.register(version(model, "v" + i));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(301, shared.get(ModelRef.latest("a")).version());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void subscribe_aFailingListener_doesNotUndoTheChangeOrStopOthers() {
        List<ModelStoreEvent> events = Collections.synchronizedList(new ArrayList<>());
        store().subscribe(e -> {
            throw new IllegalStateException("listener bug");
        });
        store().subscribe(e -> {
            throw new AssertionError("listener bug that is an Error");
        });
        store().subscribe(events::add);

        ModelVersion v = store().register(version("m", "1"));
        assertEquals(1, v.version());
        assertEquals(1, events.size());
        assertTrue(store().find(v.ref()).isPresent());
    }

    // ---------------------------------------------------------------- names

    @Test
    void register_invalidModelName_throwsIllegalArgumentNamingIt() {
        for (String bad : List.of("", "Fraud", "../etc", "a/b", "a\\b", "con", "a..b", "x.", "-x", "a b", "ä")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> version(bad, "x"),
                    () -> "name " + bad);
            assertTrue(e.getMessage().contains("model name"), e.getMessage());
        }
        assertTrue(store().models().isEmpty());
    }

    @Test
    void everyStringArgument_isCheckedAgainstTheNameRule() {
        store().register(version("m", "1"));
        for (String bad : List.of("..", "../m", "M", "a/b", "")) {
            List<Consumer<String>> calls = List.of(
                    n -> store().versions(n, PageRequest.first(5)),
                    n -> store().setAlias(n, "champion", 1, AliasExpect.any()),
                    n -> store().setAlias("m", n, 1, AliasExpect.any()),
                    n -> store().removeAlias(n, "champion", AliasExpect.any(), ChangeNote.NONE),
                    n -> store().removeAlias("m", n, AliasExpect.any(), ChangeNote.NONE),
                    n -> store().rollback(n, "champion"),
                    n -> store().rollback("m", n),
                    n -> store().aliasHistory(n, "champion"),
                    n -> store().aliasHistory("m", n),
                    n -> store().tombstones(n));
            for (int i = 0; i < calls.size(); i++) {
                Consumer<String> call = calls.get(i);
                assertThrows(InvalidNameException.class, () -> call.accept(bad), "call " + i + " with " + Names.quote(bad));
            }
        }
    }

    @Test
    void close_makesLaterCallsFail_andClosingTwiceIsHarmless() {
        ModelStore s = newStore();
        s.register(version("m", "1"));
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.register(version("m", "2")));
        assertThrows(IllegalStateException.class, () -> s.find(ModelRef.of("m", 1)));
    }

    @Test
    void open_corruptedArtifact_throwsIntegrityException_onAFullReadAndOnAnExactSizeRead() throws IOException {
        byte[] bytes = new byte[10_000];
        new Random(3).nextBytes(bytes);
        ModelVersion v = store().register(NewVersion.builder("m").artifact(bytes).build());
        corruptArtifact(v.ref());

        assertThrows(IntegrityException.class, () -> readAll(store().open(v.ref())));
        try (InputStream in = store().open(v.ref())) {
            byte[] exact = new byte[bytes.length];
            assertThrows(IntegrityException.class, () -> {
                int off = 0;
                while (off < exact.length) {
                    off += in.read(exact, off, exact.length - off);
                }
            }, "a reader that stops at the recorded size is told too");
        }
    }

    @Test
    void jqwikEngine_isOnTheTestClassPath_soTheNameProperyRuns() throws ClassNotFoundException {
        Class.forName("net.jqwik.engine.JqwikTestEngine");
    }

    /**
     * Every string is either accepted as a model name, alias and tag key and round-trips through the
     * store, or rejected with {@link IllegalArgumentException}; no accepted name contains a path
     * separator, {@code ..}, a control character, or exceeds {@link Names#MAX_LENGTH}.
     *
     * @param name any string
     */
    @Property(tries = 300)
    void everyName_isAcceptedAndRoundTrips_orRejectedWithIllegalArgument(@ForAll("names") String name) {
        boolean accepted;
        try {
            NewVersion request = NewVersion.builder(name).artifact(new byte[] {42}).tag(name, "t").build();
            ModelVersion v = store().register(request);
            store().setAlias(name, name, v.version(), AliasExpect.any());
            accepted = true;
            assertEquals(name, store().get(ModelRef.alias(name, name)).model());
            assertEquals(Map.of(name, "t"), store().get(ModelRef.of(name, v.version())).tags());
        } catch (IllegalArgumentException e) {
            accepted = false;
            assertFalse(Names.isValid(name), () -> "valid name rejected: " + Names.quote(name));
        }
        if (accepted) {
            assertTrue(Names.isValid(name));
            assertFalse(name.contains("/") || name.contains("\\") || name.contains(".."), name);
            assertTrue(name.length() <= Names.MAX_LENGTH);
            assertTrue(name.chars().noneMatch(Character::isISOControl));
            assertTrue(name.chars().noneMatch(c -> c == ':' || c == '@' || c == '\0'));
        }
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> nearlyValid = Arbitraries.strings()
                .withChars("abcxyz019._-/\\:@ A\u0000\n\u00e4")
                .ofMinLength(0).ofMaxLength(70);
        Arbitrary<String> valid = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(66);
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(80);
        Arbitrary<String> traversal = Arbitraries.of("..", "../a", "a/../b", "con", "nul.txt", "com1", "a" + "b".repeat(63),
                "a" + "b".repeat(64), ".hidden", "a.", "x\u0000y");
        return Arbitraries.oneOf(nearlyValid, valid, anything, traversal);
    }
}
