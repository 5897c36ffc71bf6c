package dev.mlops.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.InMemoryModelStore;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FraudModelLifecycleTest {
    @Test
    void run_registersTwoVersions_promotesTheBetter_andReadsTheChampionBackVerified() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (ModelStore store = new InMemoryModelStore(); PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            FraudModelLifecycle.Outcome o = FraudModelLifecycle.run(store, out);

            assertEquals(1, o.first().version());
            assertEquals(2, o.second().version());
            assertTrue(o.second().metrics().get("auc") > o.first().metrics().get("auc"),
                    "four features beat two: " + o.second().metrics() + " vs " + o.first().metrics());
            assertEquals(2, o.champion().version());
            assertEquals(o.champion().metrics().get("auc"), o.championAuc(), 1e-12,
                    "the artifact read back scores exactly as the one registered");
            assertTrue(o.championAuc() > 0.6, "a real model, better than chance: " + o.championAuc());
            assertEquals(o.first().ref(), o.second().lineage().parents().get(0));
            assertEquals(1, store.rollback("fraud-scorer", "champion").to().getAsLong());
            assertEquals(1, store.get(ModelRef.alias("fraud-scorer", "champion")).version());
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("verified"), text);
    }

    @Test
    void main_onADirectory_continuesFromTheFirstRunsVersions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            FraudModelLifecycle.main(new String[] {dir.toString()});
            FraudModelLifecycle.main(new String[] {dir.toString()});
        } finally {
            System.setOut(original);
        }
        try (ModelStore store = dev.mlops.registry.fs.FileSystemModelStore.open(dir)) {
            assertEquals(4, store.model("fraud-scorer").orElseThrow().liveVersions(), "two runs, two versions each");
            assertEquals(2, store.get(ModelRef.alias("fraud-scorer", "champion")).version(),
                    "the same data trains no better model, so the first run's champion stays");
            assertEquals(store.get(ModelRef.of("fraud-scorer", 2)).ref(),
                    store.get(ModelRef.of("fraud-scorer", 3)).lineage().parents().get(0), "v3 descends from the champion");
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("champion stays v2 from an earlier run"), text);
        assertTrue(text.contains("denied: \"dana\" may not alias.set fraud-scorer@champion"), text);
        assertTrue(text.contains("checkpoint signature verifies: true"), text);
        assertTrue(text.contains("audit log verified: ok"), text);
        try (java.util.stream.Stream<java.nio.file.Path> objects = java.nio.file.Files.walk(dir.resolve("objects"))) {
            assertTrue(objects.filter(java.nio.file.Files::isRegularFile).allMatch(p -> p.toString().endsWith(".enc")),
                    "every artifact is encrypted at rest");
        }
        try (dev.mlops.registry.fs.FileAuditLog log = dev.mlops.registry.fs.FileAuditLog.open(
                dir.resolveSibling(dir.getFileName() + "-audit"))) {
            assertTrue(log.verify().ok());
            assertEquals(2, log.query(dev.mlops.core.audit.AuditQuery.builder()
                    .outcome(dev.mlops.core.audit.AuditEvent.Outcome.DENIED).build()).size(), "one denial per run");
        }
    }

    @Test
    void main_onPostgres_continuesFromTheFirstRunsVersions_withTheUserFromTheEnvironment_neverPrinted()
            throws Exception {
        String secret = "s3cret-never-printed";
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start()) {
            // no user in the URL: it must come from the environment (the driver's default, the OS user, has no role)
            String url = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            java.util.Map<String, String> env = java.util.Map.of(FraudModelLifecycle.USER_VARIABLE, "postgres",
                    FraudModelLifecycle.PASSWORD_VARIABLE, secret);
            try (PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                System.setOut(capture);
                FraudModelLifecycle.main(new String[] {"--postgres", url}, env);
                FraudModelLifecycle.main(new String[] {"--postgres", url}, env);
            } finally {
                System.setOut(original);
            }
            try (dev.mlops.registry.jdbc.PostgresModelStore store = dev.mlops.registry.jdbc.PostgresModelStore
                    .builder(pg.getPostgresDatabase()).schema(FraudModelLifecycle.SCHEMA).build()) {
                assertEquals(4, store.model("fraud-scorer").orElseThrow().liveVersions(), "two runs, two versions each");
                assertEquals(2, store.get(ModelRef.alias("fraud-scorer", "champion")).version(),
                        "the same data trains no better model, so the first run's champion stays");
                assertTrue(store.verify().ok(), store.verify().problems().toString());
            }
            try (dev.mlops.registry.jdbc.PostgresAuditLog log = dev.mlops.registry.jdbc.PostgresAuditLog
                    .builder(pg.getPostgresDatabase()).schema(FraudModelLifecycle.SCHEMA).build()) {
                assertTrue(log.verify().ok());
                assertEquals(2, log.query(dev.mlops.core.audit.AuditQuery.builder()
                        .outcome(dev.mlops.core.audit.AuditEvent.Outcome.DENIED).build()).size(), "one denial per run");
            }
            String text = printed.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("registry and audit log in PostgreSQL at " + url + ", schema mlops_example"), text);
            assertTrue(text.contains("champion stays v2 from an earlier run"), text);
            assertTrue(text.contains("checkpoint signature verifies: true"), text);
            assertTrue(text.contains("audit log verified: ok"), text);
            assertTrue(!text.contains(secret), "the password is never printed");
        }
        assertEquals("jdbc:postgresql://db.example:5432/registry", FraudModelLifecycle.withoutCredentials(
                "jdbc:postgresql://mlops:" + secret + "@db.example:5432/registry?user=mlops&password=" + secret));
    }
}
