package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry commands, run as {@code java -jar mlops.jar} against a real filesystem registry. */
@Tag("jar")
class RegistryJarTest {
    @TempDir
    Path tmp;

    private Path registry() {
        return Fixtures.registry(tmp.resolve("registry"));
    }

    @Test
    void models_listsEveryModelWithLatestVersionAndAliases_fromTheOptionOrTheEnvironment() {
        Path reg = registry();
        Jar.Result text = Jar.run(tmp, Map.of("MLOPS_REGISTRY", reg.toString()), "models").exits(0).quiet();
        List<String> lines = text.out().lines().toList();
        assertEquals(3, lines.size(), text::toString);
        assertTrue(lines.get(0).matches("MODEL +LATEST +VERSIONS +ALIASES +UPDATED"), text::toString);
        assertTrue(lines.get(1).matches("churn +1 +1 +\\S+Z"), text::toString);
        assertTrue(lines.get(2).matches("fraud-scorer +3 +3 +champion=1 +\\S+Z"), text::toString);

        JsonNode json = Jar.run(tmp, "models", "--registry", reg.toString(), "--json").exits(0).quiet().json();
        assertEquals(List.of("churn", "fraud-scorer"), each(json.get("models"), m -> m.get("model").asText()));
        JsonNode fraud = json.get("models").get(1);
        assertEquals(3, fraud.get("latest").asLong());
        assertEquals(3, fraud.get("liveVersions").asLong());
        assertEquals(1, fraud.get("aliases").get("champion").asLong());
    }

    @Test
    void versionsAndShow_printVersionsNewestFirstAndOneInFull() {
        Path reg = registry();
        JsonNode page = Jar.run(tmp, "versions", "-r", reg.toString(), "fraud-scorer", "--limit", "2", "--json")
                .exits(0).quiet().json();
        assertEquals(List.of("fraud-scorer:3", "fraud-scorer:2"), each(page.get("versions"), v -> v.get("ref").asText()));
        assertFalse(page.get("nextPageToken").isNull(), page::toString);
        JsonNode v2 = page.get("versions").get(1);
        assertEquals(0.934, v2.get("metrics").get("auc@holdout-nov").asDouble());
        assertEquals("fraud-scorer:1", v2.get("lineage").get("parents").get(0).asText());
        assertEquals(64, v2.get("sha256").asText().length());

        Jar.Result show = Jar.run(tmp, "show", "-r", reg.toString(), "fraud-scorer@champion").exits(0).quiet();
        assertTrue(show.out().startsWith("fraud-scorer:1\n"), show::toString);
        assertContains(show.out(), "  aliases      champion\n", "trees=300", "auc@holdout-nov=0.91",
                "code 3f2a9c1; data s3://bucket/nov.parquet, 1204331 rows",
                "amount: float64, country: category -> score: float64", " by alice\n");
    }

    @Test
    void show_unknownVersion_exits2NamingIt() {
        Jar.Result r = Jar.run(tmp, "show", "-r", registry().toString(), "fraud-scorer:9").exits(2);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("mlops show: "), r::toString);
        assertContains(r.err(), "fraud-scorer:9");
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void aliasSetRollbackHistory_moveWithCompareAndSet_andAStaleExpectationExits1() {
        String reg = registry().toString();
        Jar.Result set = Jar.run(tmp, "alias", "set", "-r", reg, "fraud-scorer", "champion", "2", "--expect", "1",
                "--reason", "beats v1 on holdout-nov").exits(0).quiet();
        assertEquals("fraud-scorer@champion 1 -> 2 (set by ci-bot: beats v1 on holdout-nov)\n", set.out());

        Jar.Result stale = Jar.run(tmp, "alias", "set", "-r", reg, "fraud-scorer", "champion", "3", "--expect", "1")
                .exits(1);
        assertTrue(stale.err().startsWith("mlops alias set: "), stale::toString);
        assertContains(stale.err(), "fraud-scorer@champion", "v2", "v1");

        Jar.run(tmp, "rollback", "-r", reg, "fraud-scorer", "champion", "--actor", "oncall", "--reason", "p99 doubled")
                .exits(0).quiet();
        JsonNode history = Jar.run(tmp, "alias", "history", "-r", reg, "fraud-scorer", "champion", "--json")
                .exits(0).quiet().json();
        assertEquals(List.of("set null->1 alice", "set 1->2 ci-bot", "rollback 2->1 oncall"),
                each(history.get("moves"), m -> m.get("kind").asText() + " " + m.get("from").asText() + "->"
                        + m.get("to").asText() + " " + m.get("actor").asText()));
    }

    @Test
    void annotate_changesTagsAndDescription_andAStaleRevisionExits1() {
        String reg = registry().toString();
        JsonNode v = Jar.run(tmp, "annotate", "-r", reg, "fraud-scorer:2", "--tag", "stage=canary", "--description",
                "canary in eu-west", "--json").exits(0).quiet().json();
        assertEquals("canary", v.get("tags").get("stage").asText());
        assertEquals("canary in eu-west", v.get("description").asText());
        assertEquals(2, v.get("revision").asLong());

        Jar.Result stale = Jar.run(tmp, "annotate", "-r", reg, "fraud-scorer:2", "--remove-tag", "stage",
                "--expect-revision", "1").exits(1);
        assertTrue(stale.err().startsWith("mlops annotate: "), stale::toString);
        assertContains(stale.err(), "revision");
    }

    @Test
    void delete_refusesTheChampion_andTombstonesAnotherVersion() {
        Path reg = registry();
        Jar.Result refused = Jar.run(tmp, "delete", "-r", reg.toString(), "fraud-scorer:1").exits(1);
        assertTrue(refused.err().startsWith("mlops delete: "), refused::toString);
        assertContains(refused.err(), "champion");

        JsonNode t = Jar.run(tmp, "delete", "-r", reg.toString(), "fraud-scorer:3", "--reason", "worse", "--json")
                .exits(0).quiet().json();
        assertEquals("fraud-scorer:3", t.get("ref").asText());
        assertEquals("ci-bot", t.get("actor").asText());
        assertEquals("worse", t.get("reason").asText());
        try (FileSystemModelStore store = FileSystemModelStore.open(reg)) {
            assertTrue(store.find(ModelRef.of("fraud-scorer", 3)).isEmpty());
            assertEquals(1, store.tombstones("fraud-scorer").size());
        }
    }

    @Test
    void verifyAndFsck_passOnAHealthyRegistry_andExit1OnACorruptArtifact() throws IOException {
        Path reg = registry();
        Jar.Result ok = Jar.run(tmp, "verify", "-r", reg.toString()).exits(0).quiet();
        assertContains(ok.out(), "verified fraud-scorer:3", "verified churn:1", "4 verified, 0 failed\n");

        String hex;
        try (FileSystemModelStore store = FileSystemModelStore.open(reg)) {
            hex = store.get(ModelRef.of("fraud-scorer", 3)).digest().hex();
        }
        Path object = reg.resolve("objects/sha256/" + hex.substring(0, 2) + "/" + hex);
        assertTrue(object.toFile().setWritable(true));
        byte[] b = Files.readAllBytes(object);
        b[0] ^= 1;
        Files.write(object, b);

        Jar.Result bad = Jar.run(tmp, "verify", "-r", reg.toString(), "fraud-scorer:3", "fraud-scorer:2").exits(1);
        assertContains(bad.out(), "FAILED   fraud-scorer:3: ", "verified fraud-scorer:2", "1 verified, 1 failed\n");

        JsonNode fsck = Jar.run(tmp, "fsck", "-r", reg.toString(), "--json").exits(1).quiet().json();
        assertFalse(fsck.get("clean").asBoolean());
        assertTrue(each(fsck.get("findings"), f -> f.get("kind").asText()).contains("CORRUPT_OBJECT"), fsck::toString);
    }

    @Test
    void gc_dryRun_listsWhatWouldGo_andDeletesNothing() {
        Path reg = registry();
        JsonNode plan = Jar.run(tmp, "gc", "-r", reg.toString(), "--keep-last", "1", "--dry-run", "--json")
                .exits(0).quiet().json();
        assertTrue(plan.get("dryRun").asBoolean());
        // v3 is the newest, v1 the champion and v2's lineage parent: only v2 would go
        assertEquals(List.of("fraud-scorer:2"), each(plan.get("versions"), JsonNode::asText));
        try (FileSystemModelStore store = FileSystemModelStore.open(reg)) {
            assertEquals(3, store.versions("fraud-scorer", PageRequest.first(10)).items().size());
        }
    }
}
