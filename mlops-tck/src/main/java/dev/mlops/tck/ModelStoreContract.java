package dev.mlops.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.mlops.core.Subscription;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.DataSource;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.FieldType;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.MetricFilter;
import dev.mlops.core.registry.ModelArtifact;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelSummary;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.OpenedVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.Tombstone;
import dev.mlops.core.registry.VersionQuery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
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
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
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
 * Add {@code dev.mlops:mlops-tck} with test scope; it brings JUnit Jupiter and jqwik with their engines.
 * Each test gets a fresh, empty store and closes it afterwards. Override {@link #corruptArtifact} to run
 * the integrity tests too.
 */
public abstract class ModelStoreContract {
    private ModelStore store;

    /** For subclasses: one instance per test, as JUnit makes them. */
    protected ModelStoreContract() {
    }

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

    /**
     * Replaces the stored bytes of a version with others of another length (a truncated or an
     * appended-to file), so that the contract can check that the recorded size is enforced. The
     * default skips those tests.
     *
     * @param ref a live version of the store under test
     * @param bytes what the store should hold for it from now on
     */
    protected void replaceArtifact(ModelRef.ByVersion ref, byte[] bytes) {
        Assumptions.abort("this store's test offers no way to replace an artifact's bytes");
    }

    /**
     * A new, empty store that reads every time it records (creation, alias moves, deletions) from
     * {@code clock}. Override it to run the tests that need equal or chosen times (search's tie-break)
     * or a clock that fails halfway through a write (every write happens whole or not at all); the
     * default skips them.
     *
     * @param clock the store's only source of time
     * @return a new, empty store on that clock; the kit closes it after the test
     */
    protected ModelStore newStore(InstantSource clock) {
        return Assumptions.abort("this store's test offers no way to inject a clock: override newStore(InstantSource)");
    }

    /**
     * Who the store under test records as the actor of a change whose {@link ChangeNote} (or
     * {@link NewVersion#createdBy()}) names {@code claimed}. A store records the claim itself (the
     * default); a decorator that stamps the authenticated caller instead, as
     * {@code AccessControlledModelStore} does, overrides this to return that caller's name.
     *
     * @param claimed the actor the call names
     * @return the actor the store's history will name
     */
    protected String recordedActor(String claimed) {
        return claimed;
    }

    private final List<ModelStore> clockedStores = new ArrayList<>();

    private synchronized ModelStore storeOn(InstantSource clock) {
        ModelStore s = newStore(clock);
        clockedStores.add(s);
        return s;
    }

    @AfterEach
    @AfterProperty
    final synchronized void closeStore() {
        if (store != null) {
            store.close();
            store = null;
        }
        clockedStores.forEach(ModelStore::close);
        clockedStores.clear();
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
        assertEquals(recordedActor("ci-pipeline"), found.createdBy());
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
        assertEquals(recordedActor("alice"), second.actor());
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
        assertEquals(recordedActor("bob"), t.actor());
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
    void open_truncatedArtifact_throwsAtTheEnd_andAnExtendedOne_asSoonAsItHoldsTooMuch() throws IOException {
        byte[] bytes = new byte[5_000];
        new Random(4).nextBytes(bytes);
        ModelVersion v = store().register(NewVersion.builder("m").artifact(bytes).build());

        replaceArtifact(v.ref(), java.util.Arrays.copyOf(bytes, bytes.length - 1));
        IntegrityException missing = assertThrows(IntegrityException.class, () -> readAll(store().open(v.ref())));
        assertTrue(missing.getMessage().contains(v.ref().toString()), missing.getMessage());

        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        replaceArtifact(v.ref(), longer);
        assertThrows(IntegrityException.class, () -> readAll(store().open(v.ref())), "one byte too many");
        try (InputStream in = store().open(v.ref())) {
            byte[] recorded = new byte[bytes.length];
            int off = 0;
            while (off < recorded.length) {
                off += in.read(recorded, off, recorded.length - off);
            }
            assertArrayEquals(bytes, recorded, "the recorded bytes are served as they were");
            assertThrows(IntegrityException.class, in::read, "and the extra byte is refused");
        }
    }

    // ---------------------------------------------------------------- racing writers

    /** Rounds per racing test: enough that a store without its lock fails every run, even on two cores. */
    private static final int ROUNDS = 400;

    private static int racers() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void setAlias_racingCompareAndSet_exactlyOneWinsInEveryRound() throws Exception {
        ModelStore shared = store();
        for (int i = 1; i <= 3; i++) {
            shared.register(version("m", "v" + i));
        }
        shared.setAlias("m", "champion", 1, AliasExpect.absent());
        try (Race race = new Race(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                long current = shared.get(ModelRef.alias("m", "champion")).version();
                long[] targets = current == 1 ? new long[] {2, 3} : current == 2 ? new long[] {3, 1} : new long[] {1, 2};
                List<Callable<AliasMove>> calls = new ArrayList<>();
                for (long target : targets) {
                    calls.add(() -> shared.setAlias("m", "champion", target, AliasExpect.current(current)));
                }
                List<Race.Outcome<AliasMove>> out = race.round(calls);
                String where = "round " + round + ", both expecting v" + current + ": " + out;
                List<Race.Outcome<AliasMove>> won = out.stream().filter(Race.Outcome::succeeded).toList();
                assertEquals(1, won.size(), where + ": exactly one winner");
                assertTrue(out.stream().anyMatch(o -> o.threw(ConcurrentUpdateException.class)),
                        where + ": the loser gets ConcurrentUpdateException");
                AliasMove move = won.get(0).value();
                assertEquals(OptionalLong.of(current), move.from(), where);
                assertEquals(move.to().getAsLong(), shared.get(ModelRef.alias("m", "champion")).version(),
                        where + ": the alias points at the winner's target");
                List<AliasMove> history = shared.aliasHistory("m", "champion");
                assertEquals(round + 2, history.size(), where + ": one history entry per winning move");
                assertEquals(move, history.get(history.size() - 1), where);
            }
        }
    }

    @Test
    void setAlias_racingToCreateWithAbsent_exactlyOneWinsInEveryRound() throws Exception {
        ModelStore shared = store();
        shared.register(version("m", "1"));
        shared.register(version("m", "2"));
        try (Race race = new Race(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                String alias = "race-" + round;
                List<Callable<AliasMove>> calls = List.of(
                        () -> shared.setAlias("m", alias, 1, AliasExpect.absent()),
                        () -> shared.setAlias("m", alias, 2, AliasExpect.absent()));
                List<Race.Outcome<AliasMove>> out = race.round(calls);
                String where = "round " + round + ": " + out;
                List<Race.Outcome<AliasMove>> won = out.stream().filter(Race.Outcome::succeeded).toList();
                assertEquals(1, won.size(), where + ": exactly one winner");
                assertTrue(out.stream().anyMatch(o -> o.threw(ConcurrentUpdateException.class)), where);
                assertEquals(List.of(won.get(0).value()), shared.aliasHistory("m", alias), where);
                assertEquals(won.get(0).value().to().getAsLong(), shared.get(ModelRef.alias("m", alias)).version(), where);
            }
        }
    }

    @Test
    void register_racingWriters_getDistinctDenseNumbersInEveryRound() throws Exception {
        ModelStore shared = store();
        int racers = racers();
        long highest = 0;
        try (Race race = new Race(racers)) {
            for (int round = 0; round < ROUNDS; round++) {
                List<Callable<ModelVersion>> calls = new ArrayList<>();
                for (int r = 0; r < racers; r++) {
                    String content = "round-" + round + "-racer-" + r;
                    calls.add(() -> shared.register(version("m", content)));
                }
                List<Race.Outcome<ModelVersion>> out = race.round(calls);
                String where = "round " + round + ": " + out;
                TreeSet<Long> numbers = new TreeSet<>();
                for (Race.Outcome<ModelVersion> o : out) {
                    assertTrue(o.succeeded(), where);
                    numbers.add(o.value().version());
                    assertEquals(o.value(), shared.get(o.value().ref()), where + ": each number holds what was registered under it");
                }
                assertEquals(LongStream.rangeClosed(highest + 1, highest + racers).boxed().toList(), List.copyOf(numbers),
                        where + ": the next numbers, each given once");
                highest += racers;
            }
        }
        assertEquals(highest, shared.get(ModelRef.latest("m")).version());
        ModelSummary summary = shared.models().get(0);
        assertEquals(highest, summary.highestAssigned());
        assertEquals(highest, summary.liveVersions());
    }

    @Test
    void annotate_racingOnTheSameRevision_exactlyOneWinsInEveryRound() throws Exception {
        ModelStore shared = store();
        ModelVersion v = shared.register(version("m", "1"));
        try (Race race = new Race(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                long revision = shared.get(v.ref()).revision();
                String value = Integer.toString(round);
                List<Callable<ModelVersion>> calls = List.of(
                        () -> shared.annotate(v.ref(), revision, Annotations.builder().putTag("left", value).build()),
                        () -> shared.annotate(v.ref(), revision, Annotations.builder().putTag("right", value).build()));
                List<Race.Outcome<ModelVersion>> out = race.round(calls);
                String where = "round " + round + ", both at revision " + revision + ": " + out;
                List<Race.Outcome<ModelVersion>> won = out.stream().filter(Race.Outcome::succeeded).toList();
                assertEquals(1, won.size(), where + ": exactly one winner");
                assertTrue(out.stream().anyMatch(o -> o.threw(ConcurrentUpdateException.class)), where);
                ModelVersion now = shared.get(v.ref());
                assertEquals(revision + 1, now.revision(), where);
                assertEquals(won.get(0).value(), now, where + ": the store holds the winner's annotation, nothing of the loser's");
            }
        }
    }

    @Test
    void setAlias_racingDeleteOfItsTarget_neverLeavesAnAliasOnADeletedVersion() throws Exception {
        ModelStore shared = store();
        shared.register(version("m", "1"));
        shared.setAlias("m", "champion", 1, AliasExpect.absent());
        int aliasWins = 0;
        int deleteWins = 0;
        try (Race race = new Race(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                long before = shared.get(ModelRef.alias("m", "champion")).version();
                ModelVersion target = shared.register(version("m", "r" + round));
                List<Callable<Object>> calls = List.of(
                        () -> shared.setAlias("m", "champion", target.version(), AliasExpect.any()),
                        () -> shared.delete(target.ref(), "racing the alias"));
                List<Race.Outcome<Object>> out = race.round(calls);
                String where = "round " + round + ", setAlias and delete of " + target.ref() + ": " + out;
                Race.Outcome<Object> set = out.get(0);
                Race.Outcome<Object> delete = out.get(1);
                assertTrue(set.succeeded() != delete.succeeded(), where + ": exactly one of them succeeds");
                if (set.succeeded()) {
                    aliasWins++;
                    assertTrue(delete.threw(ConflictException.class), where + ": delete after the move is a conflict");
                    assertTrue(shared.find(target.ref()).isPresent(), where);
                    assertEquals(target.version(), shared.get(ModelRef.alias("m", "champion")).version(), where);
                } else {
                    deleteWins++;
                    assertTrue(set.threw(ModelNotFoundException.class), where + ": moving to a deleted version is not found");
                    assertTrue(shared.find(target.ref()).isEmpty(), where);
                    assertEquals(before, shared.get(ModelRef.alias("m", "champion")).version(), where);
                }
                assertTrue(shared.find(ModelRef.alias("m", "champion")).isPresent(), where + ": the alias resolves");
            }
        }
        assertEquals(ROUNDS, aliasWins + deleteWins);
        assertEquals(deleteWins, shared.tombstones("m").size());
        assertEquals(ROUNDS + 1 - deleteWins, shared.models().get(0).liveVersions());
    }

    // ---------------------------------------------------------------- rules the first kit left untested

    @Test
    void delete_versionThatAnyAliasPointsAt_isRefused_naming_everyAliasOnIt() {
        for (int i = 1; i <= 4; i++) {
            store().register(version("m", "v" + i));
        }
        store().setAlias("m", "alpha", 1, AliasExpect.absent());
        store().setAlias("m", "beta", 2, AliasExpect.absent());
        store().setAlias("m", "gamma", 3, AliasExpect.absent());
        store().setAlias("m", "delta", 3, AliasExpect.absent());
        store().setAlias("m", "omega", 4, AliasExpect.absent());
        store().setAlias("m", "omega", 2, AliasExpect.current(4));

        for (long v = 1; v <= 3; v++) {
            ModelRef.ByVersion ref = ModelRef.of("m", v);
            ConflictException e = assertThrows(ConflictException.class, () -> store().delete(ref, "cleanup"), ref.toString());
            for (Map.Entry<String, Long> alias : store().models().get(0).aliases().entrySet()) {
                if (alias.getValue() == v) {
                    assertTrue(e.getMessage().contains(alias.getKey()), "names alias " + alias.getKey() + ": " + e.getMessage());
                }
            }
            assertTrue(store().find(ref).isPresent());
        }
        store().delete(ModelRef.of("m", 4), "an alias that moved away does not hold its old target");

        store().removeAlias("m", "gamma", AliasExpect.current(3), ChangeNote.NONE);
        assertThrows(ConflictException.class, () -> store().delete(ModelRef.of("m", 3), "delta still points at it"));
        store().removeAlias("m", "delta", AliasExpect.current(3), ChangeNote.NONE);
        assertEquals(3, store().delete(ModelRef.of("m", 3), "no alias left").version());
    }

    @Test
    void search_atEqualTimes_ordersByModelNameThenNewestVersion_andLimitCutsThatOrder() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        ModelStore s = storeOn(clock);
        s.register(version("b", "b1"));
        s.register(version("c", "c1"));
        s.register(version("a", "a1"));
        s.register(version("a", "a2"));
        clock.advance(Duration.ofSeconds(1));
        s.register(version("c", "c2"));
        s.register(version("b", "b2"));
        s.register(version("a", "a3"));
        s.register(version("c", "c3"));
        clock.advance(Duration.ofMillis(1));
        s.register(version("z", "z1"));

        List<String> expected = List.of("z:1", "a:3", "b:2", "c:3", "c:2", "a:2", "a:1", "b:1", "c:1");
        List<ModelVersion> all = s.search(VersionQuery.builder().build());
        assertEquals(expected, all.stream().map(v -> v.ref().toString()).toList(),
                "newest first; at equal times model name ascending, then version descending");
        List<ModelVersion> sorted = new ArrayList<>(all);
        sorted.sort(ModelStore.NEWEST_FIRST);
        assertEquals(sorted, all, "the order is ModelStore.NEWEST_FIRST");
        for (int limit = 1; limit <= expected.size(); limit++) {
            assertEquals(expected.subList(0, limit), s.search(VersionQuery.builder().limit(limit).build()).stream()
                    .map(v -> v.ref().toString()).toList(), "limit " + limit + " keeps the first of that order");
        }
    }

    @Test
    void search_acrossModels_returnsTheNewestFirstOrderOfEveryMatch() {
        for (int i = 0; i < 30; i++) {
            String model = List.of("c", "a", "b").get(i % 3);
            store().register(NewVersion.builder(model).artifact(new byte[] {(byte) i}).metric("auc", i / 30.0).build());
        }
        store().delete(ModelRef.of("a", 2), "x");
        List<ModelVersion> live = new ArrayList<>();
        for (String m : List.of("a", "b", "c")) {
            live.addAll(store().versions(m, PageRequest.first(100)).items());
        }
        live.sort(ModelStore.NEWEST_FIRST);
        assertEquals(live, store().search(VersionQuery.builder().build()));
        assertEquals(live.subList(0, 7), store().search(VersionQuery.builder().limit(7).build()));
    }

    @Test
    void search_everyMetricComparison_andAVersionWithoutTheMetricNeverMatches() {
        for (double auc : new double[] {0.7, 0.8, 0.9}) {
            store().register(NewVersion.builder("m").artifact(new byte[] {1}).metric("auc", auc).build());
        }
        store().register(NewVersion.builder("m").artifact(new byte[] {2}).metric("loss", 0.1).build());
        Map<MetricFilter.Comparison, List<Long>> expected = Map.of(
                MetricFilter.Comparison.LESS, List.of(1L),
                MetricFilter.Comparison.AT_MOST, List.of(2L, 1L),
                MetricFilter.Comparison.EQUAL, List.of(2L),
                MetricFilter.Comparison.AT_LEAST, List.of(3L, 2L),
                MetricFilter.Comparison.GREATER, List.of(3L));
        for (Map.Entry<MetricFilter.Comparison, List<Long>> e : expected.entrySet()) {
            List<Long> found = store().search(VersionQuery.builder().metric(new MetricFilter("auc", e.getKey(), 0.8)).build())
                    .stream().map(ModelVersion::version).toList();
            assertEquals(e.getValue(), found, "auc " + e.getKey() + " 0.8");
        }
    }

    @Test
    void search_skipsDeletedVersions_andMatchesTagsAsAnnotated() {
        ModelVersion v1 = store().register(NewVersion.builder("m").artifact(new byte[] {1}).tag("stage", "candidate").build());
        ModelVersion v2 = store().register(NewVersion.builder("m").artifact(new byte[] {2}).tag("stage", "candidate").build());
        store().delete(v2.ref(), "x");
        assertEquals(List.of(v1), store().search(VersionQuery.builder().tag("stage", "candidate").build()));
        ModelVersion promoted = store().annotate(v1.ref(), 1, Annotations.builder().putTag("stage", "production").build());
        assertEquals(List.of(), store().search(VersionQuery.builder().tag("stage", "candidate").build()));
        assertEquals(List.of(promoted), store().search(VersionQuery.builder().tag("stage", "production").build()));
    }

    @Test
    void versions_pagingThroughEveryPage_returnsEachLiveVersionOnce_andTheLastPageHasNoNext() {
        for (int i = 1; i <= 60; i++) {
            store().register(version("m", "v" + i));
        }
        for (long v = 3; v <= 60; v += 7) {
            store().delete(ModelRef.of("m", v), "x");
        }
        List<Long> expected = new ArrayList<>();
        for (long v = 60; v >= 1; v--) {
            if ((v - 3) % 7 != 0 || v < 3) {
                expected.add(v);
            }
        }
        for (int size : new int[] {1, 7, expected.size() / 2, expected.size(), expected.size() + 1}) {
            List<Long> seen = new ArrayList<>();
            Page<ModelVersion> page = store().versions("m", PageRequest.first(size));
            int pages = 1;
            seen.addAll(numbers(page));
            while (page.next().isPresent()) {
                assertEquals(size, page.items().size(), "only the last page is short");
                page = store().versions("m", page.next().get());
                seen.addAll(numbers(page));
                pages++;
            }
            assertEquals(expected, seen, "page size " + size);
            assertEquals((expected.size() + size - 1) / size, pages, "page size " + size + ": no empty last page");
        }
    }

    @Test
    void open_byAlias_resolvesWhenCalled_andAVersionResolvedOnceKeepsItsBytes() throws IOException {
        store().register(version("m", "one"));
        store().register(version("m", "two"));
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        ModelVersion resolved = store().get(ModelRef.alias("m", "champion"));
        store().setAlias("m", "champion", 2, AliasExpect.current(1));

        assertEquals("one", new String(readAll(store().open(resolved.ref())), StandardCharsets.UTF_8));
        assertEquals("two", new String(readAll(store().open(ModelRef.alias("m", "champion"))), StandardCharsets.UTF_8));
        assertEquals("two", new String(readAll(store().open(ModelRef.latest("m"))), StandardCharsets.UTF_8));
    }

    @Test
    void annotate_changesOnlyDescriptionTagsAndRevision_andNeverTheArtifact() throws IOException {
        NewVersion request = NewVersion.builder("m").artifact("weights".getBytes(StandardCharsets.UTF_8))
                .description("first").tag("team", "risk").param("trees", 300).metric("auc", 0.8).createdBy("ci")
                .lineage(Lineage.builder().codeRevision("abc123", false).runId("run-1").build())
                .signature(Signature.of(Field.float64("amount")).returns(Field.float64("score"))).build();
        ModelVersion before = store().register(request);
        ModelVersion after = store().annotate(before.ref(), 1,
                Annotations.builder().description("second").putTag("stage", "production").removeTag("team").build());

        assertEquals(before.annotated("second", Map.of("stage", "production")), after);
        assertEquals(after, store().get(before.ref()));
        assertArrayEquals("weights".getBytes(StandardCharsets.UTF_8), readAll(store().open(before.ref())));
    }

    @Test
    void register_fromAByteArray_laterChangesToTheCallersArrayChangeNothingStored() throws IOException {
        byte[] original = "original weights".getBytes(StandardCharsets.UTF_8);
        byte[] callers = original.clone();
        ModelVersion v = store().register(NewVersion.builder("m").artifact(callers).build());
        Arrays.fill(callers, (byte) 'x');
        assertArrayEquals(original, readAll(store().open(v.ref())));
        assertEquals(Sha256.of(original), store().get(v.ref()).digest());

        byte[] early = original.clone();
        NewVersion request = NewVersion.builder("m").artifact(early).build();
        Arrays.fill(early, (byte) 'y');
        ModelVersion w = store().register(request);
        byte[] stored = readAll(store().open(w.ref()));
        assertEquals(Sha256.of(stored), w.digest(), "the digest is of the bytes stored");
        Arrays.fill(early, (byte) 'z');
        assertArrayEquals(stored, readAll(store().open(w.ref())));
    }

    @Test
    void aliasHistory_recordsEveryKindOfMove_eachStartingWhereTheLastEnded() {
        for (int i = 1; i <= 3; i++) {
            store().register(version("m", "v" + i));
        }
        List<AliasMove> moves = new ArrayList<>();
        moves.add(store().setAlias("m", "champion", 1, AliasExpect.absent()));
        moves.add(store().setAlias("m", "champion", 2, AliasExpect.current(1), ChangeNote.by("ann").because("better")));
        moves.add(store().setAlias("m", "champion", 3, AliasExpect.any()));
        moves.add(store().rollback("m", "champion", ChangeNote.by("bob").because("regression")));
        moves.add(store().removeAlias("m", "champion", AliasExpect.current(2), ChangeNote.by("cy").because("retired")));
        moves.add(store().setAlias("m", "champion", 3, AliasExpect.absent()));

        assertEquals(moves, store().aliasHistory("m", "champion"));
        assertEquals(List.of(AliasMove.Kind.SET, AliasMove.Kind.SET, AliasMove.Kind.SET, AliasMove.Kind.ROLLBACK,
                AliasMove.Kind.REMOVE, AliasMove.Kind.SET), moves.stream().map(AliasMove::kind).toList());
        OptionalLong last = OptionalLong.empty();
        for (AliasMove m : moves) {
            assertEquals(last, m.from(), "each move starts where the previous one ended: " + m);
            last = m.to();
        }
        assertEquals(recordedActor("cy"), moves.get(4).actor());
        assertEquals("retired", moves.get(4).reason());
        assertEquals(List.of(), store().aliasHistory("m", "never-set"));
        assertEquals(List.of(), store().aliasHistory("unknown", "champion"));
    }

    @Test
    void removeAlias_forgetsItsRollbackSteps_evenWhenTheAliasIsSetAgain() {
        for (int i = 1; i <= 3; i++) {
            store().register(version("m", "v" + i));
        }
        store().setAlias("m", "champion", 1, AliasExpect.absent());
        store().setAlias("m", "champion", 2, AliasExpect.current(1));
        store().removeAlias("m", "champion", AliasExpect.current(2), ChangeNote.NONE);
        store().setAlias("m", "champion", 3, AliasExpect.absent());

        assertThrows(ConflictException.class, () -> store().rollback("m", "champion"), "1 and 2 were forgotten");
        assertEquals(3, store().get(ModelRef.alias("m", "champion")).version());
    }

    @Test
    void tombstones_areInOrderOfNumber_andModelsKeepCountingAfterDeletes() {
        for (int i = 1; i <= 4; i++) {
            store().register(version("m", "v" + i));
        }
        store().delete(ModelRef.of("m", 4), "x");
        store().delete(ModelRef.of("m", 1), "y");
        store().delete(ModelRef.of("m", 3), "z");

        assertEquals(List.of(1L, 3L, 4L), store().tombstones("m").stream().map(Tombstone::version).toList());
        ModelSummary m = store().models().get(0);
        assertEquals(OptionalLong.of(2), m.latest());
        assertEquals(1, m.liveVersions());
        assertEquals(4, m.highestAssigned());
        assertEquals(5, store().register(version("m", "v5")).version());
    }

    // ---------------------------------------------------------------- a rejected call changes nothing

    private static final Set<String> PROBED_ALIASES = Set.of("champion", "staging", "never-set");

    private static StoreState snapshot(ModelStore s) {
        return StoreState.of(s, Set.of("m", "other", "ghost", "fresh"), PROBED_ALIASES);
    }

    private static NewVersion failingUpload(String model) {
        return NewVersion.builder(model).artifact(ModelArtifact.fromStream(() -> new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ < 5_000) {
                    return 7;
                }
                throw new IOException("connection reset");
            }
        })).build();
    }

    @Test
    void everyRejectedWrite_changesNothingObservable_andDeliversNoEvent() {
        ModelStore s = store();
        ModelVersion v1 = s.register(NewVersion.builder("m").artifact(new byte[] {1}).tag("team", "risk").build());
        s.register(version("m", "2"));
        s.register(version("m", "3"));
        s.register(version("m", "4"));
        s.register(version("other", "1"));
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        s.setAlias("m", "champion", 2, AliasExpect.current(1));
        s.setAlias("m", "staging", 3, AliasExpect.absent());
        s.annotate(v1.ref(), 1, Annotations.builder().putTag("stage", "old").build());
        s.delete(ModelRef.of("m", 4), "bad");
        s.removeAlias("m", "champion", AliasExpect.current(2), ChangeNote.NONE);
        s.setAlias("m", "champion", 2, AliasExpect.absent());
        List<ModelStoreEvent> events = new CopyOnWriteArrayList<>();
        s.subscribe(events::add);
        Annotations change = Annotations.builder().putTag("stage", "new").build();

        Map<String, Map.Entry<Class<? extends Exception>, Executable>> rejected = new LinkedHashMap<>();
        rejected.put("setAlias expecting a target it does not have", Map.entry(ConcurrentUpdateException.class,
                () -> s.setAlias("m", "champion", 3, AliasExpect.current(1))));
        rejected.put("setAlias expecting absent on a set alias", Map.entry(ConcurrentUpdateException.class,
                () -> s.setAlias("m", "champion", 3, AliasExpect.absent())));
        rejected.put("setAlias to a version never registered", Map.entry(ModelNotFoundException.class,
                () -> s.setAlias("m", "champion", 9, AliasExpect.any())));
        rejected.put("setAlias to a deleted version", Map.entry(ModelNotFoundException.class,
                () -> s.setAlias("m", "staging", 4, AliasExpect.any())));
        rejected.put("setAlias on an unknown model", Map.entry(ModelNotFoundException.class,
                () -> s.setAlias("ghost", "champion", 1, AliasExpect.any())));
        rejected.put("setAlias with an invalid alias", Map.entry(InvalidNameException.class,
                () -> s.setAlias("m", "Champion", 1, AliasExpect.any())));
        rejected.put("setAlias with an invalid model name", Map.entry(InvalidNameException.class,
                () -> s.setAlias("../m", "champion", 1, AliasExpect.any())));
        rejected.put("removeAlias expecting a target it does not have", Map.entry(ConcurrentUpdateException.class,
                () -> s.removeAlias("m", "champion", AliasExpect.current(3), ChangeNote.NONE)));
        rejected.put("removeAlias of an alias never set", Map.entry(ModelNotFoundException.class,
                () -> s.removeAlias("m", "never-set", AliasExpect.any(), ChangeNote.NONE)));
        rejected.put("removeAlias on an unknown model", Map.entry(ModelNotFoundException.class,
                () -> s.removeAlias("ghost", "champion", AliasExpect.any(), ChangeNote.NONE)));
        rejected.put("removeAlias with an invalid alias", Map.entry(InvalidNameException.class,
                () -> s.removeAlias("m", "a/b", AliasExpect.any(), ChangeNote.NONE)));
        rejected.put("rollback with no earlier target (forgotten by removal)", Map.entry(ConflictException.class,
                () -> s.rollback("m", "champion")));
        rejected.put("rollback with no earlier target", Map.entry(ConflictException.class,
                () -> s.rollback("m", "staging")));
        rejected.put("rollback of an alias never set", Map.entry(ModelNotFoundException.class,
                () -> s.rollback("m", "never-set")));
        rejected.put("rollback on an unknown model", Map.entry(ModelNotFoundException.class,
                () -> s.rollback("ghost", "champion")));
        rejected.put("rollback with an invalid model name", Map.entry(InvalidNameException.class,
                () -> s.rollback("M", "champion")));
        rejected.put("annotate with a stale revision", Map.entry(ConcurrentUpdateException.class,
                () -> s.annotate(v1.ref(), 1, change)));
        rejected.put("annotate a version never registered", Map.entry(ModelNotFoundException.class,
                () -> s.annotate(ModelRef.of("m", 9), 1, change)));
        rejected.put("annotate a deleted version", Map.entry(ModelNotFoundException.class,
                () -> s.annotate(ModelRef.of("m", 4), 1, change)));
        rejected.put("annotate on an unknown model", Map.entry(ModelNotFoundException.class,
                () -> s.annotate(ModelRef.of("ghost", 1), 1, change)));
        rejected.put("delete a version an alias points at", Map.entry(ConflictException.class,
                () -> s.delete(ModelRef.of("m", 3), "x")));
        rejected.put("delete a version never registered", Map.entry(ModelNotFoundException.class,
                () -> s.delete(ModelRef.of("m", 9), "x")));
        rejected.put("delete a deleted version", Map.entry(ModelNotFoundException.class,
                () -> s.delete(ModelRef.of("m", 4), "x")));
        rejected.put("delete on an unknown model", Map.entry(ModelNotFoundException.class,
                () -> s.delete(ModelRef.of("ghost", 1), "x")));
        rejected.put("register with a wrong expected digest", Map.entry(IntegrityException.class,
                () -> s.register(NewVersion.builder("m").artifact(new byte[] {5}).expectDigest(Sha256.ofUtf8("no")).build())));
        rejected.put("register a new model with a wrong expected digest", Map.entry(IntegrityException.class,
                () -> s.register(NewVersion.builder("fresh").artifact(new byte[] {5}).expectDigest(Sha256.ofUtf8("no")).build())));
        rejected.put("register with an artifact stream that fails halfway", Map.entry(StoreException.class,
                () -> s.register(failingUpload("m"))));
        rejected.put("register a new model with an artifact stream that fails halfway", Map.entry(StoreException.class,
                () -> s.register(failingUpload("fresh"))));
        rejected.put("register with an artifact that cannot be opened", Map.entry(StoreException.class,
                () -> s.register(NewVersion.builder("fresh").artifact(ModelArtifact.fromStream(() -> {
                    throw new IOException("no such object");
                })).build())));

        List<Executable> checks = new ArrayList<>();
        for (var call : rejected.entrySet()) {
            StoreState before = snapshot(s);
            events.clear();
            Throwable thrown = null;
            try {
                call.getValue().getValue().execute();
            } catch (Throwable t) {
                thrown = t;
            }
            Throwable got = thrown;
            StoreState after = snapshot(s);
            List<ModelStoreEvent> delivered = List.copyOf(events);
            checks.add(() -> assertTrue(call.getValue().getKey().isInstance(got),
                    call.getKey() + ": expected " + call.getValue().getKey().getSimpleName() + ", got " + got));
            checks.add(() -> assertEquals(before, after, call.getKey() + " changed the store"));
            checks.add(() -> assertEquals(List.of(), delivered, call.getKey() + " delivered events"));
        }
        assertAll(checks);
        assertEquals(5, s.register(version("m", "5")).version(), "no rejected call used up a number");
        assertEquals(1, s.register(version("fresh", "1")).version());
    }

    // ---------------------------------------------------------------- events: payloads and order

    @Test
    void subscribe_eachEventCarriesExactlyWhatTheWriteReturned() {
        List<ModelStoreEvent> events = new CopyOnWriteArrayList<>();
        store().subscribe(events::add);

        ModelVersion v1 = store().register(NewVersion.builder("m").artifact(new byte[] {1}).tag("a", "b")
                .metric("auc", 0.9).description("d").createdBy("ci").build());
        ModelVersion v2 = store().register(version("m", "2"));
        AliasMove set = store().setAlias("m", "champion", 1, AliasExpect.absent(), ChangeNote.by("ann").because("first"));
        AliasMove moved = store().setAlias("m", "champion", 2, AliasExpect.current(1), ChangeNote.by("bob").because("better"));
        AliasMove back = store().rollback("m", "champion", ChangeNote.by("cy").because("worse"));
        ChangeNote why = ChangeNote.by("fay").because("relabel");
        ModelVersion annotated = store().annotate(v2.ref(), 1, Annotations.builder().description("x").putTag("k", "v").build(),
                why);
        ChangeNote recorded = new ChangeNote(recordedActor("fay"), "relabel");
        AliasMove removed = store().removeAlias("m", "champion", AliasExpect.current(1), ChangeNote.by("dee").because("done"));
        Tombstone gone = store().delete(v2.ref(), ChangeNote.by("eve").because("leak"));
        store().find(v1.ref());
        store().versions("m", PageRequest.first(10));
        store().search(VersionQuery.builder().build());
        store().models();
        store().aliasHistory("m", "champion");
        store().tombstones("m");

        assertEquals(8, events.size(), "one event per write, none for reads: " + events);
        long first = events.get(0).sequence();
        assertEquals(List.of(new ModelStoreEvent.Registered(first, v1), new ModelStoreEvent.Registered(first + 1, v2),
                new ModelStoreEvent.AliasMoved(first + 2, set), new ModelStoreEvent.AliasMoved(first + 3, moved),
                new ModelStoreEvent.AliasMoved(first + 4, back), new ModelStoreEvent.Annotated(first + 5, annotated, recorded),
                new ModelStoreEvent.AliasMoved(first + 6, removed), new ModelStoreEvent.Deleted(first + 7, gone)), events,
                "every field as returned, sequence numbers consecutive in commit order");
        assertEquals(events, store().events(first - 1, 100), "the store's sequence holds the same events");
        assertEquals(events.subList(3, 5), store().events(first + 2, 2), "read from any position");
        assertEquals(List.of(), store().events(first + 7, 100), "nothing after the last");
        assertEquals(List.of(set, moved, back, removed), store().aliasHistory("m", "champion"));
        assertEquals(List.of(gone), store().tombstones("m"));
        assertEquals(v1, store().get(v1.ref()));
        events.forEach(e -> assertEquals("m", e.model()));
    }

    private static String describe(ModelStoreEvent e) {
        if (e instanceof ModelStoreEvent.Registered r) {
            return "registered " + r.version().ref();
        }
        if (e instanceof ModelStoreEvent.AliasMoved a) {
            AliasMove m = a.move();
            return m.model() + "@" + m.alias() + " " + (m.from().isPresent() ? m.from().getAsLong() : "-") + "->"
                    + (m.to().isPresent() ? m.to().getAsLong() : "-");
        }
        if (e instanceof ModelStoreEvent.Annotated n) {
            return "annotated " + n.version().ref() + " r" + n.version().revision();
        }
        return "deleted " + ((ModelStoreEvent.Deleted) e).tombstone().model() + ":"
                + ((ModelStoreEvent.Deleted) e).tombstone().version();
    }

    @Test
    void subscribe_listenersThatWrite_everyListenerSeesEachChangeAfterTheOneThatCausedIt() {
        ModelStore s = store();
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> writer = new CopyOnWriteArrayList<>();
        List<String> later = new CopyOnWriteArrayList<>();
        List<String> last = new CopyOnWriteArrayList<>();
        s.subscribe(e -> first.add(describe(e)));
        s.subscribe(e -> {
            writer.add(describe(e));
            if (e instanceof ModelStoreEvent.Registered r && r.version().version() == 1) {
                s.setAlias("m", "champion", 1, AliasExpect.absent());
            } else if (e instanceof ModelStoreEvent.AliasMoved a && a.move().alias().equals("champion")) {
                s.annotate(ModelRef.of("m", 1), 1, Annotations.builder().putTag("champion", "yes").build());
            }
        });
        s.subscribe(e -> later.add(describe(e)));
        s.subscribe(e -> {
            last.add(describe(e));
            if (e instanceof ModelStoreEvent.Annotated) {
                s.setAlias("m", "staging", 1, AliasExpect.absent());
            }
        });

        s.register(version("m", "1"));
        s.register(version("m", "2"));

        List<String> commitOrder = List.of("registered m:1", "m@champion -->1", "annotated m:1 r2", "m@staging -->1",
                "registered m:2");
        assertAll(
                () -> assertEquals(commitOrder, first, "the listener subscribed first"),
                () -> assertEquals(commitOrder, writer, "the listener that writes"),
                () -> assertEquals(commitOrder, later, "a listener subscribed after the one that writes"),
                () -> assertEquals(commitOrder, last, "the last listener, which writes too"));
    }

    @Test
    void subscribe_twoWritersAndWritingListeners_everyListenerSeesOneCommitOrderPerModel() throws Exception {
        ModelStore shared = store();
        int each = 150;
        List<List<ModelStoreEvent>> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<ModelStoreEvent> mine = new CopyOnWriteArrayList<>();
            seen.add(mine);
            shared.subscribe(mine::add);
            if (i == 0) {
                shared.subscribe(e -> {
                    if (e instanceof ModelStoreEvent.Registered r) {
                        shared.setAlias(r.model(), "newest", r.version().version(), AliasExpect.any());
                    }
                });
            }
        }
        try (Race race = new Race(2)) {
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int id = t;
                writers.add(() -> {
                    for (int i = 0; i < each; i++) {
                        shared.register(version(i % 3 == 0 ? "n" : "m", "t" + id + "-" + i));
                    }
                    return null;
                });
            }
            for (Race.Outcome<Void> o : race.round(writers)) {
                assertTrue(o.succeeded(), o.toString());
            }
        }
        for (String model : List.of("m", "n")) {
            List<String> reference = null;
            List<AliasMove> history = shared.aliasHistory(model, "newest");
            for (int i = 0; i < seen.size(); i++) {
                List<ModelStoreEvent> mine = seen.get(i).stream().filter(e -> e.model().equals(model)).toList();
                String who = "listener " + i + ", model " + model;
                long registered = 0;
                Set<Long> live = new TreeSet<>();
                List<AliasMove> moves = new ArrayList<>();
                for (ModelStoreEvent e : mine) {
                    if (e instanceof ModelStoreEvent.Registered r) {
                        assertEquals(++registered, r.version().version(), who + ": registrations in number order");
                        live.add(r.version().version());
                    } else if (e instanceof ModelStoreEvent.AliasMoved a) {
                        moves.add(a.move());
                        assertTrue(live.contains(a.move().to().getAsLong()),
                                who + ": " + describe(e) + " arrived before the registration of its target");
                    }
                }
                assertEquals(history, moves, who + ": alias moves in the order of the alias's history");
                List<String> described = mine.stream().map(ModelStoreContract::describe).toList();
                if (reference == null) {
                    reference = described;
                } else {
                    assertEquals(reference, described, who + ": every listener sees the same order");
                }
            }
        }
    }

    @Test
    void subscribe_listenerRunsWithNoStoreLockHeld_soAnotherThreadCanWriteTheSameModel() throws Exception {
        ModelStore shared = store();
        ExecutorService other = Executors.newSingleThreadExecutor();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            shared.subscribe(e -> {
                if (e instanceof ModelStoreEvent.Registered r && r.version().version() == 1) {
                    try {
                        other.submit(() -> {
                            shared.register(version("m", "from another thread"));
                            shared.setAlias("m", "champion", 1, AliasExpect.absent());
                            return null;
                        }).get(10, TimeUnit.SECONDS);
                    } catch (Exception ex) {
                        failure.set(ex);
                    }
                }
            });
            shared.register(version("m", "1"));
            assertNull(failure.get(), "another thread's writes to the model wait for the listener: a lock is held");
            assertEquals(2, shared.get(ModelRef.latest("m")).version());
            assertEquals(1, shared.get(ModelRef.alias("m", "champion")).version());
        } finally {
            other.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- a write happens whole or not at all

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /**
     * Runs {@code write} once for each clock read it makes, with that read failing, each time on a fresh
     * store prepared by {@code setup}. After each run the store either looks exactly as before, with no
     * event delivered, or the write is whole ({@code whole} holds) and its one event was delivered.
     */
    private void assertWholeOrNoTrace(Consumer<ModelStore> setup, Consumer<ModelStore> write,
            Class<? extends ModelStoreEvent> event, Consumer<ModelStore> whole, Consumer<ModelStore> untouched) {
        for (int k = 1; k <= 20; k++) {
            TestClock clock = new TestClock(T0);
            ModelStore s = storeOn(clock);
            setup.accept(s);
            clock.advance(Duration.ofSeconds(1));
            StoreState before = snapshot(s);
            List<ModelStoreEvent> events = new CopyOnWriteArrayList<>();
            Subscription sub = s.subscribe(events::add);
            clock.failOnCallFromNow(k);
            RuntimeException thrown = null;
            try {
                write.accept(s);
            } catch (RuntimeException e) {
                thrown = e;
            }
            clock.heal();
            sub.close();
            if (!clock.failed()) {
                assertNull(thrown, "with a working clock the write succeeds");
                whole.accept(s);
                return;
            }
            StoreState after = snapshot(s);
            String where = "clock read " + k + " of the write failed (the write " + (thrown == null ? "returned" : "threw " + thrown)
                    + ")";
            if (after.equals(before)) {
                assertEquals(List.of(), events, where + ": the store is unchanged, yet events were delivered");
                untouched.accept(s);
            } else {
                try {
                    whole.accept(s);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(where + ": the store changed, but not whole: " + e.getMessage()
                            + "\n  before: " + before + "\n  after:  " + after, e);
                }
                assertEquals(1, events.size(), where + ": one event for the change, got " + events);
                assertTrue(event.isInstance(events.get(0)), where + ": " + events);
            }
            s.close();
        }
    }

    private static void threeVersionsChampionAtThree(ModelStore s) {
        for (int i = 1; i <= 3; i++) {
            s.register(version("m", "v" + i));
        }
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        s.setAlias("m", "champion", 2, AliasExpect.current(1));
        s.setAlias("m", "champion", 3, AliasExpect.current(2));
    }

    private static AliasMove lastMove(ModelStore s, String alias) {
        List<AliasMove> h = s.aliasHistory("m", alias);
        assertFalse(h.isEmpty(), "history of " + alias + " is empty");
        return h.get(h.size() - 1);
    }

    @Test
    void register_whenTheClockFails_eitherStoresTheVersionWholeOrLeavesNoTraceAndNoNumberUsed() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.register(version("m", "four")),
                ModelStoreEvent.Registered.class,
                s -> {
                    assertEquals(4, s.get(ModelRef.latest("m")).version());
                    assertEquals(Sha256.ofUtf8("four"), s.get(ModelRef.of("m", 4)).digest());
                    assertEquals(5, s.register(version("m", "five")).version());
                },
                s -> assertEquals(4, s.register(version("m", "four")).version(), "no number was used up"));
    }

    @Test
    void register_ofANewModel_whenTheClockFails_leavesNoModelBehind() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.register(version("fresh", "one")),
                ModelStoreEvent.Registered.class,
                s -> assertEquals(1, s.get(ModelRef.latest("fresh")).version()),
                s -> assertEquals(1, s.register(version("fresh", "one")).version()));
    }

    @Test
    void setAlias_whenTheClockFails_neverMovesTheAliasWithoutAHistoryEntry() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.setAlias("m", "champion", 1, AliasExpect.current(3)),
                ModelStoreEvent.AliasMoved.class,
                s -> {
                    assertEquals(1, s.get(ModelRef.alias("m", "champion")).version());
                    AliasMove m = lastMove(s, "champion");
                    assertEquals(AliasMove.Kind.SET, m.kind());
                    assertEquals(OptionalLong.of(3), m.from());
                    assertEquals(OptionalLong.of(1), m.to());
                    assertEquals(OptionalLong.of(3), s.rollback("m", "champion").to(), "the move is a rollback step");
                },
                s -> assertEquals(OptionalLong.of(2), s.rollback("m", "champion").to(), "no rollback step was added"));
    }

    @Test
    void setAlias_creatingAnAlias_whenTheClockFails_neverCreatesItWithoutAHistoryEntry() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.setAlias("m", "staging", 2, AliasExpect.absent()),
                ModelStoreEvent.AliasMoved.class,
                s -> {
                    assertEquals(2, s.get(ModelRef.alias("m", "staging")).version());
                    assertEquals(OptionalLong.empty(), lastMove(s, "staging").from());
                },
                s -> assertTrue(s.find(ModelRef.alias("m", "staging")).isEmpty()));
    }

    @Test
    void removeAlias_whenTheClockFails_neverRemovesItWithoutAHistoryEntry() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.removeAlias("m", "champion", AliasExpect.current(3), ChangeNote.NONE),
                ModelStoreEvent.AliasMoved.class,
                s -> {
                    assertTrue(s.find(ModelRef.alias("m", "champion")).isEmpty());
                    assertEquals(AliasMove.Kind.REMOVE, lastMove(s, "champion").kind());
                    s.delete(ModelRef.of("m", 3), "no alias holds it");
                },
                s -> assertEquals(OptionalLong.of(2), s.rollback("m", "champion").to(), "the rollback steps are kept"));
    }

    @Test
    void rollback_whenTheClockFails_neverMovesTheAliasWithoutAHistoryEntry() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.rollback("m", "champion"),
                ModelStoreEvent.AliasMoved.class,
                s -> {
                    assertEquals(2, s.get(ModelRef.alias("m", "champion")).version());
                    AliasMove m = lastMove(s, "champion");
                    assertEquals(AliasMove.Kind.ROLLBACK, m.kind());
                    assertEquals(OptionalLong.of(3), m.from());
                    assertEquals(OptionalLong.of(1), s.rollback("m", "champion").to(), "one step was used, not two");
                },
                s -> assertEquals(OptionalLong.of(2), s.rollback("m", "champion").to(), "no step was used"));
    }

    @Test
    void annotate_whenTheClockFails_eitherAnnotatesWholeOrLeavesNoTrace() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.annotate(ModelRef.of("m", 1), 1, Annotations.builder().putTag("k", "v").build()),
                ModelStoreEvent.Annotated.class,
                s -> {
                    assertEquals(2, s.get(ModelRef.of("m", 1)).revision());
                    assertEquals(Map.of("k", "v"), s.get(ModelRef.of("m", 1)).tags());
                },
                s -> assertEquals(2, s.annotate(ModelRef.of("m", 1), 1, Annotations.builder().putTag("k", "v").build())
                        .revision()));
    }

    @Test
    void delete_whenTheClockFails_neverDropsAVersionWithoutATombstone() {
        assertWholeOrNoTrace(ModelStoreContract::threeVersionsChampionAtThree,
                s -> s.delete(ModelRef.of("m", 1), ChangeNote.by("ann").because("obsolete")),
                ModelStoreEvent.Deleted.class,
                s -> {
                    assertTrue(s.find(ModelRef.of("m", 1)).isEmpty());
                    assertEquals(List.of(1L), s.tombstones("m").stream().map(Tombstone::version).toList());
                    assertEquals(Sha256.ofUtf8("v1"), s.tombstones("m").get(0).digest());
                },
                s -> assertTrue(s.find(ModelRef.of("m", 1)).isPresent()));
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

    // ---------------------------------------------------------------- resolve-and-open, lineage, search, models

    @Test
    void openVersion_tellsWhichVersionItOpened_evenWhenTheAliasMovesAfterwards() throws Exception {
        ModelStore s = store();
        s.register(NewVersion.builder("m").artifact(new byte[] {1}).build());
        s.register(NewVersion.builder("m").artifact(new byte[] {2}).build());
        s.setAlias("m", "champion", 1, AliasExpect.absent());
        try (OpenedVersion opened = s.openVersion(ModelRef.alias("m", "champion"))) {
            s.setAlias("m", "champion", 2, AliasExpect.current(1));
            assertEquals(1, opened.version().version());
            assertArrayEquals(new byte[] {1}, opened.stream().readAllBytes());
        }
        assertThrows(ModelNotFoundException.class, () -> s.openVersion(ModelRef.alias("m", "staging")));
    }

    @Test
    void lineageParents_mustBeLive_andChildrenAreFoundInReverse() {
        ModelStore s = store();
        ModelVersion base = s.register(version("base", "x"));
        ModelVersion tuned = s.register(NewVersion.builder("tuned").artifact(new byte[] {1})
                .lineage(Lineage.builder().parent(base.ref()).build()).build());
        ModelVersion again = s.register(NewVersion.builder("base").artifact(new byte[] {2})
                .lineage(Lineage.builder().parent(base.ref()).build()).build());
        assertEquals(List.of(again, tuned).stream().map(ModelVersion::ref).toList(),
                s.children(base.ref()).stream().map(ModelVersion::ref).toList());
        assertTrue(s.children(tuned.ref()).isEmpty());

        var missing = assertThrows(ModelNotFoundException.class, () -> s.register(NewVersion.builder("tuned")
                .artifact(new byte[] {1}).lineage(Lineage.builder().parent(ModelRef.of("base", 9)).build()).build()));
        assertTrue(missing.getMessage().contains("base:9"), missing.getMessage());
        assertThrows(ModelNotFoundException.class, () -> s.register(NewVersion.builder("base")
                .artifact(new byte[] {1}).lineage(Lineage.builder().parent(ModelRef.of("base", 7)).build()).build()));
        assertEquals(2, s.models().stream().filter(m -> m.model().equals("base")).findFirst().orElseThrow()
                .highestAssigned(), "a refused registration uses up no number");

        s.delete(tuned.ref(), "gone");
        assertEquals(List.of(again.ref()), s.children(base.ref()).stream().map(ModelVersion::ref).toList());
    }

    @Test
    void searchPages_inEveryOrder_equalTheSortedMatches_withTiesAcrossModels() {
        Random r = new Random(8);
        ModelStore s = store();
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

    @Test
    void integerParams_stayIntegers_andDigestFindsEveryVersionOfTheSameBytes() {
        ModelStore s = store();
        ModelVersion one = s.register(NewVersion.builder("m").artifact(new byte[] {7}).param("trees", 300).build());
        ModelVersion two = s.register(NewVersion.builder("n").artifact(new byte[] {7}).build());
        s.register(NewVersion.builder("n").artifact(new byte[] {8}).build());
        assertEquals("300", one.params().get("trees"));
        assertEquals(List.of(two.ref(), one.ref()), s.search(VersionQuery.builder().digest(one.digest()).build()).stream()
                .map(ModelVersion::ref).toList());
    }

    @Test
    void modelView_annotatesWithARevision_andDeletesWholeOnlyWithoutAliases() {
        ModelStore s = store();
        List<ModelStoreEvent> events = new CopyOnWriteArrayList<>();
        s.subscribe(events::add);
        ModelVersion v1 = s.register(version("m", "x"));
        s.register(version("m", "x"));
        ModelSummary fresh = s.model("m").orElseThrow();
        assertEquals(1, fresh.revision());
        assertEquals(v1.createdAt(), fresh.createdAt());
        assertEquals("", fresh.description());

        ModelSummary annotated = s.annotateModel("m", 1, Annotations.builder().description("fraud scorer")
                .putTag("team", "risk").build(), ChangeNote.by("ann").because("owner"));
        assertEquals(2, annotated.revision());
        assertEquals("fraud scorer", annotated.description());
        assertEquals(java.util.Map.of("team", "risk"), annotated.tags());
        assertFalse(annotated.updatedAt().isBefore(fresh.updatedAt()));
        assertEquals(annotated, s.model("m").orElseThrow());
        assertThrows(ConcurrentUpdateException.class,
                () -> s.annotateModel("m", 1, Annotations.builder().description("x").build(), ChangeNote.NONE));
        var last = assertInstanceOf(ModelStoreEvent.ModelAnnotated.class, events.get(events.size() - 1));
        assertEquals(annotated, last.summary());
        assertEquals(recordedActor("ann"), last.note().actor());

        s.setAlias("m", "champion", 2, AliasExpect.absent());
        var conflict = assertThrows(ConflictException.class, () -> s.deleteModel("m", ChangeNote.NONE));
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
        assertThrows(ModelNotFoundException.class, () -> s.deleteModel("m", ChangeNote.NONE));

        ModelVersion again = s.register(version("m", "x"));
        assertEquals(3, again.version(), "numbers are never reused, even after the whole model went");
        assertEquals("", s.model("m").orElseThrow().description(), "a new life starts without the old annotations");
        assertEquals(again.createdAt(), s.model("m").orElseThrow().createdAt());
    }

    private static VersionQuery copyWithLimit(VersionQuery q, int limit) {
        return new VersionQuery(q.model(), q.tags(), q.tagKeys(), q.params(), q.metrics(), q.digest(), q.createdFrom(),
                q.createdBefore(), q.order(), limit);
    }
}
