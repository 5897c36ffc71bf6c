package dev.mlops.examples;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.lifecycle.Candidate;
import dev.mlops.core.lifecycle.GateReport;
import dev.mlops.core.lifecycle.PromotionGate;
import dev.mlops.core.lifecycle.PromotionRequest;
import dev.mlops.core.lifecycle.Promotions;
import dev.mlops.core.lifecycle.Retraining;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.InMemoryMonitor;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.WindowSignal;
import dev.mlops.core.monitor.WindowSnapshot;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.security.Principal;
import dev.mlops.core.serving.LiveModel;
import dev.mlops.core.serving.Shadow;
import dev.mlops.drift.DatasetReference;
import dev.mlops.drift.MonitorDrift;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole loop of continuous improvement in one run, on a fake clock (seconds of wall time, no sleeps):
 * a fraud model serves traffic through a {@link LiveModel} and is watched by an {@link InMemoryMonitor}
 * whose labels arrive later and which tests each window's features against the training data's
 * {@link DatasetReference} ({@link MonitorDrift}); the data shifts (larger amounts, and fraud now starts at
 * smaller ones); the monitor raises a drift alert from its per-window drift test, and an accuracy alert; {@link Retraining} trains a challenger on recent
 * labeled data; {@link Shadow} traffic compares it with the champion on the same requests; the
 * {@link PromotionGate} passes it; the requester's own approval is refused and a second principal
 * approves; the alias moves and the service swaps without a failed request; then a deliberately bad
 * version is forced onto the alias, the accuracy alert fires again, and one {@code rollback} call
 * restores the good champion.
 *
 * <pre>
 * mvn -B -q -pl mlops-examples -am package -DskipTests exec:java -Dexec.mainClass=dev.mlops.examples.ContinuousImprovementLoop
 * </pre>
 */
public final class ContinuousImprovementLoop {
    static final String MODEL = "fraud";
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Requests per window: one every 300 ms of the fake clock. */
    static final int PER_WINDOW = 200;
    static final String HOLDOUT = "recent";
    static final String[] COUNTRIES = {"de", "fr", "us"};

    /** A fraud scorer: the probability that a transaction of this amount is fraud, rising around a cut. */
    record Scorer(double cut) {
        double score(double amount) {
            return 1 / (1 + Math.exp(-(amount - cut) / 40));
        }

        static Scorer read(byte[] artifact) {
            String text = new String(artifact, StandardCharsets.UTF_8);
            if (!text.startsWith("cut=")) {
                throw new IllegalArgumentException("not a scorer artifact: " + text);
            }
            return new Scorer(Double.parseDouble(text.substring(4)));
        }

        byte[] artifact() {
            return ("cut=" + cut).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A transaction and whether it was fraud (known later). */
    record Tx(long id, double amount, int country, boolean fraud) {
    }

    /** What the run did, for its test. */
    record Result(List<String> steps, long failedRequests, long champion, long served, boolean auditVerified) {
    }

    private final PrintStream out;
    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-12-01T09:00:00Z").toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    private final Random random = new Random(42);
    private final List<String> steps = new ArrayList<>();
    private final Queue<Runnable> background = new ArrayDeque<>();
    private final Queue<Tx> awaitingLabels = new ArrayDeque<>();
    private final List<Tx> recentLabeled = new ArrayList<>();
    private long nextId;
    private long failed;
    private long served;
    private boolean shifted;

    private ContinuousImprovementLoop(PrintStream out) {
        this.out = out;
    }

    /**
     * @param args none
     */
    public static void main(String[] args) {
        Result r = run(System.out);
        System.out.println("champion at the end: v" + r.champion() + ", " + r.served() + " requests served, "
                + r.failedRequests() + " failed, audit log verified: " + r.auditVerified());
    }

    static Result run(PrintStream out) {
        return new ContinuousImprovementLoop(out).loop();
    }

    private void step(String what) {
        steps.add(what);
        out.println("[" + clock.instant() + "] " + what);
    }

    private Result loop() {
        AuditLog audit = AuditLog.inMemory();
        ModelStore store = new AuditingModelStore(InMemoryModelStore.withClock(clock), audit);
        ModelVersion v1 = store.register(NewVersion.builder(MODEL).artifact(new Scorer(500).artifact())
                .metric(PromotionGate.holdoutMetric("accuracy", "launch"), 0.97).lineage(lineage("launch", 5000))
                .build());
        store.setAlias(MODEL, "champion", v1.version(), AliasExpect.absent());
        step("registered " + v1.ref() + " (fraud above 500) and made it champion");

        FeatureSchema schema = FeatureSchema.builder().numeric("amount", 0, 2000).categorical("country", COUNTRIES)
                .build();
        // Each closed window is tested against the training data: Kolmogorov-Smirnov for the amount, chi-square
        // for the country (Evidently's choice for a reference of 1,000 rows). A service would add
        // closeWindowsWith(scheduler) so that no serving thread runs the tests; this run has a fake clock.
        InMemoryMonitor monitor = Monitor.builder(schema).window(WINDOW).keepWindows(120).clock(clock)
                .binaryClassifier().pendingOutcomes(10_000, Duration.ofMinutes(10))
                .drift(MonitorDrift.against(trainingReference())).build();
        LiveModel<Scorer> live = LiveModel.builder(store, MODEL, "champion", (version, bytes) -> Scorer.read(
                bytes.readAllBytes())).clock(clock).build();

        Retraining retraining = Retraining.builder(store, audit, MODEL, (model, champion, trigger) -> {
            double cut = bestCut(recentLabeled);
            step("retraining on " + recentLabeled.size() + " recent labeled transactions: fraud above " + cut);
            return NewVersion.builder(model).artifact(new Scorer(cut).artifact())
                    .metric(PromotionGate.holdoutMetric("accuracy", HOLDOUT), accuracy(new Scorer(cut), recentLabeled))
                    .lineage(lineage("recent", recentLabeled.size())).build();
        }, background::add).clock(clock).cooldown(Duration.ofMinutes(30)).build();

        monitor.addAlert(AlertRule.when(WindowSignal.drifted("amount")).above(0.5).minSamples(100).forWindows(2)
                .cooldown(Duration.ofHours(1)), alert -> step("drift alert: " + alert.describe() + "; "
                        + driftOf(monitor, alert.windowStart())));
        monitor.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9).minSamples(50).forWindows(2).lagWindows(1)
                .cooldown(Duration.ofMinutes(10)), alert -> {
                    step("accuracy alert: " + alert.describe());
                    retraining.onAlerts().onAlert(alert);
                });

        serve(live, monitor, null, 5);
        shifted = true;
        step("the data shifts: larger amounts, and fraud now starts at 350");
        for (int w = 0; w < 8 && background.isEmpty(); w++) {
            serve(live, monitor, null, 1);
        }
        while (!background.isEmpty()) {
            background.poll().run();
        }
        ModelVersion challenger = store.get(ModelRef.alias(MODEL, "challenger"));
        step("challenger " + challenger.ref() + " registered with lineage " + challenger.lineage().parents()
                + " and trigger \"" + challenger.tags().get("retrain.trigger") + "\"");

        try (LiveModel<Scorer> shadowed = LiveModel.builder(store, MODEL, "challenger", (version, bytes) -> Scorer.read(
                bytes.readAllBytes())).clock(clock).build()) {
            Shadow<Scorer, Tx> shadow = Shadow.<Scorer, Tx>builder(live, shadowed, (m, tx) -> m.score(tx.amount()), Runnable::run)
                    .sample(0.5).binary(0.5).clock(clock).build();
            serve(live, monitor, shadow, 6);
            step(shadow.report().toString());

            ModelVersion champion = store.get(ModelRef.alias(MODEL, "champion"));
            PromotionGate gate = PromotionGate.builder().metricAtLeastChampion("accuracy", HOLDOUT, 0.02)
                    .lineageComplete().shadow(Duration.ofMinutes(5), 300, 0.5).build();
            Candidate candidate = Candidate.of(challenger).against(champion).withShadow(shadow.summary())
                    .withChampionMetric("accuracy", HOLDOUT, accuracy(live.apply(m -> m), recentLabeled));
            Promotions promotions = Promotions.builder(store, audit, gate).clock(clock).build();
            Principal alice = Principal.of("alice", "ml-engineer");
            Principal bob = Principal.of("bob", "risk-reviewer");
            PromotionRequest asked = promotions.request(alice, candidate, "champion", "retrained after the shift");
            GateReport report = asked.gate();
            step("gate: " + report.toString().replace("\n", "\n      "));
            try {
                promotions.approve(asked.id(), alice, "LGTM");
            } catch (dev.mlops.core.AccessDeniedException e) {
                step("alice's own approval refused: " + e.getMessage());
            }
            PromotionRequest done = promotions.approve(asked.id(), bob, "read the gate report");
            step("bob approved; " + done.status() + ": champion moved from v" + done.champion().getAsLong() + " to v"
                + done.challenger().version() + "; serving " + live.version().ref());
        }
        serve(live, monitor, null, 4);

        ModelVersion bad = store.register(NewVersion.builder(MODEL).artifact(new Scorer(5000).artifact())
                .lineage(lineage("typo", 0)).build());
        store.setAlias(MODEL, "champion", bad.version(), AliasExpect.any(),
                ChangeNote.by("mallory").because("hotfix, skipping the gate"));
        step("a bad version " + bad.ref() + " (fraud above 5000) forced onto champion; serving " + live.version().ref());
        int before = steps.size();
        for (int w = 0; w < 6 && steps.subList(before, steps.size()).stream().noneMatch(s -> s.startsWith("accuracy")); w++) {
            serve(live, monitor, null, 1);
        }
        ModelVersion restored = live.rollback(ChangeNote.by("oncall").because("accuracy collapsed after " + bad.ref()));
        step("rolled back in one call: serving " + restored.ref() + ", champion points at v"
                + store.get(ModelRef.alias(MODEL, "champion")).version());
        serve(live, monitor, null, 2);
        background.clear();
        live.close();
        monitor.close();
        boolean verified = audit.verify().ok();
        step("audit log: " + audit.size() + " records, verified " + verified);
        return new Result(List.copyOf(steps), failed, store.get(ModelRef.alias(MODEL, "champion")).version(), served,
                verified);
    }

    /** The training data's amounts and countries, drawn once from the launch distribution, as the reference. */
    private static DatasetReference trainingReference() {
        Random training = new Random(7);
        double[] amounts = new double[1_000];
        String[] countries = new String[amounts.length];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = Math.max(1, 300 + 150 * training.nextGaussian());
            countries[i] = COUNTRIES[training.nextInt(COUNTRIES.length)];
        }
        return DatasetReference.of(Dataset.builder().numeric("amount", amounts).categorical("country", countries)
                .build());
    }

    /** The drift result of the window an alert was read from: the monitor's own per-window test. */
    private static String driftOf(InMemoryMonitor monitor, Instant windowStart) {
        return monitor.snapshot().closed().stream().filter(w -> w.start().equals(windowStart)).findFirst()
                .flatMap(WindowSnapshot::drift)
                .map(d -> d.columns().stream().map(c -> c.column() + " " + c.method()
                        + c.result().map(r -> r.pValue().isPresent() ? String.format(" p=%.2g", r.pValue().getAsDouble())
                                : String.format(" %.3f", r.statistic())).orElse(" untested")
                        + (c.drifted() ? " drifted" : "")).toList().toString())
                .orElse("no drift result");
    }

    private static Lineage lineage(String data, int rows) {
        return Lineage.builder().codeRevision("loop-example-1", false)
                .data(URI.create("memory://transactions/" + data), Sha256.ofUtf8(data + rows), Math.max(rows, 1))
                .build();
    }

    /** Serves {@code windows} windows of traffic, delivering labels 30 s after each prediction. */
    private void serve(LiveModel<Scorer> live, Monitor monitor, Shadow<Scorer, Tx> shadow, int windows) {
        double[] numeric = new double[1];
        int[] categories = new int[1];
        for (int i = 0; i < windows * PER_WINDOW; i++) {
            millis.addAndGet(WINDOW.toMillis() / PER_WINDOW);
            Tx tx = next();
            try {
                long start = System.nanoTime();
                double score = shadow != null ? shadow.serve(tx.id(), tx) : live.apply(m -> m.score(tx.amount()));
                numeric[0] = tx.amount();
                categories[0] = tx.country();
                monitor.record(tx.id(), score, System.nanoTime() - start, numeric, categories);
                served++;
            } catch (RuntimeException e) {
                failed++;
            }
            awaitingLabels.add(tx);
            while (!awaitingLabels.isEmpty() && awaitingLabels.peek().id() <= tx.id() - PER_WINDOW / 2) {
                Tx labeled = awaitingLabels.poll();
                monitor.recordOutcome(labeled.id(), labeled.fraud() ? 1 : 0);
                if (shadow != null) {
                    shadow.recordOutcome(labeled.id(), labeled.fraud() ? 1 : 0);
                }
                recentLabeled.add(labeled);
                if (recentLabeled.size() > 2 * PER_WINDOW) {
                    recentLabeled.remove(0);
                }
            }
        }
    }

    private Tx next() {
        double amount = Math.max(1, (shifted ? 450 : 300) + 150 * random.nextGaussian());
        boolean fraud = amount > (shifted ? 350 : 500) ^ random.nextDouble() < 0.01;
        return new Tx(nextId++, amount, random.nextInt(3), fraud);
    }

    private static double accuracy(Scorer s, List<Tx> data) {
        long right = data.stream().filter(t -> (s.score(t.amount()) >= 0.5) == t.fraud()).count();
        return data.isEmpty() ? Double.NaN : (double) right / data.size();
    }

    /** The cut that classifies the data best, searched in steps of 10. */
    private static double bestCut(List<Tx> data) {
        double best = 500;
        double bestAccuracy = -1;
        for (double cut = 100; cut <= 1000; cut += 10) {
            double a = accuracy(new Scorer(cut), data);
            if (a > bestAccuracy) {
                bestAccuracy = a;
                best = cut;
            }
        }
        return best;
    }
}
