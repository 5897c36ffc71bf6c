package dev.mlops.core.lifecycle;

import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.registry.ModelVersion;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link PromotionGate} judges: the challenger, the champion it would replace, and the evidence
 * gathered about the challenger. Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * Candidate c = Candidate.of(challenger).against(champion)
 *         .withShadow(shadow.summary())
 *         .withTrainingDrift(DatasetDrift.against(servingReference).detect(challengerTrainingData));
 * }</pre>
 *
 * @param challenger the version proposed
 * @param champion the version serving now, if any
 * @param shadow what shadow traffic showed, if the challenger had any
 * @param trainingDrift the challenger's training data tested against the serving reference, if done
 * @param championMetrics the champion re-evaluated on the challenger's hold-outs ({@code metric@holdout} to
 *     value): a metric criterion reads the champion's value here first, then from its registered metrics,
 *     so that both are compared on the same fresh hold-out
 */
public record Candidate(ModelVersion challenger, Optional<ModelVersion> champion, Optional<ShadowSummary> shadow,
        Optional<DatasetDriftResult> trainingDrift, Map<String, Double> championMetrics) {
    /**
     * Checks the parts: the champion, when there is one, is another version of the same model.
     *
     * @param challenger the version proposed
     * @param champion the version serving now, if any
     * @param shadow what shadow traffic showed, if the challenger had any
     * @param trainingDrift the challenger's training data tested against the serving reference, if done
     * @param championMetrics the champion re-evaluated on the challenger's hold-outs ({@code metric@holdout} to
     *     value): a metric criterion reads the champion's value here first, then from its registered metrics, so that
     *     both are compared on the same fresh hold-out
     */
    public Candidate {
        Objects.requireNonNull(challenger, "challenger");
        Objects.requireNonNull(champion, "champion");
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(trainingDrift, "trainingDrift");
        championMetrics = Map.copyOf(championMetrics);
        championMetrics.forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("champion metric " + k + " must be finite, was " + v);
            }
        });
        champion.ifPresent(c -> {
            if (!c.model().equals(challenger.model())) {
                throw new IllegalArgumentException("the champion " + c.ref() + " and the challenger " + challenger.ref()
                        + " must be versions of one model");
            }
        });
    }

    /**
     * @param challenger the version proposed
     * @return a candidate with no champion and no evidence yet
     */
    public static Candidate of(ModelVersion challenger) {
        return new Candidate(challenger, Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * @param current the champion it would replace
     * @return a copy naming the champion
     */
    public Candidate against(ModelVersion current) {
        return new Candidate(challenger, Optional.of(current), shadow, trainingDrift, championMetrics);
    }

    /**
     * @param summary what shadow traffic showed
     * @return a copy with it
     */
    public Candidate withShadow(ShadowSummary summary) {
        return new Candidate(challenger, champion, Optional.of(summary), trainingDrift, championMetrics);
    }

    /**
     * @param result the challenger's training data against the serving reference
     * @return a copy with it
     */
    public Candidate withTrainingDrift(DatasetDriftResult result) {
        return new Candidate(challenger, champion, shadow, Optional.of(result), championMetrics);
    }

    /**
     * @param metric a metric's name, such as {@code accuracy}
     * @param holdout the hold-out the champion was re-evaluated on
     * @param value the champion's value there
     * @return a copy with the champion's value of {@code metric@holdout}
     */
    public Candidate withChampionMetric(String metric, String holdout, double value) {
        Map<String, Double> m = new java.util.TreeMap<>(championMetrics);
        m.put(PromotionGate.holdoutMetric(metric, holdout), value);
        return new Candidate(challenger, champion, shadow, trainingDrift, m);
    }
}
