package dev.mlops.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.AccessDeniedException;
import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.ConflictException;
import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.security.Principal;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionsTest {
    private static final Principal ALICE = Principal.of("alice", "ml");
    private static final Principal BOB = Principal.of("bob", "risk");
    private static final Principal CAROL = Principal.of("carol", "risk");
    private static final Lineage FULL = Lineage.builder().codeRevision("3f2a9c1", false)
            .data(URI.create("s3://b/nov.parquet"), Sha256.ofUtf8("rows"), 100).build();
    private static final PromotionGate GATE = PromotionGate.builder().metricAtLeastChampion("auc", "holdout", 0.0)
            .lineageComplete().build();

    private final InMemoryModelStore store = new InMemoryModelStore();
    private final AuditLog log = AuditLog.inMemory();
    private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-12-01T00:00:00Z"));

    private ModelVersion version(double auc, Lineage lineage) {
        return store.register(NewVersion.builder("fraud").artifact(new byte[] {(byte) auc})
                .metric("auc@holdout", auc).lineage(lineage).build());
    }

    private ModelVersion champion() {
        ModelVersion v = version(0.90, FULL);
        store.setAlias("fraud", "champion", v.version(), AliasExpect.absent());
        return v;
    }

    private List<AuditRecord> records() {
        return log.read(0, 1000);
    }

    @Test
    void fourEyes_theRequesterCannotApprove_anotherPrincipalPromotes() {
        ModelVersion champion = champion();
        ModelVersion challenger = version(0.93, FULL);
        Promotions promotions = Promotions.builder(store, log, GATE).clock(clock).build();
        PromotionRequest r = promotions.request(ALICE, Candidate.of(challenger).against(champion), "champion",
                "beats v1 on the hold-out");
        assertEquals(PromotionRequest.Status.PENDING, r.status());
        assertTrue(r.gate().passed());
        AccessDeniedException denied = assertThrows(AccessDeniedException.class,
                () -> promotions.approve(r.id(), ALICE, "looks good to me"));
        assertTrue(denied.getMessage().contains("four eyes"), denied.getMessage());
        assertEquals(1, store.get(ModelRef.alias("fraud", "champion")).version(), "not moved by the requester");

        PromotionRequest done = promotions.approve(r.id(), BOB, "checked the report");
        assertEquals(PromotionRequest.Status.PROMOTED, done.status());
        assertEquals(2, store.get(ModelRef.alias("fraud", "champion")).version());
        AliasMove move = store.aliasHistory("fraud", "champion").get(1);
        assertEquals("bob", move.actor());
        assertEquals("promotion 1 requested by alice, approved by bob", move.reason());
        assertEquals("#1 promoted", store.get(challenger.ref()).tags().get("promotion.champion"));

        List<AuditRecord> records = records();
        assertEquals(List.of("promotion.request", "promotion.approve", "promotion.approve", "promotion.promote"),
                records.stream().map(x -> x.event().action()).toList());
        assertEquals(AuditEvent.Outcome.DENIED, records.get(1).event().outcome());
        assertEquals("alice", records.get(1).event().actor());
        assertEquals("true", records.get(0).event().details().get("gate.passed"));
        assertTrue(records.get(0).event().details().get("gate.criterion.1").startsWith("PASS auc@holdout"));
        assertEquals("v2", records.get(3).event().details().get("to"));
        assertTrue(log.verify().ok());

        assertEquals(champion.version(), store.rollback("fraud", "champion", ChangeNote.by("oncall")).to().getAsLong(),
                "one call restores the previous champion");
    }

    @Test
    void aWorseChallenger_orOneWithoutLineage_isRejectedByTheGate_andTheAliasStays() {
        ModelVersion champion = champion();
        Promotions promotions = Promotions.builder(store, log, GATE).approvals(0).clock(clock).build();
        for (ModelVersion bad : List.of(version(0.80, FULL), version(0.99, Lineage.unknown()))) {
            PromotionRequest r = promotions.request(ALICE, Candidate.of(bad).against(champion), "champion", "try");
            assertEquals(PromotionRequest.Status.REJECTED, r.status(), r.gate().toString());
            assertEquals(1, store.get(ModelRef.alias("fraud", "champion")).version());
            assertThrows(IllegalStateException.class, () -> promotions.approve(r.id(), BOB, "too late"));
        }
        List<AuditRecord> records = records();
        assertEquals(2, records.size());
        assertTrue(records.stream().allMatch(x -> x.event().outcome() == AuditEvent.Outcome.DENIED
                && x.event().details().get("gate.passed").equals("false")));
    }

    @Test
    void twoApprovalsRequired_theAliasMovesOnTheSecond_andAPrincipalCountsOnce() {
        ModelVersion champion = champion();
        ModelVersion challenger = version(0.95, FULL);
        Promotions promotions = Promotions.builder(store, log, GATE).approvals(2).clock(clock).build();
        PromotionRequest r = promotions.request(ALICE, Candidate.of(challenger).against(champion), "champion", "better");
        assertEquals(PromotionRequest.Status.PENDING, promotions.approve(r.id(), BOB, "ok").status());
        assertThrows(AccessDeniedException.class, () -> promotions.approve(r.id(), BOB, "ok again"));
        assertEquals(1, store.get(ModelRef.alias("fraud", "champion")).version());
        PromotionRequest done = promotions.approve(r.id(), CAROL, "ok");
        assertEquals(PromotionRequest.Status.PROMOTED, done.status());
        assertEquals(List.of("bob", "carol"), done.approvals().stream().map(PromotionRequest.Approval::by).toList());
        assertEquals(2, store.get(ModelRef.alias("fraud", "champion")).version());
    }

    @Test
    void listeners_hearEveryStep_afterItIsRecorded_andAFailingOneChangesNothing() {
        ModelVersion champion = champion();
        ModelVersion challenger = version(0.95, FULL);
        List<String> heard = new java.util.ArrayList<>();
        Promotions promotions = Promotions.builder(store, log, GATE).approvals(2).clock(clock)
                .listener(r -> heard.add(r.status() + " " + r.approvals().size() + " " + log.size()))
                .listener(r -> {
                    throw new IllegalStateException("a broken listener");
                })
                .build();
        PromotionRequest r = promotions.request(ALICE, Candidate.of(challenger).against(champion), "champion", "better");
        promotions.approve(r.id(), BOB, "ok");
        promotions.approve(r.id(), CAROL, "ok");
        PromotionRequest bad = promotions.request(ALICE, Candidate.of(version(0.5, FULL)).against(challenger), "champion",
                "worse");
        assertEquals(PromotionRequest.Status.REJECTED, bad.status());
        assertEquals(List.of("PENDING 0 1", "PENDING 1 2", "PENDING 2 3", "PROMOTED 2 4", "REJECTED 0 5"), heard,
                "each step is heard once, after its audit record");
        assertEquals(challenger.version(), store.get(ModelRef.alias("fraud", "champion")).version());
    }

    @Test
    void theFinalCompareAndSet_failsWhenTheChampionMovedMeanwhile() {
        ModelVersion champion = champion();
        ModelVersion challenger = version(0.95, FULL);
        ModelVersion other = version(0.96, FULL);
        Promotions promotions = Promotions.builder(store, log, GATE).clock(clock).build();
        PromotionRequest r = promotions.request(ALICE, Candidate.of(challenger).against(champion), "champion", "better");
        store.setAlias("fraud", "champion", other.version(), AliasExpect.current(1));
        assertThrows(ConcurrentUpdateException.class, () -> promotions.approve(r.id(), BOB, "ok"));
        assertEquals(3, store.get(ModelRef.alias("fraud", "champion")).version(), "the other move stands");
        assertEquals(AuditEvent.Outcome.FAILED, records().get(records().size() - 1).event().outcome());
        assertThrows(ConflictException.class, () -> promotions.request(ALICE,
                Candidate.of(challenger).against(champion), "champion", "stale"), "a stale champion is refused up front");
    }

    @Test
    void aRejectedRequest_cannotBeApproved() {
        ModelVersion champion = champion();
        Promotions promotions = Promotions.builder(store, log, GATE).clock(clock).build();
        PromotionRequest r = promotions.request(ALICE, Candidate.of(version(0.95, FULL)).against(champion), "champion",
                "better");
        assertEquals(PromotionRequest.Status.REJECTED, promotions.reject(r.id(), CAROL, "not this week").status());
        assertThrows(IllegalStateException.class, () -> promotions.approve(r.id(), BOB, "ok"));
        assertEquals("#1 rejected", store.get(r.challenger()).tags().get("promotion.champion"));
    }
}
