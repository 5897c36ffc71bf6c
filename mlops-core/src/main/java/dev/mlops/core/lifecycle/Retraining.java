package dev.mlops.core.lifecycle;

import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.monitor.AlertListener;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining on a trigger: when the monitor says the model degraded (an alert on drift, accuracy, data
 * quality), the application's {@link Retrainer} trains a new version; it is registered with lineage
 * naming the champion it replaces and tags naming the trigger and its evidence, the challenger alias is
 * pointed at it, and the application's next step (shadow traffic, then the gate) is called. At most one
 * retraining per model runs at a time, none starts within the cooldown of the last start, and every step
 * is an audit record. The retrainer runs on the executor given, never on the thread that raised the
 * trigger.
 *
 * <pre>{@code
 * Retraining retraining = Retraining.builder(store, auditLog, "fraud", (model, champion, trigger) ->
 *                 NewVersion.builder(model).artifact(train(freshData())).metric("auc@holdout", auc).build(),
 *                 trainingPool)
 *         .cooldown(Duration.ofHours(6))
 *         .then(challenger -> shadowAndGate(challenger))
 *         .build();
 * monitor.addAlert(AlertRule.when(Metric.MEAN_ABSOLUTE_ERROR).above(0.2).forWindows(3), retraining.onAlerts());
 * }</pre>
 */
public final class Retraining {
    private static final Logger LOG = LoggerFactory.getLogger(Retraining.class);

    /**
     * Why a retraining was asked for.
     *
     * @param reason one line, such as {@code mean absolute error above 0.2 for 3 windows}
     * @param evidence the figures behind it, such as the window and the value; recorded as tags and in the audit log
     * @param at when it fired
     */
    public record Trigger(String reason, Map<String, String> evidence, Instant at) {
        /**
         * Checks and copies the parts.
         *
         * @param reason one line, such as {@code mean absolute error above 0.2 for 3 windows}
         * @param evidence the figures behind it, such as the window and the value; recorded as tags and in the audit
         *     log
         * @param at when it fired
         */
        public Trigger {
            Objects.requireNonNull(reason, "reason");
            evidence = Map.copyOf(evidence);
            Objects.requireNonNull(at, "at");
        }
    }

    /** Trains a new version of a model; the application's code. */
    @FunctionalInterface
    public interface Retrainer {
        /**
         * @param model the model to retrain
         * @param champion the version serving now, if any
         * @param trigger why
         * @return the new version to register (of {@code model}); its lineage gains the champion as a
         *     parent and its tags the trigger
         * @throws Exception when training failed; nothing is registered
         */
        NewVersion retrain(String model, Optional<ModelVersion> champion, Trigger trigger) throws Exception;
    }

    private final ModelStore store;
    private final AuditLog audit;
    private final String model;
    private final Retrainer retrainer;
    private final Executor executor;
    private final String championAlias;
    private final String challengerAlias;
    private final Duration cooldown;
    private final InstantSource clock;
    private final Consumer<ModelVersion> then;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Object starts = new Object();
    private Instant lastStart;

    private Retraining(Builder b) {
        this.store = b.store;
        this.audit = b.audit;
        this.model = b.model;
        this.retrainer = b.retrainer;
        this.executor = b.executor;
        this.championAlias = b.championAlias;
        this.challengerAlias = b.challengerAlias;
        this.cooldown = b.cooldown;
        this.clock = b.clock;
        this.then = b.then;
    }

    /**
     * @param store where the new version is registered
     * @param audit where every step is recorded
     * @param model the model to retrain
     * @param retrainer the application's training
     * @param executor where training runs
     * @return a builder: aliases {@code champion} and {@code challenger}, 6 hour cooldown, system clock
     */
    public static Builder builder(ModelStore store, AuditLog audit, String model, Retrainer retrainer, Executor executor) {
        return new Builder(store, audit, model, retrainer, executor);
    }

    /** Builds a {@link Retraining}. Not thread-safe. */
    public static final class Builder {
        private final ModelStore store;
        private final AuditLog audit;
        private final String model;
        private final Retrainer retrainer;
        private final Executor executor;
        private String championAlias = "champion";
        private String challengerAlias = "challenger";
        private Duration cooldown = Duration.ofHours(6);
        private InstantSource clock = InstantSource.system();
        private Consumer<ModelVersion> then = v -> { };

        private Builder(ModelStore store, AuditLog audit, String model, Retrainer retrainer, Executor executor) {
            this.store = Objects.requireNonNull(store, "store");
            this.audit = Objects.requireNonNull(audit, "audit");
            this.model = Objects.requireNonNull(model, "model");
            this.retrainer = Objects.requireNonNull(retrainer, "retrainer");
            this.executor = Objects.requireNonNull(executor, "executor");
            ModelRef.latest(model);
        }

        /**
         * @param champion the alias whose target is retrained from (its parent in lineage)
         * @param challenger the alias pointed at each new version
         * @return this
         */
        public Builder aliases(String champion, String challenger) {
            ModelRef.alias(model, champion);
            ModelRef.alias(model, challenger);
            if (champion.equals(challenger)) {
                throw new IllegalArgumentException("the champion and challenger aliases must differ, both were " + champion);
            }
            this.championAlias = champion;
            this.challengerAlias = challenger;
            return this;
        }

        /**
         * @param pause the least time between two retraining starts
         * @return this
         */
        public Builder cooldown(Duration pause) {
            Objects.requireNonNull(pause, "cooldown");
            if (pause.isNegative()) {
                throw new IllegalArgumentException("cooldown must not be negative, was " + pause);
            }
            this.cooldown = pause;
            return this;
        }

        /**
         * @param source the clock for cooldowns
         * @return this
         */
        public Builder clock(InstantSource source) {
            this.clock = Objects.requireNonNull(source, "clock");
            return this;
        }

        /**
         * @param next called with each registered challenger, on the training thread: start its shadow
         *     traffic, evaluate the gate
         * @return this
         */
        public Builder then(Consumer<ModelVersion> next) {
            this.then = Objects.requireNonNull(next, "then");
            return this;
        }

        /** @return the retraining */
        public Retraining build() {
            return new Retraining(this);
        }
    }

    /** @return an alert listener that fires a retraining for each alert, with the alert as its evidence */
    public AlertListener onAlerts() {
        return alert -> {
            Map<String, String> evidence = new TreeMap<>();
            evidence.put("metric", alert.rule().signal().name());
            evidence.put("value", Double.toString(alert.value()));
            evidence.put("threshold", Double.toString(alert.rule().threshold()));
            evidence.put("windowStart", alert.windowStart().toString());
            evidence.put("windowEnd", alert.windowEnd().toString());
            evidence.put("consecutiveWindows", Integer.toString(alert.consecutiveWindows()));
            fire(new Trigger(alert.rule().describe(), evidence, alert.firedAt()));
        };
    }

    /** @return whether a retraining is running now */
    public boolean running() {
        return running.get();
    }

    /**
     * Starts a retraining unless one is running or the last one started within the cooldown; either way
     * the decision is recorded.
     *
     * @param trigger why
     * @return whether a retraining started
     */
    public boolean fire(Trigger trigger) {
        Objects.requireNonNull(trigger, "trigger");
        Instant now = clock.instant();
        synchronized (starts) {
            String refusal = null;
            if (running.get()) {
                refusal = "a retraining of " + model + " is running";
            } else if (lastStart != null && now.isBefore(lastStart.plus(cooldown))) {
                refusal = "within the cooldown of " + cooldown + " after the retraining started at " + lastStart;
            }
            if (refusal != null) {
                audit.append(event("retrain.skip", trigger).with("reason", refusal));
                LOG.info("retraining {} not started: {}", model, refusal);
                return false;
            }
            running.set(true);
            lastStart = now;
        }
        audit.append(event("retrain.start", trigger));
        try {
            executor.execute(() -> run(trigger));
        } catch (RejectedExecutionException e) {
            running.set(false);
            audit.append(event("retrain.fail", trigger).with("error", "the executor refused the task")
                    .withOutcome(AuditEvent.Outcome.FAILED));
            return false;
        }
        return true;
    }

    private void run(Trigger trigger) {
        try {
            Optional<ModelVersion> champion = store.find(ModelRef.alias(model, championAlias));
            NewVersion asked = retrainer.retrain(model, champion, trigger);
            if (!asked.model().equals(model)) {
                throw new IllegalArgumentException("the retrainer returned a version of " + asked.model() + ", not of "
                        + model);
            }
            ModelVersion v = store.register(withTrigger(asked, champion, trigger));
            audit.append(event("retrain.register", trigger).with("version", v.ref().toString())
                    .with("digest", v.digest().toString()));
            store.setAlias(model, challengerAlias, v.version(), AliasExpect.any(),
                    ChangeNote.by("retraining").because(trigger.reason()));
            audit.append(event("retrain.challenger", trigger).with("version", v.ref().toString())
                    .with("alias", challengerAlias));
            then.accept(v);
        } catch (Exception e) {
            LOG.warn("retraining {} failed", model, e);
            audit.append(event("retrain.fail", trigger).with("error", String.valueOf(e))
                    .withOutcome(AuditEvent.Outcome.FAILED));
        } finally {
            running.set(false);
        }
    }

    private static NewVersion withTrigger(NewVersion v, Optional<ModelVersion> champion, Trigger trigger) {
        Map<String, String> tags = new TreeMap<>(v.tags());
        tags.put("retrain.trigger", trigger.reason());
        tags.put("retrain.at", trigger.at().toString());
        trigger.evidence().forEach((k, value) -> tags.put("retrain.evidence." + k.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-"), value));
        Lineage l = v.lineage();
        List<ModelRef.ByVersion> parents = new ArrayList<>(l.parents());
        champion.ifPresent(c -> {
            if (!parents.contains(c.ref())) {
                parents.add(c.ref());
            }
        });
        Lineage lineage = new Lineage(l.codeRevision(), l.dirty(), l.data(), parents, l.runId(), l.environment());
        return new NewVersion(v.model(), v.artifact(), v.description(), tags, v.params(), v.metrics(), lineage,
                v.signature(), v.createdBy(), v.expectedDigest());
    }

    private AuditEvent event(String action, Trigger trigger) {
        AuditEvent e = AuditEvent.of("retraining", action, model).with("trigger", trigger.reason())
                .with("at", trigger.at().toString());
        for (Map.Entry<String, String> d : new TreeMap<>(trigger.evidence()).entrySet()) {
            e = e.with("evidence." + d.getKey(), d.getValue());
        }
        return e;
    }
}
