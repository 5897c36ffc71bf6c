package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.InvalidFormatException;
import dev.mlops.core.StoreException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the kit cannot see: the directory itself, a second store on it, and damaged files. */
class FileSystemModelStoreTest {
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    @Test
    void reopening_andASecondStoreOnTheSameDirectory_seeExactlyWhatTheFirstCommitted() {
        Path dir = dirs.create();
        Scenario.Observed after;
        try (FileSystemModelStore first = FileSystemModelStore.builder(dir).clock(Scenario.clock()).build()) {
            Scenario.populate(first);
            Scenario.Observed seen = Scenario.observe(first);
            assertEquals(13, seen.events().size(), "one event per write");
            try (FileSystemModelStore second = FileSystemModelStore.open(dir)) {
                assertEquals(seen, Scenario.observe(second), "a second store reads the same directory the same way");

                second.register(NewVersion.builder("fraud").artifact(new byte[] {3}).build());
                second.setAlias("fraud", "champion", 3, AliasExpect.current(1));
                assertEquals(3, first.get(ModelRef.alias("fraud", "champion")).version(),
                        "the other store's change is seen at once");
                first.setAlias("fraud", "staging", 3, AliasExpect.absent());
                assertEquals(3, second.get(ModelRef.alias("fraud", "staging")).version());
                List<ModelStoreEvent> events = first.events(13, 100);
                assertEquals(List.of(14L, 15L, 16L), events.stream().map(ModelStoreEvent::sequence).toList(),
                        "both stores number their events in one sequence");
                assertEquals(Scenario.observe(first), Scenario.observe(second));
            }
            after = Scenario.observe(first);
        }
        try (FileSystemModelStore reopened = FileSystemModelStore.open(dir)) {
            assertEquals(after, Scenario.observe(reopened), "reopened, the store is exactly as it was");
        }
    }

    @Test
    void identicalArtifacts_areStoredOnce_asReadOnlyFiles() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            ModelVersion a = s.register(NewVersion.builder("a").artifact(new byte[] {1, 2, 3}).build());
            ModelVersion b = s.register(NewVersion.builder("b").artifact(new byte[] {1, 2, 3}).build());
            s.register(NewVersion.builder("a").artifact(new byte[] {1, 2, 3}).build());
            assertEquals(a.digest(), b.digest());
            List<Path> objects;
            try (Stream<Path> files = Files.walk(dir.resolve("objects"))) {
                objects = files.filter(Files::isRegularFile).toList();
            }
            assertEquals(List.of(dir.toRealPath().resolve("objects/sha256/" + a.digest().hex().substring(0, 2) + "/"
                    + a.digest().hex())), objects.stream().map(p -> {
                        try {
                            return p.toRealPath();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList());
            // the permission bits, not Files.isWritable: a test run as root may write anything
            assertFalse(Files.getPosixFilePermissions(objects.get(0)).stream().anyMatch(p -> p.name().endsWith("_WRITE")),
                    "objects are read-only");
            try (Stream<Path> temps = Files.list(dir.resolve("tmp"))) {
                assertEquals(0, temps.count(), "no temporary file is left behind");
            }
        }
    }

    @Test
    void aDamagedChangeFile_failsNamingTheFileAndTheField_andOtherModelsKeepWorking() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            s.register(NewVersion.builder("a").artifact(new byte[] {1}).build());
            s.register(NewVersion.builder("a").artifact(new byte[] {2}).build());
            s.register(NewVersion.builder("b").artifact(new byte[] {3}).build());
        }
        Path change = dir.resolve("models/a/changes/00000000000000000002.json");
        String json = Files.readString(change);
        Files.writeString(change, json.replace("\"size\" : 1,", "\"size\" : \"1\","));
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> s.find(ModelRef.latest("a")));
            assertTrue(e.getMessage().contains("00000000000000000002.json"), e.getMessage());
            assertEquals("/manifest/size", e.path(), e.getMessage());
            assertThrows(InvalidFormatException.class, () -> s.register(NewVersion.builder("a").artifact(new byte[] {4})
                    .build()), "no change is appended after a damaged one");
            assertEquals(1, s.get(ModelRef.latest("b")).version(), "another model is unaffected");
            assertArrayEquals(new byte[] {3}, s.open(ModelRef.latest("b")).readAllBytes());

            Files.writeString(change, json);
            assertEquals(2, s.get(ModelRef.latest("a")).version(), "repaired, the model reads again");
        }
    }

    @Test
    void aChangeThatDoesNotFollowFromTheOnesBefore_isRefusedNamingTheFile() throws IOException {
        Path dir = dirs.create();
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            s.register(NewVersion.builder("a").artifact(new byte[] {1}).build());
            s.delete(ModelRef.of("a", 1), "x");
        }
        Path second = dir.resolve("models/a/changes/00000000000000000002.json");
        Path third = dir.resolve("models/a/changes/00000000000000000003.json");
        Files.copy(second, third);
        Files.writeString(third, Files.readString(third).replace("\"number\" : 2", "\"number\" : 3"));
        try (FileSystemModelStore s = FileSystemModelStore.open(dir)) {
            InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> s.tombstones("a"));
            assertTrue(e.getMessage().contains("00000000000000000003.json"), e.getMessage());
            assertTrue(e.getMessage().contains("does not follow"), e.getMessage());
        }
    }

    @Test
    void registryJson_ofAnotherFormatOrANewerVersion_isRefusedNamingTheFile() throws IOException {
        Path newer = dirs.create();
        Files.writeString(newer.resolve("registry.json"), "{\"format\":\"mlops.registry\",\"version\":2}");
        InvalidFormatException e = assertThrows(InvalidFormatException.class, () -> FileSystemModelStore.open(newer));
        assertTrue(e.getMessage().contains("registry.json"), e.getMessage());
        assertEquals("/version", e.path());

        Path other = dirs.create();
        Files.writeString(other.resolve("registry.json"), "{\"format\":\"something.else\",\"version\":1}");
        assertEquals("/format", assertThrows(InvalidFormatException.class, () -> FileSystemModelStore.open(other)).path());

        Path foreign = dirs.create();
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        StoreException refused = assertThrows(StoreException.class, () -> FileSystemModelStore.open(foreign));
        assertTrue(refused.getMessage().contains("notes.txt"), refused.getMessage());
    }

    @Test
    void aNewDirectory_getsTheLayout_andRegistryJsonIsWrittenOnce() throws IOException {
        Path dir = dirs.create().resolve("nested/store");
        FileSystemModelStore.open(dir).close();
        String header = Files.readString(dir.resolve("registry.json"), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"format\" : \"mlops.registry\""), header);
        for (String sub : List.of("objects/sha256", "models", "journal", "tmp")) {
            assertTrue(Files.isDirectory(dir.resolve(sub)), sub);
        }
        FileSystemModelStore.open(dir).close();
        assertEquals(header, Files.readString(dir.resolve("registry.json"), StandardCharsets.UTF_8));
    }

    @Test
    void builder_refusesAnOptionSetTwice_andANonPositiveTimeout() {
        Path dir = dirs.create();
        assertThrows(IllegalStateException.class, () -> FileSystemModelStore.builder(dir)
                .lockTimeout(java.time.Duration.ofSeconds(1)).lockTimeout(java.time.Duration.ofSeconds(2)));
        assertThrows(IllegalArgumentException.class, () -> FileSystemModelStore.builder(dir)
                .lockTimeout(java.time.Duration.ZERO));
    }
}
