package dev.mlops.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.Sha256;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Signature;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGateTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final Signature SIGNATURE = Signature.of(Field.float64("amount"), Field.category("country").orNull())
            .returns(Field.float64("score"));
    private static final Lineage FULL = Lineage.builder().codeRevision("3f2a9c1", false)
            .data(URI.create("s3://b/nov.parquet"), Sha256.ofUtf8("rows"), 100).build();

    private final InMemoryModelStore store = new InMemoryModelStore();

    private ModelVersion version(double auc, double logLoss, Signature signature, Lineage lineage) {
        return store.register(NewVersion.builder("fraud").artifact(new byte[] {1})
                .metric("auc@holdout-nov", auc).metric("logloss@holdout-nov", logLoss)
                .signature(signature).lineage(lineage).build());
    }

    private static PromotionGate fullGate() {
        return PromotionGate.builder()
                .metricAtLeastChampion("auc", "holdout-nov", 0.005)
                .metricAtMostChampion("logloss", "holdout-nov", 0.0)
                .signaturesCompatible()
                .lineageComplete()
                .build();
    }

    @Test
    void aBetterCompatibleChallengerWithLineage_passes_andTheReportNamesEveryCriterion() {
        ModelVersion champion = version(0.90, 0.30, SIGNATURE, FULL);
        ModelVersion challenger = version(0.91, 0.28, SIGNATURE.returns(Field.float64("score")), FULL);
        GateReport r = fullGate().evaluate(Candidate.of(challenger).against(champion), T);
        assertTrue(r.passed(), r.toString());
        assertEquals(4, r.criteria().size());
        assertEquals("auc@holdout-nov >= champion + 0.005", r.criteria().get(0).criterion());
        assertEquals("0.91", r.criteria().get(0).value());
        assertEquals(">= " + (0.90 + 0.005), r.criteria().get(0).required());
        assertEquals("true", r.auditDetails().get("passed"));
        assertEquals("fraud:2", r.auditDetails().get("challenger"));
        assertTrue(r.auditDetails().get("criterion.4").startsWith("PASS lineage complete"));
    }

    @Test
    void aWorseChallenger_isRejected_byTheMetricItLoses() {
        ModelVersion champion = version(0.90, 0.30, SIGNATURE, FULL);
        ModelVersion worse = version(0.903, 0.31, SIGNATURE, FULL);
        GateReport r = fullGate().evaluate(Candidate.of(worse).against(champion), T);
        assertFalse(r.passed());
        assertEquals(List.of(Verdict.FAIL, Verdict.FAIL, Verdict.PASS, Verdict.PASS),
                r.criteria().stream().map(CriterionResult::verdict).toList(), r.toString());
        assertTrue(r.toString().startsWith("REJECTED fraud:2 against fraud:1"), r.toString());
    }

    @Test
    void aChallengerWithoutLineage_isRejected_namingWhatIsMissing() {
        ModelVersion champion = version(0.90, 0.30, SIGNATURE, FULL);
        ModelVersion orphan = version(0.95, 0.20, SIGNATURE, Lineage.builder().codeRevision("abc", true).build());
        GateReport r = fullGate().evaluate(Candidate.of(orphan).against(champion), T);
        assertEquals(1, r.failures().size(), r.toString());
        CriterionResult lineage = r.failures().get(0);
        assertEquals(Verdict.FAIL, lineage.verdict());
        assertTrue(lineage.detail().contains("dirty tree") && lineage.detail().contains("no training data"),
                lineage.detail());
        ModelVersion unknown = version(0.95, 0.20, SIGNATURE, Lineage.unknown());
        assertTrue(fullGate().evaluate(Candidate.of(unknown).against(champion), T).failures().get(0).detail()
                .contains("no code revision"));
    }

    @Test
    void missingMetrics_areMissingEvidence_notPasses() {
        ModelVersion champion = store.register(NewVersion.builder("fraud").artifact(new byte[] {1}).build());
        ModelVersion challenger = version(0.95, 0.2, SIGNATURE, FULL);
        GateReport r = fullGate().evaluate(Candidate.of(challenger).against(champion), T);
        assertEquals(Verdict.MISSING, r.criteria().get(0).verdict());
        assertTrue(r.criteria().get(0).detail().contains("the champion fraud:1 has no metric auc@holdout-nov"));
        assertFalse(r.passed());
        GateReport reevaluated = fullGate().evaluate(Candidate.of(challenger).against(champion)
                .withChampionMetric("auc", "holdout-nov", 0.90).withChampionMetric("logloss", "holdout-nov", 0.3), T);
        assertTrue(reevaluated.passed(), reevaluated.toString());
        assertTrue(reevaluated.criteria().get(0).detail().contains("re-evaluated"));
        GateReport first = fullGate().evaluate(Candidate.of(challenger), T);
        assertTrue(first.passed(), "with no champion there is nothing to beat: " + first);
    }

    @Test
    void signatures_mustKeepEveryInputAndOutput() {
        ModelVersion champion = version(0.9, 0.3, SIGNATURE, FULL);
        PromotionGate gate = PromotionGate.builder().signaturesCompatible().build();
        Map<Signature, String> broken = Map.of(
                Signature.of(Field.float64("amount")).returns(Field.float64("score")), "input country is gone",
                Signature.of(Field.float32("amount"), Field.category("country").orNull()).returns(Field.float64("score")),
                "input amount is FLOAT32",
                Signature.of(Field.float64("amount"), Field.category("country")).returns(Field.float64("score")),
                "input country no longer accepts null",
                Signature.of(Field.float64("amount"), Field.category("country").orNull(), Field.int64("age"))
                        .returns(Field.float64("score")), "new input age is required",
                Signature.of(Field.float64("amount"), Field.category("country").orNull()).returns(Field.float64("p")),
                "output score is gone",
                Signature.of(Field.float64("amount"), Field.category("country").orNull())
                        .returns(Field.float64("score").orNull()), "output score may now be null",
                Signature.none(), "declares no signature");
        broken.forEach((sig, problem) -> {
            GateReport r = gate.evaluate(Candidate.of(version(0.95, 0.2, sig, FULL)).against(champion), T);
            assertFalse(r.passed(), problem);
            assertTrue(r.criteria().get(0).detail().contains(problem), problem + " in " + r.criteria().get(0));
        });
        ModelVersion widened = version(0.95, 0.2, Signature.of(Field.float64("amount"),
                Field.category("country").orNull(), Field.int64("age").orNull()).returns(Field.float64("score"),
                Field.float64("reason")), FULL);
        assertTrue(gate.evaluate(Candidate.of(widened).against(champion), T).passed(), "optional input, extra output");
    }

    @Test
    void shadowAndTrainingDrift_needTheirEvidence_andBounds() {
        ModelVersion champion = version(0.9, 0.3, SIGNATURE, FULL);
        ModelVersion challenger = version(0.95, 0.2, SIGNATURE, FULL);
        PromotionGate gate = PromotionGate.builder().shadow(Duration.ofHours(24), 1000, 0.95).trainingDriftAtMost(0.25)
                .build();
        GateReport none = gate.evaluate(Candidate.of(challenger).against(champion), T);
        assertEquals(List.of(Verdict.MISSING, Verdict.MISSING),
                none.criteria().stream().map(CriterionResult::verdict).toList());
        DatasetDriftResult calm = new DatasetDriftResult(List.of(), Correction.NONE, 0.5);
        Candidate good = Candidate.of(challenger).against(champion)
                .withShadow(new ShadowSummary(Duration.ofHours(25), 5000, 4900)).withTrainingDrift(calm);
        assertTrue(gate.evaluate(good, T).passed(), gate.evaluate(good, T).toString());
        Candidate tooShort = good.withShadow(new ShadowSummary(Duration.ofHours(2), 500, 400));
        CriterionResult s = gate.evaluate(tooShort, T).criteria().get(0);
        assertEquals(Verdict.FAIL, s.verdict());
        assertTrue(s.detail().contains("observed PT2H < PT24H") && s.detail().contains("500 requests < 1000")
                && s.detail().contains("agreement 0.8 < 0.95"), s.detail());
        assertThrows(IllegalArgumentException.class, () -> PromotionGate.builder().trainingDriftAtMost(1.5));
        assertThrows(IllegalArgumentException.class,
                () -> PromotionGate.builder().metricAtLeastChampion("auc", "h", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new ShadowSummary(Duration.ZERO, 1, 2));
    }
}
