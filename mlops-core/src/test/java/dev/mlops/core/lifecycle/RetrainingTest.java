package dev.mlops.core.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.monitor.Alert;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetrainingTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private final InMemoryModelStore store = new InMemoryModelStore();
    private final AuditLog log = AuditLog.inMemory();
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Queue<Runnable> training = new ArrayDeque<>();

    private ModelVersion champion() {
        ModelVersion v = store.register(NewVersion.builder("fraud").artifact(new byte[] {1}).build());
        store.setAlias("fraud", "champion", v.version(), AliasExpect.absent());
        return v;
    }

    private List<String> actions() {
        return log.read(0, 1000).stream().map(r -> r.event().action()).toList();
    }

    private Retraining retraining(List<ModelVersion> challengers, Retraining.Retrainer retrainer) {
        return Retraining.builder(store, log, "fraud", retrainer, training::add).clock(now::get)
                .cooldown(Duration.ofHours(6)).then(challengers::add).build();
    }

    @Test
    void anAlert_retrainsOffTheAlertingThread_registersWithLineageAndEvidence_andPointsTheChallenger() {
        ModelVersion champion = champion();
        List<ModelVersion> challengers = new ArrayList<>();
        Retraining r = retraining(challengers, (model, current, trigger) -> {
            assertEquals(champion, current.orElseThrow());
            return NewVersion.builder(model).artifact(new byte[] {2}).metric("auc@holdout", 0.93).build();
        });
        Alert alert = new Alert(AlertRule.when(Metric.MEAN_ABSOLUTE_ERROR).above(0.2).forWindows(3), 0.31,
                T0.minusSeconds(120), T0.minusSeconds(60), 3, T0);
        r.onAlerts().onAlert(alert);
        assertTrue(r.running());
        assertTrue(challengers.isEmpty(), "nothing ran on the alerting thread");
        training.poll().run();
        assertFalse(r.running());
        ModelVersion v = challengers.get(0);
        assertEquals(2, v.version());
        assertEquals(List.of(champion.ref()), v.lineage().parents());
        assertEquals("MEAN_ABSOLUTE_ERROR above 0.2 for 3 windows", v.tags().get("retrain.trigger"));
        assertEquals("0.31", v.tags().get("retrain.evidence.value"));
        assertEquals(2, store.get(ModelRef.alias("fraud", "challenger")).version());
        assertEquals(1, store.get(ModelRef.alias("fraud", "champion")).version(), "the champion does not move");
        assertEquals(List.of("retrain.start", "retrain.register", "retrain.challenger"), actions());
        assertEquals("0.31", log.read(0, 1).get(0).event().details().get("evidence.value"));
    }

    @Test
    void oneAtATime_andACooldown_eachSkipAudited() {
        champion();
        List<ModelVersion> challengers = new ArrayList<>();
        Retraining r = retraining(challengers, (model, current, trigger) ->
                NewVersion.builder(model).artifact(trigger.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .build());
        Retraining.Trigger drift = new Retraining.Trigger("drift in amount", Map.of("psi", "0.4"), T0);
        assertTrue(r.fire(drift));
        assertFalse(r.fire(drift), "one is running");
        training.poll().run();
        now.set(T0.plus(Duration.ofHours(5)));
        assertFalse(r.fire(drift), "within the cooldown");
        now.set(T0.plus(Duration.ofHours(6)));
        assertTrue(r.fire(new Retraining.Trigger("accuracy drop", Map.of(), now.get())));
        training.poll().run();
        assertEquals(2, challengers.size());
        assertEquals(List.of("retrain.start", "retrain.skip", "retrain.register", "retrain.challenger", "retrain.skip",
                "retrain.start", "retrain.register", "retrain.challenger"), actions());
        assertTrue(log.read(1, 1).get(0).event().details().get("reason").contains("running"));
        assertTrue(log.read(4, 1).get(0).event().details().get("reason").contains("cooldown"));
    }

    @Test
    void aFailedTraining_registersNothing_isAudited_andFreesTheSlot() {
        champion();
        List<ModelVersion> challengers = new ArrayList<>();
        Retraining r = retraining(challengers, (model, current, trigger) -> {
            throw new IllegalStateException("out of GPU memory");
        });
        assertTrue(r.fire(new Retraining.Trigger("drift", Map.of(), T0)));
        training.poll().run();
        assertFalse(r.running());
        assertTrue(challengers.isEmpty());
        AuditRecord last = log.read(1, 1).get(0);
        assertEquals("retrain.fail", last.event().action());
        assertEquals(AuditEvent.Outcome.FAILED, last.event().outcome());
        assertTrue(last.event().details().get("error").contains("out of GPU memory"));
        assertEquals(1, store.versions("fraud", dev.mlops.core.registry.PageRequest.first(10)).items().size());
    }
}
