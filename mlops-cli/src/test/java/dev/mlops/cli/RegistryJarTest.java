package dev.mlops.cli;

import static dev.mlops.cli.Jar.assertContains;
import static dev.mlops.cli.Jar.each;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Sha256;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.PageRequest;
import dev.mlops.registry.fs.FileSystemModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

        JsonNode v1 = Jar.run(tmp, "show", "-r", reg.toString(), "fraud-scorer@champion", "--json").exits(0).quiet()
                .json();
        assertEquals("fraud-scorer:1 fraud-scorer 1 alice", v1.get("ref").asText() + " " + v1.get("model").asText()
                + " " + v1.get("version").asLong() + " " + v1.get("createdBy").asText());
        assertEquals(Sha256.of(Fixtures.bytes("model one")).hex(), v1.get("sha256").asText());
        assertEquals(9, v1.get("size").asLong());
        Instant.parse(v1.get("createdAt").asText());
        assertEquals("gradient-boosted, Nov data", v1.get("description").asText());
        assertEquals(List.of("champion"), each(v1.get("aliases"), JsonNode::asText));
        assertEquals("300", v1.get("params").get("trees").asText());
        assertEquals(0.91, v1.get("metrics").get("auc@holdout-nov").asDouble());
        assertEquals("risk", v1.get("tags").get("team").asText());
        JsonNode lineage = v1.get("lineage");
        assertEquals("3f2a9c1", lineage.get("codeRevision").asText());
        assertFalse(lineage.get("dirty").asBoolean());
        assertEquals("s3://bucket/nov.parquet 1204331", lineage.get("data").get(0).get("uri").asText() + " "
                + lineage.get("data").get(0).get("rows").asLong());
        assertEquals(0, lineage.get("parents").size());
        assertEquals(List.of("amount float64", "country category"), each(v1.get("signature").get("inputs"),
                f -> f.get("name").asText() + " " + f.get("type").asText()));
        assertEquals(List.of("score float64"), each(v1.get("signature").get("outputs"),
                f -> f.get("name").asText() + " " + f.get("type").asText()));
        assertEquals(1, v1.get("revision").asLong());

        JsonNode model = Jar.run(tmp, "show", "-r", reg.toString(), "fraud-scorer", "--json").exits(0).quiet().json();
        assertEquals("fraud-scorer", model.get("model").asText());
        assertEquals(3, model.get("latest").asLong());
        assertEquals(3, model.get("liveVersions").asLong());
        assertEquals(3, model.get("highestAssigned").asLong());
        assertEquals(1, model.get("aliases").get("champion").asLong());
        assertEquals(1, model.get("aliases").size());
        Instant.parse(model.get("updatedAt").asText());
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

        JsonNode back = Jar.run(tmp, "rollback", "-r", reg, "fraud-scorer", "champion", "--actor", "oncall", "--reason",
                "p99 doubled", "--json").exits(0).quiet().json();
        assertEquals("fraud-scorer champion rollback 2 1 oncall p99 doubled", back.get("model").asText() + " "
                + back.get("alias").asText() + " " + back.get("kind").asText() + " " + back.get("from").asLong() + " "
                + back.get("to").asLong() + " " + back.get("actor").asText() + " " + back.get("reason").asText());
        Instant.parse(back.get("at").asText());
        JsonNode history = Jar.run(tmp, "alias", "history", "-r", reg, "fraud-scorer", "champion", "--json")
                .exits(0).quiet().json();
        assertEquals(List.of("set null->1 alice", "set 1->2 ci-bot", "rollback 2->1 oncall"),
                each(history.get("moves"), m -> m.get("kind").asText() + " " + m.get("from").asText() + "->"
                        + m.get("to").asText() + " " + m.get("actor").asText()));
        assertEquals(back, history.get("moves").get(2), "the move printed is the move kept");

        JsonNode removed = Jar.run(tmp, "alias", "remove", "-r", reg, "fraud-scorer", "champion", "--expect", "1",
                "--reason", "retired", "--json").exits(0).quiet().json();
        assertEquals("remove 1 ci-bot retired", removed.get("kind").asText() + " " + removed.get("from").asLong() + " "
                + removed.get("actor").asText() + " " + removed.get("reason").asText());
        assertTrue(removed.get("to").isNull(), removed::toString);
        try (FileSystemModelStore store = FileSystemModelStore.open(Path.of(reg))) {
            assertTrue(store.find(ModelRef.alias("fraud-scorer", "champion")).isEmpty());
        }
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

        // the whole directory: every live version, the bad one among the failures
        JsonNode all = Jar.run(tmp, "verify", "-r", reg.toString(), "--json").exits(1).quiet().json();
        assertFalse(all.get("ok").asBoolean());
        assertEquals(Set.of("churn:1 11 " + Sha256.of(Fixtures.bytes("churn model")).hex(),
                "fraud-scorer:2 9 " + Sha256.of(Fixtures.bytes("model two")).hex(),
                "fraud-scorer:1 9 " + Sha256.of(Fixtures.bytes("model one")).hex()),
                Set.copyOf(each(all.get("verified"), v -> v.get("ref").asText() + " " + v.get("size").asLong() + " "
                        + v.get("sha256").asText())));
        assertEquals(List.of("fraud-scorer:3"), each(all.get("failed"), f -> f.get("ref").asText()));
        assertContains(all.get("failed").get(0).get("problem").asText(), hex);

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
