package dev.mlops.examples;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditLog;
import dev.mlops.core.audit.AuditVerification;
import dev.mlops.core.audit.AuditingModelStore;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.drift.ChangeDetector;
import dev.mlops.core.drift.DriftDetector;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Sample;
import dev.mlops.core.drift.Signal;
import dev.mlops.core.drift.Untestable;
import dev.mlops.core.drift.dataset.Correction;
import dev.mlops.core.drift.dataset.Dataset;
import dev.mlops.core.drift.dataset.DatasetDriftResult;
import dev.mlops.core.monitor.AlertListener;
import dev.mlops.core.monitor.AlertRule;
import dev.mlops.core.monitor.FeatureSchema;
import dev.mlops.core.monitor.InMemoryMonitor;
import dev.mlops.core.monitor.Metric;
import dev.mlops.core.monitor.Monitor;
import dev.mlops.core.monitor.MonitorSnapshot;
import dev.mlops.core.monitor.WindowOutcomes;
import dev.mlops.core.monitor.WindowSignal;
import dev.mlops.core.monitor.WindowSnapshot;
import dev.mlops.core.monitor.micrometer.MonitorMeters;
import dev.mlops.core.notify.Webhook;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ChangeNote;
import dev.mlops.core.registry.Field;
import dev.mlops.core.registry.GcReport;
import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.Lineage;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.OpenedVersion;
import dev.mlops.core.registry.Retention;
import dev.mlops.core.registry.Signature;
import dev.mlops.core.registry.VersionQuery;
import dev.mlops.core.security.AccessControlledModelStore;
import dev.mlops.core.security.AccessPolicy;
import dev.mlops.core.security.Permission;
import dev.mlops.core.lifecycle.Candidate;
import dev.mlops.core.lifecycle.PromotionGate;
import dev.mlops.core.lifecycle.PromotionRequest;
import dev.mlops.core.lifecycle.Promotions;
import dev.mlops.core.security.Principal;
import dev.mlops.core.serving.Lease;
import dev.mlops.core.serving.LiveModel;
import dev.mlops.drift.DatasetDrift;
import dev.mlops.drift.DatasetReference;
import dev.mlops.drift.DriftDetectors;
import dev.mlops.drift.KsMethod;
import dev.mlops.drift.MonitorDrift;
import dev.mlops.drift.StatTest;
import dev.mlops.drift.report.DriftReport;
import dev.mlops.drift.report.ReportHeader;
import dev.mlops.drift.stream.Adwin;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.fs.FsckReport;
import dev.mlops.tck.ModelStoreContract;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The README's Java snippets, each verbatim inside a method that declares what it uses, so that they
 * compile with the tests and {@link ReadmeSnippetsTest} runs them; that test also checks that every
 * {@code java} block of the README appears here line for line.
 */
final class ReadmeSnippets {
    private static final Logger log = LoggerFactory.getLogger(ReadmeSnippets.class);

    private ReadmeSnippets() {
    }

    /** A stand-in for a user's model class. */
    interface Scorer {
        static Scorer load(InputStream in) throws IOException {
            byte[] bytes = in.readAllBytes();
            return () -> bytes.length;
        }

        int size();
    }

    static ModelStore quickStart(Path dir) throws IOException {
        Path modelFile = Files.write(dir.resolve("model.bin"), new byte[] {1, 2, 3});
        Path trainingData = Files.writeString(dir.resolve("nov.parquet"), "amount,country\n12.5,de\n");
        byte[] retrainedBytes = {4, 5, 6, 7};
        Scorer scorer;

        ModelStore store = new InMemoryModelStore();
        Sha256 dataSha256 = Sha256.of(trainingData);                          // Path of the training data: its digest

        ModelVersion v = store.register(NewVersion.builder("fraud-scorer")
                .artifact(modelFile)                                  // a Path, or bytes, or a stream; hashed as it is read
                .description("gradient-boosted, Nov data")
                .param("learningRate", "0.05")
                .metric("auc", 0.912)
                .tag("team", "risk")
                .lineage(Lineage.builder()
                        .codeRevision("3f2a9c1", false)
                        .data(URI.create("s3://bucket/nov.parquet"), dataSha256, 1_204_331)
                        .build())                                     // JVM, OS and library version captured
                .signature(Signature.of(Field.float64("amount"), Field.category("country"))
                        .returns(Field.float64("score")))
                .build());                                            // -> fraud-scorer:1, sha256, size, createdAt

        store.setAlias("fraud-scorer", "champion", v.version(), AliasExpect.absent());          // compare-and-set
        ModelVersion v2 = store.register(NewVersion.builder("fraud-scorer").artifact(retrainedBytes)
                .metric("auc", 0.934).lineage(Lineage.builder().parent(v.ref()).build()).build());
        store.setAlias("fraud-scorer", "champion", v2.version(), AliasExpect.current(v.version()));
        try (OpenedVersion champion = store.openVersion(ModelRef.alias("fraud-scorer", "champion"))) {
            scorer = Scorer.load(champion.stream());       // resolved once, size and digest checked as it is read
            log.info("serving {}", champion.version().ref());
        }
        ModelVersion best = store.search(VersionQuery.builder().model("fraud-scorer")
                .orderBy(VersionQuery.Order.highest("auc")).limit(1).build()).get(0);
        store.rollback("fraud-scorer", "champion", ChangeNote.by("oncall").because("p99 doubled"));   // back to v1

        if (scorer.size() != 4 || best.version() != 2) {
            throw new AssertionError("the quick start served " + scorer.size() + " bytes and found v" + best.version());
        }
        return store;
    }

    static FsckReport fileSystemStore(Path dir) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        FileSystemModelStore store = FileSystemModelStore.builder(dir)
                .pollEvery(scheduler, Duration.ofSeconds(1))                 // hear other processes' changes
                .build();
        store.subscribe(event -> log.info("{}", event));                     // in the journal's order
        ModelVersion checked = store.verify(ModelRef.alias("fraud-scorer", "champion"));  // manifest and bytes, from disk
        FsckReport report = store.fsck();          // quarantines corrupt artifacts, appends missing events, sweeps tmp/
        GcReport plan = store.gc(Retention.keepLast(20), true);             // dry run: exactly what would be deleted

        store.close();
        scheduler.shutdown();
        if (checked.version() != 1 || !plan.versions().isEmpty()) {
            throw new AssertionError("verified " + checked + ", planned " + plan.summary());
        }
        return report;
    }

    static int liveModel(ModelStore store, Executor loads) {
        LiveModel<Scorer> live = LiveModel.builder(store, "fraud-scorer", "champion",
                        (version, bytes) -> Scorer.load(bytes))              // verified bytes -> your model object
                .executor(loads)                                             // loads off the thread that moved the alias
                .build();                                                    // loads what champion points at now
        int answer = live.apply(model -> model.size());                      // one version from start to end
        try (Lease<Scorer> lease = live.lease()) {                           // and which version answered
            log.info("{} answered {}", lease.version().ref(), lease.model().size());
        }
        store.setAlias("fraud-scorer", "champion", 2, AliasExpect.current(1));  // loaded, warmed up, swapped in
        live.rollback(ChangeNote.by("oncall").because("p99 doubled"));       // the previous version, still loaded
        live.close();
        return answer;
    }

    static PromotionRequest promotion(ModelStore store, AuditLog auditLog, Principal alice, Principal bob,
            ModelVersion champion, ModelVersion challenger) {
        PromotionGate gate = PromotionGate.builder()
                .metricAtLeastChampion("auc", "holdout-nov", 0.005)          // reads version metric "auc@holdout-nov"
                .signaturesCompatible()
                .lineageComplete()                                          // clean code revision, data digests
                .build();
        Promotions promotions = Promotions.builder(store, auditLog, gate).approvals(1).build();
        PromotionRequest asked = promotions.request(alice, Candidate.of(challenger).against(champion),
                "champion", "beats v1 on the November hold-out");             // the gate's report is audited
        PromotionRequest done = promotions.approve(asked.id(), bob, "read the report");   // not alice: four eyes
        return done;
    }

    /** A stand-in for the application's request context. */
    static final class RequestContext {
        private RequestContext() {
        }

        static Principal principal() {
            return Principal.of("anonymous");
        }
    }

    static AuditLog guardedStore(Path root) {
        AuditLog log = AuditLog.inMemory();
        AccessControlledModelStore guarded = new AccessControlledModelStore(
                new AuditingModelStore(FileSystemModelStore.open(root), log),
                AccessPolicy.builder().grantRole("risk-team", Permission.EDIT, "fraud-scorer").build(),
                log, RequestContext::principal);
        ModelStore store = guarded.asUser(Principal.of("alice", "risk-team"));   // per request
        store.setAlias("fraud-scorer", "champion", 7, AliasExpect.current(6), ChangeNote.by("alice"));

        guarded.close();
        return log;
    }

    static boolean verifyCopy(Path copyDir, Checkpoint kept, PublicKey publicKey) {
        boolean verified;
        try (FileAuditLog copy = FileAuditLog.openReadOnly(copyDir)) {       // never writes, takes no lock
            copy.tailRepair().ifPresent(t -> log.warn("torn tail left unread: {}", t));
            AuditVerification v = copy.verify();                               // every frame, leaf and node, from disk
            verified = v.ok() && kept.verify(publicKey) && kept.size() <= copy.size()
                    && copy.root(kept.size()).equals(kept.root());            // the copy holds what was signed
        }
        return verified;
    }

    /** What a store's own test looks like; compiled, not run here. */
    static final class MyStore {
        private MyStore() {
        }

        static ModelStore open(Path dir) {
            return new InMemoryModelStore();
        }

        static ModelStore open(Path dir, InstantSource clock) {
            return InMemoryModelStore.withClock(clock);
        }

        static void flipAByteOf(ModelRef.ByVersion ref) {
        }

        static void put(ModelRef.ByVersion ref, byte[] bytes) {
        }
    }

    static Path dir() {
        return Path.of("target");
    }

    class MyStoreTest extends ModelStoreContract {
        @Override protected ModelStore newStore() { return MyStore.open(dir()); }                       // your store
        @Override protected void corruptArtifact(ModelRef.ByVersion ref) { MyStore.flipAByteOf(ref); }  // optional
        @Override protected ModelStore newStore(InstantSource clock) { return MyStore.open(dir(), clock); }  // optional
        @Override protected void replaceArtifact(ModelRef.ByVersion ref, byte[] bytes) { MyStore.put(ref, bytes); }
    }

    static void signatures(ModelStore store) {
        ModelVersion version = store.get(ModelRef.of("fraud-scorer", 1));
        List<Map<String, ?>> rows = List.of(Map.of("amount", 1.0, "country", "fr"), Map.of("amount", "2", "extra", 1));

        Signature sig = version.signature();
        sig.validateInput(Map.of("amount", 12.5, "country", "de"));        // Signature.MismatchException if not
        sig.validateInputColumns(Map.of("amount", new double[] {12.5, 3.0}, "country", List.of("de", "fr")));
        Signature.Report r = sig.allowingUnknownFields().checkInputRows(rows);   // a report instead of throwing

        if (r.isValid() || r.total() != 2) {
            throw new AssertionError("expected the second row's amount and missing country only: " + r.messages());
        }
    }

    static Webhook integrations(ModelStore store, AuditLog auditLog, PromotionGate gate, InMemoryMonitor monitor,
            MeterRegistry meterRegistry, ScheduledExecutorService scheduler, URI webhookUrl) {
        MonitorMeters.of(monitor, Tags.of("model", "fraud-scorer", "version", "7")).bindTo(meterRegistry);

        Webhook team = Webhook.builder(webhookUrl, scheduler).build();   // e.g. a Slack incoming webhook
        store.subscribe(team);                                       // registrations, alias moves, deletions
        monitor.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9), team);
        Promotions promotions = Promotions.builder(store, auditLog, gate).listener(team).build();

        if (promotions.get(1).isPresent()) {
            throw new AssertionError("a new Promotions holds no request");
        }
        return team;
    }

    static void batchDrift() {
        Random random = new Random(1);
        double[] trainAmounts = random.doubles(2_000).map(x -> x * 100).toArray();
        double[] lastHourAmounts = random.doubles(300).map(x -> x * 120).toArray();
        String[] trainCountries = {"de", "fr", "de", "pl"};
        String[] lastHourCountries = {"de", "de", "es"};
        Reference reference = Reference.numeric(trainAmounts);

        DriftDetector ks = DriftDetectors.kolmogorovSmirnov(Reference.numeric(trainAmounts));
        DriftResult r = ks.detect(Sample.numeric(lastHourAmounts));       // r.statistic(), r.pValue(), r.drifted()
        DriftDetector js = DriftDetectors.of(StatTest.JENSEN_SHANNON, Reference.categorical(trainCountries), 0.15);
        DriftDetector exact = DriftDetectors.builder(StatTest.KOLMOGOROV_SMIRNOV, reference)
                .ksMethod(KsMethod.EXACT).threshold(0.01).build();                   // SciPy's ks_2samp(method='exact')
        if (js.evaluate(Sample.categorical(lastHourCountries)) instanceof Untestable u) log.warn(u.detail());

        if (!r.drifted() || exact.detect(Sample.numeric(lastHourAmounts)).pValue().isEmpty()) {
            throw new AssertionError("a 20% stretch of the amounts should drift: " + r);
        }
    }

    static void datasetDrift(Path reportDir, Executor pool) throws IOException {
        Random random = new Random(2);
        Dataset trainingTable = Dataset.builder().numeric("amount", random.doubles(3_000).toArray())
                .categorical("country", random.ints(3_000, 0, 3).mapToObj(i -> "c" + i).toArray(String[]::new)).build();
        Dataset currentTable = Dataset.builder().numeric("amount", random.doubles(500).map(x -> x + 0.5).toArray())
                .categorical("country", random.ints(500, 0, 3).mapToObj(i -> "c" + i).toArray(String[]::new)).build();
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-12-01T00:00:00Z"));
        Instant weekStart = Instant.parse("2026-11-24T00:00:00Z");
        Instant weekEnd = Instant.parse("2026-12-01T00:00:00Z");

        DatasetReference reference = DatasetReference.of(trainingTable);         // or DatasetReference.fromJson(json)
        DatasetDrift drift = DatasetDrift.builder(reference).correction(Correction.BENJAMINI_HOCHBERG).executor(pool).build();
        DatasetDriftResult result = drift.detect(currentTable);
        DriftReport report = DriftReport.of(result, ReportHeader.builder("card transactions", clock.instant())
                .model(ModelRef.of("fraud-scorer", 7)).window(weekStart, weekEnd).reference("training data, October 2026").build());
        Files.writeString(reportDir.resolve("drift.html"), report.toHtml());

        if (!result.columns().get(0).drifted()) {
            throw new AssertionError("amount moved by half its range: " + result.columns().get(0));
        }
    }

    static WindowSnapshot monitoring(InstantSource clock, WindowSnapshot otherReplica) {
        long requestId = 42;
        double amount = 12.5;
        int countryIndex = 1;

        FeatureSchema schema = FeatureSchema.builder()
                .numeric("amount", 0, 10_000)                        // expected range: values outside are counted
                .categorical("country", "de", "fr", "us")            // index -1 = missing, >= 3 = unseen
                .build();
        InMemoryMonitor monitor = Monitor.builder(schema)
                .window(Duration.ofMinutes(5)).keepWindows(288)      // a day of 5-minute windows, plus cumulative
                .clock(clock)
                .build();
        double[] numeric = new double[1];                            // reuse per thread: nothing is kept
        int[] categories = new int[1];

        long start = System.nanoTime();
        double score = 0.87;                                         // the model's answer
        numeric[0] = amount;
        categories[0] = countryIndex;
        monitor.record(requestId, score, System.nanoTime() - start, numeric, categories);  // no lock, no allocation

        MonitorSnapshot s = monitor.snapshot();                      // an immutable copy; recording goes on
        double p99 = s.current().latencyNanos().quantile(0.99);      // within 0.78%
        long outOfRange = s.current().numeric("amount").outOfRange();
        WindowSnapshot fleet = s.current().merge(otherReplica);      // counts and sketch buckets add exactly

        if (!(p99 >= 0) || outOfRange != 0 || fleet.predictions() != 1 + otherReplica.predictions()) {
            throw new AssertionError("monitored " + fleet);
        }
        return fleet;
    }

    static List<String> monitoringOutcomes(InstantSource clock, FeatureSchema schema) {
        long requestId = 43;
        long latencyNanos = 2_000_000;
        double[] numeric = {12.5};
        int[] categories = {1};
        List<String> pages = new java.util.ArrayList<>();

        InMemoryMonitor scored = Monitor.builder(schema)
                .binaryClassifier()                                  // scores are P(positive), threshold 0.5
                .pendingOutcomes(200_000, Duration.ofHours(2))       // predictions waiting for their label
                .clock(clock)
                .build();
        scored.addAlert(AlertRule.when(Metric.LATENCY_P99).above(50, TimeUnit.MILLISECONDS).forWindows(3),
                AlertListener.logging());                            // WARN through SLF4J
        scored.addAlert(AlertRule.when(Metric.ACCURACY).below(0.9).minSamples(200).lagWindows(2),
                alert -> pages.add(alert.describe()));               // judged two windows late: labels lag
        scored.addAlert(AlertRule.when(WindowSignal.missingRate("amount")).above(0.05), AlertListener.logging());

        scored.record(requestId, 0.87, latencyNanos, numeric, categories);
        boolean joined = scored.recordOutcome(requestId, 1);         // later, on any thread
        WindowOutcomes o = scored.snapshot().current().outcomes();   // in the prediction's window
        double accuracy = scored.snapshot().current().value(Metric.ACCURACY);

        if (!joined || o.labeled() != 1 || accuracy != 1.0) {
            throw new AssertionError("joined " + joined + ", " + o + ", accuracy " + accuracy);
        }
        return pages;
    }

    static DatasetDriftResult monitoringDrift(InstantSource clock, Runnable nextWindow, FeatureSchema schema,
            Dataset trainingTable, ScheduledExecutorService scheduler) {
        List<String> pages = new java.util.ArrayList<>();

        DatasetReference training = DatasetReference.of(trainingTable);   // or DatasetReference.fromJson(saved)
        InMemoryMonitor watched = Monitor.builder(schema)
                .drift(MonitorDrift.against(training))               // each closed window vs the training data
                .closeWindowsWith(scheduler)                         // the tests run there, never on a serving thread
                .clock(clock)
                .build();
        watched.addAlert(AlertRule.when(Metric.DATASET_DRIFT).above(0.5).minSamples(500).forWindows(2),
                AlertListener.logging());                            // the dataset verdict, two windows running
        watched.addAlert(AlertRule.when(WindowSignal.driftPValue("amount")).below(0.001),
                alert -> pages.add(alert.describe()));               // one feature's test
        Optional<DatasetDriftResult> lastWindow = watched.snapshot().lastClosed().flatMap(WindowSnapshot::drift);

        MonitorDrift exact = MonitorDrift.of(DatasetDrift.builder(training)
                .test("amount", StatTest.PSI).referenceBins("amount")    // counted exactly per window, any size
                .build(), 5_000);                                        // the other numeric columns: samples of 5,000

        if (lastWindow.isPresent() || exact.sampleSize() != 5_000) {
            throw new AssertionError("no window has closed yet: " + lastWindow);
        }
        Random random = new Random(11);
        double[] numeric = new double[1];
        int[] categories = new int[1];
        for (int i = 0; i < 1_000; i++) {
            numeric[0] = 5_000 + 1_000 * random.nextGaussian();            // far above the training amounts
            categories[0] = random.nextInt(3);
            watched.record(i, 0.5, 1_000, numeric, categories);
        }
        nextWindow.run();
        DatasetDriftResult drift = watched.snapshot().lastClosed().flatMap(WindowSnapshot::drift).orElseThrow();
        if (pages.size() != 1 || !pages.get(0).startsWith("amount.drift_p_value below")) {
            throw new AssertionError("expected the amount's alert, paged " + pages);
        }
        watched.close();
        return drift;
    }

    private static int retrained;

    private static void retrain() {
        retrained++;
    }

    static int streaming() {
        boolean[] errors = new boolean[4_000];
        Random random = new Random(3);
        for (int i = 0; i < errors.length; i++) {
            errors[i] = random.nextDouble() < (i < 2_000 ? 0.1 : 0.4);
        }
        retrained = 0;

        ChangeDetector adwin = Adwin.builder().moa().build();
        for (boolean wrong : errors) {
            if (adwin.update(wrong) == Signal.DRIFT) retrain();
        }
        return retrained;
    }
}
