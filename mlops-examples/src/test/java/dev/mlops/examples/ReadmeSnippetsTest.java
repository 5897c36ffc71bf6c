package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.Checkpoint;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.fs.FileSystemModelStore;
import dev.mlops.registry.fs.FsckReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet in the README compiles and runs: each {@code java} block appears line for line in
 * {@link ReadmeSnippets} (which the build compiles), and the snippets run here with their results checked.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SNIPPETS = Path.of("src", "test", "java", "dev", "mlops", "examples", "ReadmeSnippets.java");

    /** The README's java blocks, each as its trimmed, non-blank lines. */
    static List<List<String>> javaBlocks(List<String> readme) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            String t = line.strip();
            if (current == null && t.equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && t.equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null && !t.isEmpty()) {
                current.add(t);
            }
        }
        return blocks;
    }

    @Test
    void everyReadmeJavaBlock_appearsLineForLine_inTheCompiledSnippets() throws IOException {
        List<List<String>> blocks = javaBlocks(Files.readAllLines(README));
        assertTrue(blocks.size() >= 6, "found only " + blocks.size() + " java blocks in the README");
        List<String> source = Files.readAllLines(SNIPPETS).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (List<String> block : blocks) {
            List<String> code = block.stream().filter(l -> !l.startsWith("import ")).toList();
            block.stream().filter(l -> l.startsWith("import ")).forEach(imp -> assertTrue(source.contains(imp),
                    "README imports what the snippets do not: " + imp));
            if (indexOf(source, code) < 0) {
                fail("this README block is not in ReadmeSnippets.java as written (so it may not compile):\n"
                        + String.join("\n", block));
            }
        }
    }

    private static int indexOf(List<String> source, List<String> block) {
        for (int i = 0; i + block.size() <= source.size(); i++) {
            if (source.subList(i, i + block.size()).equals(block)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theSnippetsRun(@TempDir Path dir) throws Exception {
        try (ModelStore store = ReadmeSnippets.quickStart(dir)) {
            assertEquals(1, store.get(dev.mlops.core.registry.ModelRef.alias("fraud-scorer", "champion")).version(),
                    "the quick start ends rolled back to v1");
            ReadmeSnippets.signatures(store);
            assertEquals(3, ReadmeSnippets.liveModel(store, Runnable::run), "the quick start ends on v1, 3 bytes");
            assertEquals(1, store.get(dev.mlops.core.registry.ModelRef.alias("fraud-scorer", "champion")).version(),
                    "the live model rolled champion back to v1");
            ModelVersion challenger = store.register(NewVersion.builder("fraud-scorer").artifact(new byte[] {9})
                    .metric("auc@holdout-nov", 0.95).lineage(dev.mlops.core.registry.Lineage.builder()
                            .codeRevision("3f2a9c1", false).data(java.net.URI.create("s3://b/dec.parquet"),
                                    dev.mlops.core.Sha256.ofUtf8("dec"), 10).build()).build());
            dev.mlops.core.audit.AuditLog audit = dev.mlops.core.audit.AuditLog.inMemory();
            ModelVersion withMetric = store.register(NewVersion.builder("fraud-scorer").artifact(new byte[] {8})
                    .metric("auc@holdout-nov", 0.90).build());
            store.setAlias("fraud-scorer", "champion", withMetric.version(), AliasExpect.current(1));
            dev.mlops.core.lifecycle.PromotionRequest done = ReadmeSnippets.promotion(store, audit,
                    dev.mlops.core.security.Principal.of("alice"), dev.mlops.core.security.Principal.of("bob"),
                    withMetric, challenger);
            assertEquals(dev.mlops.core.lifecycle.PromotionRequest.Status.PROMOTED, done.status());
            assertEquals(challenger.version(),
                    store.get(dev.mlops.core.registry.ModelRef.alias("fraud-scorer", "champion")).version());
            assertEquals(3, audit.size(), "the request (with the gate's report), the approval, the promotion");
        }
        Path registry = dir.resolve("registry");
        try (FileSystemModelStore store = FileSystemModelStore.open(registry)) {
            ModelVersion v = store.register(NewVersion.builder("fraud-scorer").artifact(new byte[] {1}).build());
            store.setAlias("fraud-scorer", "champion", v.version(), AliasExpect.absent());
        }
        FsckReport report = ReadmeSnippets.fileSystemStore(registry);
        assertTrue(report.clean() && report.versions() == 1, report.summary());
        Path guardedRoot = dir.resolve("guarded");
        try (FileSystemModelStore store = FileSystemModelStore.open(guardedRoot)) {
            for (int i = 0; i < 7; i++) {
                store.register(NewVersion.builder("fraud-scorer").artifact(new byte[] {(byte) i}).build());
            }
            store.setAlias("fraud-scorer", "champion", 6, AliasExpect.absent());
        }
        dev.mlops.core.audit.AuditLog log = ReadmeSnippets.guardedStore(guardedRoot);
        assertEquals(2, log.size(), "the access decision (ALLOWED) and the change itself");
        try (FileSystemModelStore store = FileSystemModelStore.open(guardedRoot)) {
            assertEquals(7, store.get(dev.mlops.core.registry.ModelRef.alias("fraud-scorer", "champion")).version());
        }
        Path audit = dir.resolve("audit");
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Checkpoint kept;
        try (FileAuditLog writer = FileAuditLog.builder(audit)
                .signer(keys.getPrivate(), "example/audit").build()) {
            writer.append(AuditEvent.of("alice", "model.register", "fraud-scorer:1"));
            kept = writer.checkpoint();
            writer.append(AuditEvent.of("bob", "alias.set", "fraud-scorer@champion"));
            assertTrue(ReadmeSnippets.verifyCopy(audit, kept, keys.getPublic()), "a live log, read while its writer holds it");
        }
        assertTrue(ReadmeSnippets.verifyCopy(audit, kept, keys.getPublic()));
        Checkpoint forged = Checkpoint.signed("example/audit", kept.size(),
                Sha256.of(new byte[] {1}), kept.at(), keys.getPrivate());
        assertFalse(ReadmeSnippets.verifyCopy(audit, forged, keys.getPublic()), "a root the copy does not have");
        ReadmeSnippets.batchDrift();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            ReadmeSnippets.datasetDrift(dir, pool);
        } finally {
            pool.shutdown();
        }
        assertTrue(Files.readString(dir.resolve("drift.html")).contains("card transactions"));
        assertTrue(ReadmeSnippets.streaming() >= 1, "the error rate quadrupled halfway");
        dev.mlops.core.monitor.FeatureSchema schema = dev.mlops.core.monitor.FeatureSchema.builder()
                .numeric("amount", 0, 10_000).categorical("country", "de", "fr", "us").build();
        java.time.InstantSource clock = java.time.InstantSource.fixed(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        dev.mlops.core.monitor.InMemoryMonitor replica = dev.mlops.core.monitor.Monitor.builder(schema)
                .window(java.time.Duration.ofMinutes(5)).clock(clock).build();
        replica.record(7, 0.1, 1_000, new double[] {50}, new int[] {0});
        assertEquals(2, ReadmeSnippets.monitoring(clock, replica.snapshot().current()).predictions());
        assertEquals(List.of(), ReadmeSnippets.monitoringOutcomes(clock, schema));

        java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong(
                java.time.Instant.parse("2026-12-01T10:00:00Z").toEpochMilli());
        java.util.Random random = new java.util.Random(3);
        double[] amounts = new double[1_000];                   // at most 1,000 rows: KS, with a p-value
        String[] countries = new String[amounts.length];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = 200 + 50 * random.nextGaussian();
            countries[i] = new String[] {"de", "fr", "us"}[random.nextInt(3)];
        }
        java.util.concurrent.ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            dev.mlops.core.drift.dataset.DatasetDriftResult drift = ReadmeSnippets.monitoringDrift(
                    () -> java.time.Instant.ofEpochMilli(millis.get()), () -> millis.addAndGet(60_000), schema,
                    dev.mlops.core.drift.dataset.Dataset.builder().numeric("amount", amounts)
                            .categorical("country", countries).build(), scheduler);
            assertTrue(drift.columns().get(0).drifted(), drift.toString());
            assertEquals("ks", drift.columns().get(0).method(), "a reference of 1,000 rows: Kolmogorov-Smirnov");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void integrations_exportMetersAndPostToAWebhook() throws Exception {
        java.util.concurrent.BlockingQueue<String> posted = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/team", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        java.util.concurrent.ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        try {
            dev.mlops.core.registry.InMemoryModelStore store = new dev.mlops.core.registry.InMemoryModelStore();
            dev.mlops.core.monitor.InMemoryMonitor monitor = dev.mlops.core.monitor.Monitor.builder(
                    dev.mlops.core.monitor.FeatureSchema.builder().numeric("amount").build()).binaryClassifier().build();
            io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            java.net.URI url = java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/team");
            dev.mlops.core.notify.Webhook team = ReadmeSnippets.integrations(store, dev.mlops.core.audit.AuditLog.inMemory(),
                    dev.mlops.core.lifecycle.PromotionGate.builder().lineageComplete().build(), monitor, meters,
                    scheduler, url);
            store.register(dev.mlops.core.registry.NewVersion.builder("fraud-scorer").artifact(new byte[] {1})
                    .createdBy("ci").build());
            String body = posted.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(body != null && body.contains("Registered fraud-scorer:1 by ci"), String.valueOf(body));
            assertTrue(Double.isNaN(meters.get("mlops.window.accuracy").tag("model", "fraud-scorer").gauge().value()),
                    "no closed window yet");
            assertEquals(0, team.failed());
        } finally {
            scheduler.shutdownNow();
            server.stop(0);
        }
    }
}
