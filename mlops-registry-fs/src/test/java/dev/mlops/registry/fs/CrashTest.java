package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.Annotations;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM registers, moves an alias and annotates in a loop, printing each acknowledgement, and is
 * killed with SIGKILL at a random moment, {@code mlops.crash.kills} times (50 by default): 0.3 to 1.2 s
 * after it says the store is open, or, one kill in five, after the JVM starts (so some kills land while
 * it starts or opens the store). After every kill the store opens, {@code fsck} finds at most changes
 * whose journal entry it appends, every listed version reads back verified, numbering has no gap, and
 * every operation the child acknowledged before the kill is there. The child saves a snapshot every 7
 * changes, so kills also land while snapshots are written; fsck checks each against the replay.
 */
class CrashTest {
    private static final int KILLS = Integer.getInteger("mlops.crash.kills", 50);

    @Test
    void sigkillAtRandomMoments_losesNothingAcknowledged_andLeavesNothingHalfVisible(@TempDir Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Random random = new Random(20261201);
        List<String> acknowledged = new ArrayList<>();
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    dir.toString(), Integer.toString(kill)).redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the pipe closes when the child is killed
                }
            });
            reader.start();
            boolean fromStart = kill % 5 == 0; // one kill in five may land while the JVM starts or the store opens
            if (!fromStart) {
                long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!saw(lines, "ready .") && child.isAlive() && System.nanoTime() < ready) {
                    child.waitFor(5, TimeUnit.MILLISECONDS);
                }
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(900));
            while (System.nanoTime() < deadline && child.isAlive()) {
                child.waitFor(10, TimeUnit.MILLISECONDS);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            reader.join(10_000);
            synchronized (lines) {
                for (String line : lines) {
                    if (line.startsWith("ack ") && line.endsWith(" .")) {
                        acknowledged.add(line);
                    } else if (line.startsWith("ack ") || line.startsWith("error")) {
                        assertTrue(line.startsWith("ack "), "the child failed before the kill: " + lines);
                    }
                }
            }
            check(dir, acknowledged, kill);
        }
        assertTrue(acknowledged.stream().filter(a -> a.startsWith("ack register")).count() >= KILLS,
                "the children got work done between kills: " + acknowledged.size() + " acknowledgements");
    }

    private static boolean saw(List<String> lines, String line) {
        synchronized (lines) {
            return lines.contains(line);
        }
    }

    /** Opens the store the way a restarted service would, and checks it. */
    private static void check(Path dir, List<String> acknowledged, int kill) throws Exception {
        try (FileSystemModelStore store = FileSystemModelStore.open(dir)) {
            FsckReport report = store.fsck(java.time.Duration.ZERO);
            for (FsckReport.Finding f : report.findings()) {
                assertTrue(f.kind() == FsckReport.Kind.MISSING_EVENT && f.repaired(), "after kill " + kill
                        + ": a crash leaves at most a change whose event fsck appends, found " + f);
            }
            assertTrue(store.fsck(java.time.Duration.ZERO).clean(), "after kill " + kill + ": repaired, fsck is clean");
            long changes = 0;
            while (Files.exists(dir.resolve("models/m/changes").resolve(Layout.numbered(changes + 1)))) {
                changes++;
            }
            long events = 0;
            for (int n = store.events(0, 10_000).size(); n > 0; n = store.events(events, 10_000).size()) {
                events += n;
            }
            assertEquals(changes, events, "after kill " + kill + ": one event per change");
            List<ModelVersion> all = new ArrayList<>();
            if (store.model("m").isPresent()) {
                for (Page<ModelVersion> page = store.versions("m", PageRequest.first(1000)); ;
                        page = store.versions("m", page.next().get())) {
                    all.addAll(page.items());
                    if (page.next().isEmpty()) {
                        break;
                    }
                }
            }
            for (int i = 0; i < all.size(); i++) {
                assertEquals(all.size() - i, all.get(i).version(), "after kill " + kill + ": no gap, no partial version");
                try (InputStream in = store.open(all.get(i).ref())) {
                    assertEquals(all.get(i).size(), in.readAllBytes().length);
                }
            }
            List<AliasMove> history = store.aliasHistory("m", "champion");
            for (String ack : acknowledged) {
                String[] f = ack.split(" ");
                switch (f[1]) {
                    case "register" -> {
                        ModelVersion v = store.get(ModelRef.of("m", Long.parseLong(f[2])));
                        try (InputStream in = store.open(v.ref())) {
                            assertArrayEquals(f[3].getBytes(StandardCharsets.UTF_8), in.readAllBytes(), ack);
                        }
                    }
                    case "alias" -> {
                        // aliasHistory keeps an alias's last MAX_ALIAS_HISTORY moves; older ones are on disk only
                        boolean retained = history.size() < dev.mlops.core.internal.ModelLedger.MAX_ALIAS_HISTORY
                                || !java.time.Instant.parse(f[3]).isBefore(history.get(0).at());
                        assertTrue(!retained || history.stream().anyMatch(m -> m.to().isPresent()
                                && m.to().getAsLong() == Long.parseLong(f[2]) && m.at().toString().equals(f[3])),
                                "after kill " + kill + ": acknowledged " + ack + " is missing from " + history.size()
                                        + " moves");
                    }
                    case "annotate" -> assertTrue(store.get(ModelRef.of("m", Long.parseLong(f[2]))).revision()
                            >= Long.parseLong(f[3]), ack);
                    default -> throw new AssertionError(ack);
                }
            }
        }
    }

    /** Runs in the child JVM until it is killed. */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) {
            Path dir = Path.of(args[0]);
            String run = args[1];
            Random random = new Random(Long.parseLong(run));
            // a snapshot every 7 changes, so that kills land while snapshots are written and later loads use them
            try (ModelStore store = FileSystemModelStore.builder(dir).snapshotEvery(7).build()) {
                System.out.println("ready .");
                for (int i = 0; ; i++) {
                    String content = "run" + run + "-" + i;
                    ModelVersion v = store.register(NewVersion.builder("m")
                            .artifact(content.getBytes(StandardCharsets.UTF_8)).build());
                    System.out.println("ack register " + v.version() + " " + content + " .");
                    long target = 1 + random.nextInt((int) v.version());
                    if (store.find(ModelRef.of("m", target)).isPresent()) {
                        AliasMove move = store.setAlias("m", "champion", target, AliasExpect.any());
                        System.out.println("ack alias " + target + " " + move.at() + " .");
                    }
                    ModelVersion annotated = store.annotate(v.ref(), v.revision(),
                            Annotations.builder().putTag("round", Integer.toString(i)).build());
                    System.out.println("ack annotate " + annotated.version() + " " + annotated.revision() + " .");
                }
            } catch (RuntimeException e) {
                System.out.println("error " + e);
                System.exit(1);
            }
        }
    }
}
