package dev.mlops.core.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.NewVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShadowTest {
    /** A model that answers {@code weight * x + bias}; its artifact is "weight bias". */
    record Linear(double weight, double bias) {
        double score(double x) {
            if (Double.isNaN(x)) {
                throw new IllegalArgumentException("x is NaN");
            }
            return weight * x + bias;
        }
    }

    private final InMemoryModelStore store = new InMemoryModelStore();

    private LiveModel<Linear> live(String alias, String artifact) {
        long v = store.register(NewVersion.builder("m").artifact(artifact.getBytes(StandardCharsets.UTF_8)).build())
                .version();
        store.setAlias("m", alias, v, AliasExpect.absent());
        return LiveModel.follow(store, "m", alias, (version, bytes) -> {
            String[] parts = new String(bytes.readAllBytes(), StandardCharsets.UTF_8).split(" ");
            return new Linear(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        });
    }

    @Test
    void binary_returnsTheChampionsAnswer_countsAgreement_andThePairedAccuracyDelta() {
        LiveModel<Linear> champion = live("champion", "1 0");     // score = x
        LiveModel<Linear> challenger = live("challenger", "-1 1"); // score = 1 - x
        AtomicLong clock = new AtomicLong();
        Shadow<Linear, Double> shadow = Shadow.builder(champion, challenger, Linear::score, Runnable::run)
                .sample(1.0).binary(0.5).clock(() -> Instant.EPOCH.plusSeconds(clock.get())).build();
        double[] xs = {0.9, 0.8, 0.2, 0.1, 0.6};
        double[] truth = {0, 0, 1, 1, 1};
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i], shadow.serve(i, xs[i]), 1e-12, "the champion answers");
        }
        clock.set(3600);
        for (int i = 0; i < xs.length; i++) {
            assertTrue(shadow.recordOutcome(i, truth[i]));
            assertFalse(shadow.recordOutcome(i, truth[i]), "a second outcome is not counted again");
        }
        ShadowReport r = shadow.report();
        assertEquals(5, r.shadowed());
        assertEquals(0, r.agreements(), "they never agree: 1 - x and x sit on opposite sides of 0.5 here");
        // champion right on request 4 only; challenger right on 0..3: differences +1 +1 +1 +1 -1
        double mean = 3.0 / 5;
        double var = (4 * Math.pow(1 - mean, 2) + Math.pow(-1 - mean, 2)) / 4;
        double half = 1.959963984540054 * Math.sqrt(var / 5);
        assertEquals(mean, r.delta(), 1e-12);
        assertEquals(mean - half, r.deltaLow(), 1e-12);
        assertEquals(mean + half, r.deltaHigh(), 1e-12);
        assertEquals(Duration.ofHours(1), r.observed());
        assertEquals("accuracy", r.metric());
        assertEquals(0.0, shadow.summary().agreements());
    }

    @Test
    void regression_deltaIsInMeanAbsoluteError_andAgreementUsesTheTolerance() {
        LiveModel<Linear> champion = live("champion", "2 0");
        LiveModel<Linear> challenger = live("challenger", "2 0.05");
        Shadow<Linear, Double> shadow = Shadow.builder(champion, challenger, Linear::score, Runnable::run)
                .sample(1.0).regression(0.1).build();
        for (int i = 0; i < 4; i++) {
            shadow.serve(i, (double) i);
            shadow.recordOutcome(i, 2.0 * i + 0.05);
        }
        ShadowReport r = shadow.report();
        assertEquals(4, r.agreements());
        assertEquals(-0.05, r.delta(), 1e-12, "the challenger's error is 0, the champion's 0.05");
        assertEquals(0.0, r.deltaHigh() - r.deltaLow(), 1e-12, "every difference is the same");
    }

    @Test
    void sampling_dependsOnlyOnTheRequestId_andHitsTheShare() {
        LiveModel<Linear> champion = live("champion", "1 0");
        LiveModel<Linear> challenger = live("challenger", "1 0");
        Shadow<Linear, Double> a = Shadow.builder(champion, challenger, Linear::score, Runnable::run).sample(0.1).build();
        Shadow<Linear, Double> b = Shadow.builder(champion, challenger, Linear::score, Runnable::run).sample(0.1).build();
        int hits = 0;
        for (long id = 0; id < 100_000; id++) {
            assertEquals(a.sampled(id), b.sampled(id));
            hits += a.sampled(id) ? 1 : 0;
        }
        assertEquals(10_000, hits, 400);
        Shadow<Linear, Double> none = Shadow.builder(champion, challenger, Linear::score, Runnable::run).sample(0).build();
        Shadow<Linear, Double> all = Shadow.builder(champion, challenger, Linear::score, Runnable::run).sample(1).build();
        for (long id = -1000; id < 1000; id++) {
            assertFalse(none.sampled(id));
            assertTrue(all.sampled(id));
        }
    }

    @Test
    void theChallengerRunsOffThePath_itsFailuresAreCounted_andARefusingExecutorSkipsTheShadow() {
        LiveModel<Linear> champion = live("champion", "1 0");
        LiveModel<Linear> challenger = live("challenger", "1 0");
        Queue<Runnable> queued = new ArrayDeque<>();
        Shadow<Linear, Double> shadow = Shadow.builder(champion, challenger, Linear::score, queued::add).sample(1.0).build();
        assertEquals(0.3, shadow.serve(1, 0.3), 1e-12);
        assertEquals(0, shadow.report().shadowed(), "not yet: the executor has not run it");
        queued.poll().run();
        assertEquals(1, shadow.report().shadowed());
        assertEquals(1, shadow.report().agreements());
        Shadow<Linear, Double> refused = Shadow.builder(champion, challenger, Linear::score, task -> {
            throw new RejectedExecutionException("full");
        }).sample(1.0).build();
        assertEquals(0.5, refused.serve(3, 0.5), 1e-12, "served anyway");
        assertEquals(0, refused.report().shadowed());
        Shadow<Linear, Double> challengerFails = Shadow.builder(champion, challenger,
                (Linear m, Double x) -> m == challenger.apply(c -> c) ? m.score(Double.NaN) : m.score(x),
                Runnable::run)
                .sample(1.0).build();
        assertEquals(0.25, challengerFails.serve(4, 0.25), 1e-12, "the champion's answer, though the challenger threw");
        assertEquals(1, challengerFails.report().challengerFailures());
        assertEquals(0, challengerFails.report().shadowed());
    }
}
