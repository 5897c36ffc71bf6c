package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.Tombstone;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The golden stores of each layout version, in {@code src/test/resources/layout-v<n>}, made by
 * {@link Scenario#populate}. Every later version of this library must keep opening and reading them all.
 * Run with {@code -Dmlops.golden.write=true} to write the current version's again, only when that
 * version's layout changes (then keep the older ones as they are, and add the new version beside them).
 */
class GoldenLayoutTest {
    private static final Path GOLDEN_V1 = Path.of("src/test/resources/layout-v1");
    private static final Path GOLDEN = Path.of("src/test/resources/layout-v" + Layout.VERSION);
    private final TempDirs dirs = new TempDirs();

    @AfterEach
    void deleteDirectories() throws IOException {
        dirs.deleteAll();
    }

    @Test
    void goldenStoreV1_copiedElsewhere_opensAndReadsBackEveryKindOfChange() throws IOException {
        readsBackTheScenario(GOLDEN_V1, 1);
    }

    @Test
    void goldenStoreV2_copiedElsewhere_opensAndReadsBackEveryKindOfChange() throws IOException {
        readsBackTheScenario(Path.of("src/test/resources/layout-v2"), 2);
    }

    /** A store of layout 1 keeps its layout: what this library adds to it, a reader of layout 1 reads. */
    @Test
    void aLayout1Store_getsUnsealedFiles() throws IOException {
        Path copy = copyOf(GOLDEN_V1);
        try (FileSystemModelStore s = FileSystemModelStore.open(copy)) {
            assertEquals(1, s.layoutVersion());
            long added = s.register(dev.mlops.core.registry.NewVersion.builder("fraud")
                    .artifact("added".getBytes(StandardCharsets.UTF_8)).build()).version();
            String text = Files.readString(copy.resolve("models/fraud/changes/00000000000000000011.json"));
            assertTrue(text.contains("\"version\" : 1") && !text.contains("\"seal\""), text);
            try (FileSystemModelStore again = FileSystemModelStore.open(copy)) {
                assertArrayEquals("added".getBytes(StandardCharsets.UTF_8), again.open(ModelRef.of("fraud", added))
                        .readAllBytes());
            }
        }
    }

    private void readsBackTheScenario(Path golden, int layoutVersion) throws IOException {
        Path copy = copyOf(golden);
        try (FileSystemModelStore s = FileSystemModelStore.open(copy)) {
            assertEquals(layoutVersion, s.layoutVersion());
            FsckReport report = s.fsck(java.time.Duration.ZERO);
            assertTrue(report.clean(), "the copy verifies whole: " + report.findings());
            assertEquals(3, report.objects(), report.summary());
            assertEquals(1, s.get(ModelRef.alias("fraud", "champion")).version());
            assertArrayEquals("weights-v1".getBytes(StandardCharsets.UTF_8), s.open(ModelRef.alias("fraud", "champion"))
                    .readAllBytes(), "the artifact reads back verified");
            assertEquals(List.of(2L), s.tombstones("fraud").stream().map(Tombstone::version).toList());
            assertEquals("fraud scorer", s.model("fraud").orElseThrow().description());
            assertEquals(Map.of("owner", "risk"), s.model("fraud").orElseThrow().tags());
            assertTrue(s.model("retired").isEmpty(), "a model deleted whole is not listed");
            assertEquals(List.of(1L), s.tombstones("retired").stream().map(Tombstone::version).toList());
            assertEquals(4, s.aliasHistory("fraud", "champion").size() + s.aliasHistory("fraud", "staging").size() - 1);
            List<ModelStoreEvent> events = s.events(0, 100);
            assertEquals(13, events.size());
            assertTrue(events.get(12) instanceof ModelStoreEvent.ModelDeleted, events.get(12).toString());

            Path fresh = dirs.create();
            try (FileSystemModelStore made = FileSystemModelStore.builder(fresh).clock(Scenario.clock()).build()) {
                Scenario.populate(made);
                assertEquals(Scenario.observe(made), Scenario.observe(s), "the golden store reads as the scenario made it");
            }
        }
    }

    /**
     * The current layout as this library writes it, byte for byte: a change here is a change of the format, which
     * needs a new layout version (and the old golden store kept and read).
     */
    @Test
    void theScenario_writesTheGoldenFilesByteForByte() throws IOException {
        Path fresh = dirs.create();
        try (FileSystemModelStore made = FileSystemModelStore.builder(fresh).clock(Scenario.clock()).build()) {
            Scenario.populate(made);
        }
        if (Boolean.getBoolean("mlops.golden.write")) {
            TempDirs.delete(GOLDEN);
            copyTree(fresh, GOLDEN);
        }
        Map<String, byte[]> expected = files(GOLDEN);
        Map<String, byte[]> actual = files(fresh);
        assertEquals(expected.keySet(), actual.keySet(), "the same files");
        for (String name : expected.keySet()) {
            assertEquals(new String(expected.get(name), StandardCharsets.UTF_8),
                    new String(actual.get(name), StandardCharsets.UTF_8), name);
        }
    }

    private Path copyOf(Path from) throws IOException {
        Path to = dirs.create().resolve("store");
        copyTree(from, to);
        return to;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Every file but the (empty) temporary directory's, by relative path. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString().replace('\\', '/');
                if (!name.startsWith("tmp/")) {
                    out.put(name, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }
}
