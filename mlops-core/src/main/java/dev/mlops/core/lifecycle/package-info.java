/**
 * Promotion: a {@link dev.mlops.core.lifecycle.PromotionGate} of declarative criteria judges a challenger
 * against the champion and reports each criterion's value and verdict.
 *
 * <pre>{@code
 * PromotionGate gate = PromotionGate.builder().metricAtLeastChampion("auc", "holdout-nov", 0.005)
 *         .signaturesCompatible().lineageComplete().build();
 * GateReport report = gate.evaluate(Candidate.of(challenger).against(champion), clock.instant());
 * if (!report.passed()) log.warn("{}", report);
 * }</pre>
 */
package dev.mlops.core.lifecycle;
