package dev.mlops.core.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.AccessDeniedException;
import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.InvalidNameException;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.NewVersion;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AccessControlledModelStoreTest {
    private static final Principal ALICE = Principal.of("alice", "risk");
    private static final Principal BOB = Principal.of("bob");

    private final InMemoryModelStore inner = new InMemoryModelStore();
    private final AuditLog log = AuditLog.inMemory();
    private final AccessPolicy policy = AccessPolicy.builder()
            .grantRole("risk", Permission.EDIT, "fraud")
            .grantUser("bob", Permission.READ, "fraud")
            .build();

    private static NewVersion version(String model) {
        return NewVersion.builder(model).artifact("x".getBytes(StandardCharsets.UTF_8)).build();
    }

    private List<AuditEvent> events() {
        return log.read(0, 1000).stream().map(AuditRecord::event).toList();
    }

    /** A store that fails the test if anything reaches it. */
    private static ModelStore untouchable() {
        return (ModelStore) Proxy.newProxyInstance(AccessControlledModelStoreTest.class.getClassLoader(),
                new Class<?>[] {ModelStore.class}, (proxy, method, args) -> {
                    throw new AssertionError("the store was called: " + method.getName());
                });
    }

    @Test
    void aDeniedCall_namesPrincipalPermissionAndModel_andNeverReachesTheStore() {
        ModelStore store = new AccessControlledModelStore(untouchable(), policy, log, () -> BOB);

        AccessDeniedException e = assertThrows(AccessDeniedException.class,
                () -> store.setAlias("fraud", "champion", 1, AliasExpect.any()));

        assertEquals("\"bob\" may not alias.set fraud@champion: that needs EDIT on model fraud, and the principal holds only READ",
                e.getMessage());
        AuditEvent r = events().get(0);
        assertEquals(1, events().size());
        assertEquals(new AuditEvent("bob", "alias.set", "fraud@champion", AuditEvent.Outcome.DENIED,
                Map.of("check", "access", "permission", "EDIT", "granted", "READ")), r);
    }

    @Test
    void aPrincipalWithNoGrant_isToldItHoldsNothing() {
        ModelStore store = new AccessControlledModelStore(untouchable(), policy, log, () -> Principal.of("eve"));
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> store.find(ModelRef.of("fraud", 1)));
        assertTrue(e.getMessage().endsWith("that needs READ on model fraud, and the principal holds no permission there"),
                e.getMessage());
    }

    @Test
    void theSupplier_isAskedOnEveryCall() {
        AtomicReference<Principal> current = new AtomicReference<>(ALICE);
        ModelStore store = new AccessControlledModelStore(inner, policy, log, current::get);
        store.register(version("fraud"));
        current.set(BOB);
        assertThrows(AccessDeniedException.class, () -> store.register(version("fraud")));
        current.set(null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.find(ModelRef.of("fraud", 1)));

        assertTrue(e.getMessage().contains("no caller"), e.getMessage());
        assertEquals(List.of("alice", "bob"), events().stream().map(AuditEvent::actor).toList(), "no decision, no record");
    }

    @Test
    void asUser_bindsOnePrincipal_andClosingTheViewLeavesTheStoreOpen() {
        AccessControlledModelStore guarded = new AccessControlledModelStore(inner, policy, log, () -> {
            throw new AssertionError("the views never ask the supplier");
        });
        AccessControlledModelStore hers = guarded.asUser(ALICE);
        AccessControlledModelStore his = guarded.asUser(BOB);

        hers.register(version("fraud"));
        assertEquals(1, his.get(ModelRef.of("fraud", 1)).version());
        assertThrows(AccessDeniedException.class, () -> his.delete(ModelRef.of("fraud", 1), "no"));
        hers.close();
        hers.close();
        assertThrows(IllegalStateException.class, () -> hers.find(ModelRef.of("fraud", 1)));
        assertEquals(1, his.get(ModelRef.of("fraud", 1)).version(), "other views and the store stay open");
        assertTrue(inner.find(ModelRef.of("fraud", 1)).isPresent());

        guarded.close();
        assertThrows(IllegalStateException.class, () -> his.find(ModelRef.of("fraud", 1)));
        assertThrows(IllegalStateException.class, () -> inner.find(ModelRef.of("fraud", 1)), "the root closes the store");
        assertEquals(List.of("model.register", "model.read", "model.delete", "model.read"),
                events().stream().map(AuditEvent::action).toList(), "calls on closed stores leave no record");
    }

    @Test
    void anInvalidName_throwsInvalidName_beforeAnyDecision() {
        ModelStore store = new AccessControlledModelStore(untouchable(), policy, log, () -> ALICE);
        assertThrows(InvalidNameException.class, () -> store.versions("../etc", dev.mlops.core.registry.PageRequest.first(1)));
        assertThrows(InvalidNameException.class, () -> store.setAlias("fraud", "Champion", 1, AliasExpect.any()));
        assertEquals(0, log.size());
    }

    @Test
    void whenTheDecisionCannotBeRecorded_theCallFails_andTheStoreIsNotCalled() {
        AuditLog closed = AuditLog.inMemory();
        closed.close();
        ModelStore store = new AccessControlledModelStore(untouchable(), policy, closed, () -> ALICE);
        assertThrows(IllegalStateException.class, () -> store.register(version("fraud")));
    }

    @Test
    void aPolicyThatChanges_takesEffectOnTheNextCall_andForEachEventDelivered() {
        Map<String, Permission> grants = new ConcurrentHashMap<>();
        AccessPolicy live = (principal, model) -> Optional.ofNullable(grants.get(model));
        AtomicReference<Principal> current = new AtomicReference<>(ALICE);
        ModelStore store = new AccessControlledModelStore(inner, live, log, current::get);
        List<String> heard = new ArrayList<>();
        store.subscribe(e -> heard.add(e.model() + ":" + e.sequence()));
        current.set(BOB);

        inner.register(version("fraud"));
        grants.put("fraud", Permission.READ);
        inner.register(version("fraud"));
        assertEquals(2, store.get(ModelRef.latest("fraud")).version());
        grants.remove("fraud");
        inner.register(version("fraud"));
        assertThrows(AccessDeniedException.class, () -> store.get(ModelRef.latest("fraud")));

        assertEquals(List.of("fraud:2"), heard, "only the event delivered while the model was readable");
        assertEquals("alice", events().get(0).actor(), "the subscription is alice's, fixed when she subscribed");
    }

    @Test
    void aNoteNamingAnotherActor_reachesTheStoreAsThePrincipals_withItsReason_andTheClaimIsKeptInTheDecision() {
        ModelStore store = new AccessControlledModelStore(inner, policy, log, () -> ALICE);
        store.register(NewVersion.builder("fraud").artifact(new byte[] {1}).createdBy("release-bot").build());
        store.register(version("fraud"));
        AliasMove move = store.setAlias("fraud", "champion", 1, AliasExpect.absent(),
                ChangeNote.by("release-bot").because("nightly promotion"));
        store.setAlias("fraud", "champion", 2, AliasExpect.current(1));
        AliasMove back = store.rollback("fraud", "champion");

        assertEquals("alice", inner.get(ModelRef.of("fraud", 1)).createdBy());
        assertEquals("alice", inner.get(ModelRef.of("fraud", 2)).createdBy());
        assertEquals("alice", move.actor());
        assertEquals("nightly promotion", move.reason());
        assertEquals("alice", back.actor(), "a call without a note is the principal's too");
        assertEquals(List.of("alice"), inner.aliasHistory("fraud", "champion").stream().map(AliasMove::actor).distinct().toList());
        assertEquals(List.of("alice"), events().stream().map(AuditEvent::actor).distinct().toList());
        assertEquals(Arrays.asList("release-bot", null, "release-bot", null, null),
                events().stream().map(e -> e.details().get("claimedActor")).toList());
    }

    @Test
    void aNoteNamingThePrincipalOrNobody_recordsNoClaim() {
        ModelStore store = new AccessControlledModelStore(inner, policy, log, () -> ALICE);
        store.register(version("fraud"));
        store.setAlias("fraud", "champion", 1, AliasExpect.absent(), ChangeNote.by("alice"));
        store.setAlias("fraud", "staging", 1, AliasExpect.absent(), ChangeNote.NONE);
        assertTrue(events().stream().noneMatch(e -> e.details().containsKey("claimedActor")), events().toString());
        assertEquals("alice", inner.aliasHistory("fraud", "staging").get(0).actor());
    }

    @Test
    void composedOverAnAuditingStore_anAllowedCallLeavesDecisionAndOutcome_aDeniedOneOnlyTheDenial() {
        AccessControlledModelStore guarded = new AccessControlledModelStore(new AuditingModelStore(inner, log), policy, log,
                () -> ALICE);
        guarded.register(version("fraud"));
        guarded.setAlias("fraud", "champion", 1, AliasExpect.absent(), ChangeNote.by("alice"));
        assertThrows(ConcurrentUpdateException.class,
                () -> guarded.setAlias("fraud", "champion", 1, AliasExpect.absent(), ChangeNote.by("alice")));
        assertThrows(AccessDeniedException.class, () -> guarded.deleteModel("fraud", ChangeNote.by("alice")));

        List<String> seen = events().stream()
                .map(e -> e.action() + " " + e.outcome() + (e.details().containsKey("check") ? " (decision)" : ""))
                .toList();
        assertEquals(List.of(
                "model.register ALLOWED (decision)", "model.register ALLOWED",
                "alias.set ALLOWED (decision)", "alias.set ALLOWED",
                "alias.set ALLOWED (decision)", "alias.set FAILED",
                "model.delete-model DENIED (decision)"), seen);
    }
}
