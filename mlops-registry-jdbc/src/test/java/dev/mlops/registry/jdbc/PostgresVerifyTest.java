package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.ModelNotFoundException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresModelStore#verify()} and {@link PostgresModelStore#verify(ModelRef)} on a clean store,
 * and on tables edited behind the store's back, one damage at a time: each is found and named.
 */
class PostgresVerifyTest {
    private String schema;
    private PostgresModelStore store;
    private ModelVersion big;

    @BeforeEach
    void fill() {
        schema = TestDatabase.freshSchema();
        store = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build();
        store.register(version("a", "one"));
        store.register(version("a", "two"));
        byte[] bytes = new byte[PostgresModelStore.CHUNK + 5];
        new Random(5).nextBytes(bytes);
        big = store.register(NewVersion.builder("a").artifact(bytes).build());
        store.setAlias("a", "champion", 2, AliasExpect.absent());
        store.register(version("b", "one"));
        store.delete(ModelRef.of("a", 1), "retired");
    }

    @AfterEach
    void drop() {
        store.close();
        TestDatabase.dropSchema(schema);
    }

    private static NewVersion version(String model, String content) {
        return NewVersion.builder(model).artifact(content.getBytes(StandardCharsets.UTF_8)).build();
    }

    private String table(String name) {
        return "\"" + schema + "\".\"mlops_" + name + "\"";
    }

    /** Verifies with a store that has cached nothing, and returns the one problem it must find. */
    private String oneProblem(String containing) {
        try (PostgresModelStore fresh = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema).build()) {
            VerifyReport report = fresh.verify();
            assertFalse(report.ok(), "the damage is found");
            assertTrue(report.problems().stream().anyMatch(p -> p.contains(containing)),
                    "a problem names it (" + containing + "): " + report.problems());
            return report.problems().get(0);
        }
    }

    @Test
    void aCleanStore_verifies_countingWhatItChecked() {
        VerifyReport report = store.verify();
        assertTrue(report.ok(), report.problems().toString());
        assertEquals(2, report.models());
        assertEquals(6, report.changes(), "4 registrations, an alias move, a deletion");
        assertEquals(6, report.events());
        assertEquals(3, report.versions(), "a:2, a:3 and b:1 are live");
        assertEquals(3, report.artifacts(), "b:1 has the bytes of the deleted a:1, read once");
        assertEquals(3 + 3 + PostgresModelStore.CHUNK + 5, report.artifactBytes());
        assertEquals(big, store.verify(ModelRef.of("a", 3)));
        assertEquals(2, store.verify(ModelRef.alias("a", "champion")).version());
        assertThrows(ModelNotFoundException.class, () -> store.verify(ModelRef.of("a", 1)));
        assertTrue(report.summary().endsWith(": 0 problems"), report.summary());
    }

    @Test
    void aChangedArtifactByte_isNamedWithItsVersion() {
        TestDatabase.execute("UPDATE " + table("artifact_chunks") + " SET data = set_byte(data, 2, get_byte(data, 2) # 1)"
                + " WHERE chunk = 1");
        assertTrue(oneProblem("a:3: its artifact's bytes in blob").contains(big.digest().hex()));
        IntegrityException e = assertThrows(IntegrityException.class, () -> store.verify(big.ref()));
        assertTrue(e.getMessage().contains("hash to"), e.getMessage());
    }

    @Test
    void aMissingChunkRow_isNamedWithItsVersion() {
        TestDatabase.execute("DELETE FROM " + table("artifact_chunks") + " WHERE chunk = 1");
        oneProblem("a:3: its artifact " + big.digest() + " has " + PostgresModelStore.CHUNK + " bytes");
    }

    @Test
    void chunkRowsOfNoArtifact_areNamed() {
        TestDatabase.execute("INSERT INTO " + table("artifact_chunks") + " (blob, chunk, data) VALUES (9999, 0, '\\x00')");
        oneProblem("the chunk rows of blob 9999");
    }

    @Test
    void anEditedChange_isNamedByItsRow_andVerifyOfTheVersionRefusesIt() {
        TestDatabase.execute("UPDATE " + table("changes") + " SET document = replace(document, '\"size\"', '\"sise\"')"
                + " WHERE model = 'a' AND number = 2");
        oneProblem("change 2 of model a in " + table("changes"));
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> store.verify(big.ref()));
        assertTrue(e.getMessage().contains("change 2 of model a"), e.getMessage());
    }

    @Test
    void aSkippedVersionNumber_isNamed() {
        // b's only registration renumbered 2, in its change and its event alike: every row reads, but 1 was skipped
        for (String t : new String[] {"changes", "events"}) {
            TestDatabase.execute("UPDATE " + table(t) + " SET document = regexp_replace(document,"
                    + " '(\"version\"\\s*:\\s*)1(,\\s*\"sha256\")', '\\12\\2') WHERE model = 'b'");
        }
        oneProblem("registers version 2, but the highest before it was 0: a number was skipped");
    }

    @Test
    void aDeletedEvent_leavesAGap_andAChangeWithoutItsEvent() {
        TestDatabase.execute("DELETE FROM " + table("events") + " WHERE sequence = 3");
        oneProblem(table("events") + " holds 5 events numbered 1 to 6: the sequence has gaps");
        oneProblem("change 3 of model a in " + table("changes") + " has no event");
    }

    @Test
    void anEventThatDiffersFromItsChange_isNamed() {
        TestDatabase.execute("UPDATE " + table("events") + " SET document = replace(document, '\"champion\"',"
                + " '\"challenger\"') WHERE sequence = 4");
        oneProblem("event 4 in " + table("events") + " differs from the event that change 4 of model a");
    }

    @Test
    void theCounterOrAModelRow_disagreeingWithTheLogs_isNamed() {
        TestDatabase.execute("UPDATE " + table("event_counter") + " SET last_sequence = 9");
        oneProblem(table("event_counter") + " gives 9 as the last event, but the events in " + table("events")
                + " end at 6");
        TestDatabase.execute("UPDATE " + table("event_counter") + " SET last_sequence = 6");
        TestDatabase.execute("UPDATE " + table("models") + " SET last_change = 7 WHERE name = 'a'");
        oneProblem("model a counts 7 changes in " + table("models") + ", but its log in " + table("changes")
                + " holds 5");
        IntegrityException e = assertThrows(IntegrityException.class, () -> store.verify(ModelRef.of("a", 2)));
        assertTrue(e.getMessage().contains("counts 7 changes"), e.getMessage());
    }
}
