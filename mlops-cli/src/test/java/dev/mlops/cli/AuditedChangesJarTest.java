package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.registry.fs.FileAuditLog;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's changing commands with {@code --audit-log}, run as {@code java -jar mlops.jar}: each change,
 * and each change that fails, leaves a record in a real {@code FileAuditLog}, with the actor.
 */
@Tag("jar")
class AuditedChangesJarTest {
    @TempDir
    Path tmp;

    private static String line(AuditRecord r) {
        return r.event().actor() + " " + r.event().action() + " " + r.event().target() + " " + r.event().outcome();
    }

    @Test
    void changes_withAnAuditLog_leaveRecordsWithTheActor_andFailedOnesAreRecordedAsFailed() {
        String reg = Fixtures.registry(tmp.resolve("registry")).toString();
        String audit = tmp.resolve("audit").toString();
        Map<String, String> env = Map.of("MLOPS_AUDIT_LOG", audit);

        JsonNode set = Jar.run(tmp, "alias", "set", "-r", reg, "fraud-scorer", "champion", "2", "--expect", "1",
                "--actor", "alice", "--reason", "gate passed", "--audit-log", audit, "--json").exits(0).quiet().json();
        assertEquals("fraud-scorer champion set 1 2 alice gate passed", set.get("model").asText() + " "
                + set.get("alias").asText() + " " + set.get("kind").asText() + " " + set.get("from").asLong() + " "
                + set.get("to").asLong() + " " + set.get("actor").asText() + " " + set.get("reason").asText());
        Instant.parse(set.get("at").asText());
        Jar.run(tmp, env, "alias", "set", "-r", reg, "fraud-scorer", "champion", "3", "--expect", "1").exits(1);
        Jar.run(tmp, env, "annotate", "-r", reg, "fraud-scorer:3", "--tag", "stage=canary").exits(0).quiet();
        Jar.run(tmp, env, "rollback", "-r", reg, "fraud-scorer", "champion", "--actor", "oncall").exits(0).quiet();
        Jar.run(tmp, env, "delete", "-r", reg, "fraud-scorer:1").exits(1);
        JsonNode plan = Jar.run(tmp, env, "gc", "-r", reg, "--keep-last", "1", "--dry-run", "--json").exits(0).quiet()
                .json();
        JsonNode done = Jar.run(tmp, env, "gc", "-r", reg, "--keep-last", "1", "--actor", "janitor", "--json").exits(0)
                .quiet().json();
        assertEquals(List.of("fraud-scorer:2"), each(done.get("versions"), JsonNode::asText));
        assertEquals(plan.get("versions"), done.get("versions"));

        List<AuditRecord> records;
        try (FileAuditLog log = FileAuditLog.openReadOnly(Path.of(audit))) {
            records = log.read(0, 100);
        }
        assertEquals(List.of(
                "alice alias.set fraud-scorer@champion ALLOWED",
                "ci-bot alias.set fraud-scorer@champion FAILED",
                "ci-bot model.annotate fraud-scorer:3 ALLOWED",
                "oncall alias.rollback fraud-scorer@champion ALLOWED",
                "ci-bot model.delete fraud-scorer:1 FAILED",
                "janitor model.delete fraud-scorer:2 ALLOWED",
                "janitor registry.gc " + reg + " ALLOWED"),
                records.stream().map(AuditedChangesJarTest::line).toList(), "the dry run records nothing");
        assertEquals("gate passed", records.get(0).event().details().get("reason"));
        assertEquals("dev.mlops.core.ConcurrentUpdateException", records.get(1).event().details().get("error"));
        assertEquals("1", records.get(6).event().details().get("versions"));
        try (FileSystemModelStore store = FileSystemModelStore.open(Path.of(reg))) {
            assertEquals("janitor", store.tombstones("fraud-scorer").get(0).actor(), "the tombstone names the actor");
        }

        JsonNode verified = Jar.run(tmp, "audit", "verify", "--log", audit, "--json").exits(0).quiet().json();
        assertTrue(verified.get("ok").asBoolean(), verified::toString);
        assertEquals(7, verified.get("size").asLong());
    }

    @Test
    void anAuditLogThatAnotherProcessHolds_exits2_andChangesNothing() {
        String reg = Fixtures.registry(tmp.resolve("registry")).toString();
        Path audit = tmp.resolve("audit");
        try (FileAuditLog held = FileAuditLog.open(audit)) {
            Jar.Result r = Jar.run(tmp, "alias", "set", "-r", reg, "fraud-scorer", "champion", "2", "--audit-log",
                    audit.toString()).exits(2);
            assertContains(r.err(), "mlops alias set: audit log " + audit + ": cannot be opened for writing, so"
                    + " nothing was changed: ", "is open in another process", "one writer at a time");
            assertEquals(0, held.size());
        }
        try (FileSystemModelStore store = FileSystemModelStore.open(Path.of(reg))) {
            assertEquals(1, store.get(ModelRef.alias("fraud-scorer", "champion")).version());
        }
    }
}
