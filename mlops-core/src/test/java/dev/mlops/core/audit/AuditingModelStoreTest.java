package dev.mlops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.StoreException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.ForwardingModelStore;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.core.registry.VersionQuery;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditingModelStoreTest {
    private final InMemoryModelStore inner = new InMemoryModelStore();
    private final AuditLog log = AuditLog.inMemory();
    private final ModelStore store = new AuditingModelStore(inner, log);

    @AfterEach
    void close() {
        store.close();
        log.close();
    }

    private static NewVersion version(String model, String content) {
        return NewVersion.builder(model).artifact(content.getBytes(StandardCharsets.UTF_8)).build();
    }

    private List<AuditEvent> events() {
        return log.read(0, 1000).stream().map(AuditRecord::event).toList();
    }

    private AuditEvent only() {
        List<AuditEvent> all = events();
        assertEquals(1, all.size(), () -> "exactly one record, got " + all);
        return all.get(0);
    }

    private AuditEvent last() {
        List<AuditEvent> all = events();
        return all.get(all.size() - 1);
    }

    @Test
    void register_success_recordsOneAllowedEvent_withVersionDigestAndSize() {
        ModelVersion v = store.register(NewVersion.builder("fraud").artifact(new byte[] {1, 2, 3}).createdBy("ci-pipeline")
                .build());

        AuditEvent e = only();
        assertEquals("ci-pipeline", e.actor());
        assertEquals("model.register", e.action());
        assertEquals("fraud:1", e.target());
        assertEquals(AuditEvent.Outcome.ALLOWED, e.outcome());
        assertEquals(Map.of("version", "1", "digest", v.digest().toString(), "size", "3"), e.details());
    }

    @Test
    void register_withLineageParents_recordsThem() {
        store.register(version("base", "b"));
        store.register(NewVersion.builder("tuned").artifact(new byte[] {9})
                .lineage(Lineage.builder().parent(ModelRef.of("base", 1)).build()).build());

        assertEquals("base:1", last().details().get("parents"));
    }

    @Test
    void callsWithoutAnActor_recordTheConfiguredDefaultActor_orUnknown() {
        ModelStore named = AuditingModelStore.builder(inner, log).defaultActor("svc-registry").build();
        named.register(version("m", "1"));
        store.register(version("m", "2"));
        named.setAlias("m", "champion", 1, AliasExpect.absent());
        named.setAlias("m", "champion", 2, AliasExpect.current(1), ChangeNote.by("alice"));

        assertEquals(List.of("svc-registry", "unknown", "svc-registry", "alice"), events().stream().map(AuditEvent::actor).toList());
    }

    @Test
    void setAlias_recordsTargetFromToExpectAndReason() {
        store.register(version("m", "1"));
        store.register(version("m", "2"));
        store.setAlias("m", "champion", 1, AliasExpect.absent(), ChangeNote.by("alice").because("first"));
        store.setAlias("m", "champion", 2, AliasExpect.current(1), ChangeNote.by("bob").because("better auc"));

        AuditEvent e = last();
        assertEquals("bob", e.actor());
        assertEquals("alias.set", e.action());
        assertEquals("m@champion", e.target());
        assertEquals(Map.of("from", "1", "to", "2", "expect", "v1", "reason", "better auc"), e.details());
        assertEquals("none", events().get(2).details().get("from"), "the first move came from no target");
    }

    @Test
    void rollbackAndRemoveAlias_recordWhereTheAliasWent() {
        store.register(version("m", "1"));
        store.register(version("m", "2"));
        store.setAlias("m", "champion", 1, AliasExpect.absent());
        store.setAlias("m", "champion", 2, AliasExpect.current(1));
        store.rollback("m", "champion", ChangeNote.by("carol").because("p99 doubled"));
        AuditEvent rollback = last();
        store.removeAlias("m", "champion", AliasExpect.current(1), ChangeNote.by("dave"));
        AuditEvent removal = last();

        assertEquals("alias.rollback", rollback.action());
        assertEquals("carol", rollback.actor());
        assertEquals(Map.of("from", "2", "to", "1", "reason", "p99 doubled"), rollback.details());
        assertEquals("alias.remove", removal.action());
        assertEquals(Map.of("from", "1", "to", "none", "expect", "v1"), removal.details());
    }

    @Test
    void annotateAndAnnotateModel_recordTheChangesAndTheNewRevision() {
        store.register(version("m", "1"));
        store.annotate(ModelRef.latest("m"), 1, Annotations.builder().description("tuned").putTag("team", "risk")
                .build(), ChangeNote.by("erin").because("ownership"));
        AuditEvent version = last();
        store.annotateModel("m", 1, Annotations.builder().removeTag("stale").build(), ChangeNote.by("erin"));
        AuditEvent model = last();

        assertEquals("model.annotate", version.action());
        assertEquals("m:1", version.target(), "the version the reference resolved to");
        assertEquals(Map.of("expectedRevision", "1", "revision", "2", "description", "tuned", "tags.put", "team=risk",
                "reason", "ownership"), version.details());
        assertEquals("model.annotate-model", model.action());
        assertEquals("m", model.target());
        assertEquals(Map.of("expectedRevision", "1", "revision", "2", "tags.removed", "stale"), model.details());
    }

    @Test
    void deleteAndDeleteModel_recordWhatWasDeleted() {
        ModelVersion v1 = store.register(version("m", "1"));
        store.register(version("m", "2"));
        store.register(version("m", "3"));
        store.delete(ModelRef.of("m", 1), "leaked training data");
        AuditEvent one = last();
        store.deleteModel("m", ChangeNote.by("frank").because("retired"));
        AuditEvent all = last();

        assertEquals("model.delete", one.action());
        assertEquals("m:1", one.target());
        assertEquals("unknown", one.actor());
        assertEquals(Map.of("digest", v1.digest().toString(), "reason", "leaked training data"), one.details());
        assertEquals("model.delete-model", all.action());
        assertEquals("frank", all.actor());
        assertEquals(Map.of("count", "2", "versions", "2, 3", "reason", "retired"), all.details());
    }

    @Test
    void failure_recordsFailedWithTheExceptionClassAndMessage_andRethrowsTheSameException() {
        store.register(version("m", "1"));
        store.setAlias("m", "champion", 1, AliasExpect.absent());

        ConcurrentUpdateException thrown = assertThrows(ConcurrentUpdateException.class,
                () -> store.setAlias("m", "champion", 1, AliasExpect.absent(), ChangeNote.by("gina")));

        AuditEvent e = last();
        assertEquals(3, events().size());
        assertEquals(AuditEvent.Outcome.FAILED, e.outcome());
        assertEquals("alias.set", e.action());
        assertEquals("m@champion", e.target());
        assertEquals("gina", e.actor());
        assertEquals(ConcurrentUpdateException.class.getName(), e.details().get("error"));
        assertEquals(thrown.getMessage(), e.details().get("message"));
        assertEquals("1", e.details().get("to"));
        assertEquals("absent", e.details().get("expect"));
        assertFalse(e.details().containsKey("from"), "nothing moved, so there is no from");
    }

    @Test
    void failure_rethrowsTheDelegatesExceptionInstance_unwrapped() {
        StoreException boom = new StoreException("disk full", new java.io.IOException("ENOSPC"));
        ModelStore failing = new AuditingModelStore(new ForwardingModelStore(inner) {
            @Override
            public ModelVersion register(NewVersion request) {
                throw boom;
            }
        }, log);

        StoreException thrown = assertThrows(StoreException.class, () -> failing.register(version("m", "1")));

        assertSame(boom, thrown);
        assertEquals(0, thrown.getSuppressed().length);
        AuditEvent e = only();
        assertEquals(AuditEvent.Outcome.FAILED, e.outcome());
        assertEquals("m", e.target(), "no version was assigned");
        assertEquals(StoreException.class.getName(), e.details().get("error"));
        assertEquals("disk full", e.details().get("message"));
    }

    @Test
    void reads_areNotRecordedByDefault() {
        store.register(version("m", "1"));
        store.find(ModelRef.of("m", 1));
        store.get(ModelRef.latest("m"));
        store.models();
        store.versions("m", PageRequest.first(10));
        store.search(VersionQuery.builder().build());

        assertEquals(1, events().size(), "only the registration: " + events());
    }

    @Test
    void reads_whenEnabled_recordOneEventPerCall_failuresIncluded() throws Exception {
        ModelStore reading = AuditingModelStore.builder(inner, log).auditReads(true).defaultActor("api").build();
        reading.register(version("m", "1"));
        reading.find(ModelRef.alias("m", "champion"));
        reading.get(ModelRef.latest("m"));
        assertThrows(ModelNotFoundException.class, () -> reading.get(ModelRef.of("m", 9)));
        try (InputStream in = reading.open(ModelRef.of("m", 1))) {
            assertEquals("1", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        reading.openVersion(ModelRef.latest("m")).close();
        reading.models();
        reading.search(VersionQuery.builder().build());
        reading.versions("m", PageRequest.first(10));
        reading.events(0, 10);

        List<AuditEvent> all = events();
        assertEquals(List.of("model.register", "model.read", "model.read", "model.read", "model.open", "model.open",
                "model.list", "model.search", "model.versions", "store.events"),
                all.stream().map(AuditEvent::action).toList());
        assertTrue(all.stream().allMatch(e -> e.actor().equals("api")));
        assertEquals(Map.of("found", "false"), all.get(1).details());
        assertEquals("m@champion", all.get(1).target());
        assertEquals(Map.of("found", "true", "version", "1"), all.get(2).details());
        assertEquals(AuditEvent.Outcome.FAILED, all.get(3).outcome());
        assertEquals(ModelNotFoundException.class.getName(), all.get(3).details().get("error"));
        assertEquals("1", all.get(5).details().get("version"));
        assertEquals("1", all.get(6).details().get("count"));
        assertEquals("", all.get(7).target(), "a search of every model");
        assertEquals(Map.of("afterSequence", "0", "count", "1"), all.get(9).details());
    }

    @Test
    void appendFailingAfterASuccessfulChange_throwsUnauditedOperation_andTheChangeStands() {
        AuditLog closed = AuditLog.inMemory();
        closed.close();
        ModelStore audited = new AuditingModelStore(inner, closed);

        UnauditedOperationException e = assertThrows(UnauditedOperationException.class,
                () -> audited.register(version("m", "1")));

        assertTrue(inner.find(ModelRef.of("m", 1)).isPresent(), "the registration happened");
        assertEquals("model.register", e.event().action());
        assertEquals("m:1", e.event().target());
        assertEquals(AuditEvent.Outcome.ALLOWED, e.event().outcome());
        assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        assertTrue(e.getMessage().contains("model.register m:1"), e.getMessage());
    }

    @Test
    void appendFailingAfterAFailedCall_rethrowsTheStoreException_withTheAppendFailureSuppressed() {
        AuditLog closed = AuditLog.inMemory();
        closed.close();
        ModelStore audited = new AuditingModelStore(inner, closed);

        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> audited.delete(ModelRef.of("m", 1), "nothing there"));

        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0] instanceof IllegalStateException);
    }

    @Test
    void aRecordedOpenWhoseRecordIsLost_closesTheStreamItOpened() {
        AtomicBoolean closedStream = new AtomicBoolean();
        AuditLog closedLog = AuditLog.inMemory();
        closedLog.close();
        ModelStore audited = AuditingModelStore.builder(new ForwardingModelStore(inner) {
            @Override
            public InputStream open(ModelRef ref) {
                return new ByteArrayInputStream(new byte[] {1}) {
                    @Override
                    public void close() {
                        closedStream.set(true);
                    }
                };
            }
        }, closedLog).auditReads(true).build();

        assertThrows(UnauditedOperationException.class, () -> audited.open(ModelRef.of("m", 1)));
        assertTrue(closedStream.get());
    }

    @Test
    void textTheAuditRulesRefuse_isRecordedWithReplacementCharacters() {
        store.register(version("m", "1"));
        store.setAlias("m", "champion", 1, AliasExpect.absent(), new ChangeNote("mallory\nroot", "line one\nline\ttwo \uD800"));

        AuditEvent e = last();
        assertEquals("mallory\uFFFDroot", e.actor(), "an actor is one line");
        assertEquals("line one\nline\ttwo \uFFFD", e.details().get("reason"), "free text keeps line feed and tab");
    }

    @Test
    void sanitizeAndClip_keepSurrogatePairsWhole() {
        String pair = "\uD83D\uDE00";
        assertEquals("a" + pair + "\uFFFDb", AuditingModelStore.sanitize("a" + pair + "\u0007b", false));
        assertEquals("ab", AuditingModelStore.clip("ab" + pair, 3), "a pair is never cut in half");
        assertEquals("ab" + pair, AuditingModelStore.clip("ab" + pair, 4));
    }

    @Test
    void builder_refusesAnOptionSetTwice_andABadDefaultActor() {
        AuditingModelStore.Builder b = AuditingModelStore.builder(inner, log).auditReads(true).defaultActor("x");
        assertThrows(IllegalStateException.class, () -> b.auditReads(false));
        assertThrows(IllegalStateException.class, () -> b.defaultActor("y"));
        assertThrows(IllegalArgumentException.class, () -> AuditingModelStore.builder(inner, log).defaultActor("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> AuditingModelStore.builder(inner, log).defaultActor(""));
    }

    @Test
    void close_closesTheStore_notTheLog() {
        store.close();
        assertThrows(IllegalStateException.class, () -> inner.find(ModelRef.of("m", 1)));
        assertEquals(0, log.size(), "the log is still open and usable");
    }
}
