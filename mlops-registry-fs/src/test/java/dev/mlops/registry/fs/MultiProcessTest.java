package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStore;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several real JVMs writing to one store directory at once: 4 processes × 2 threads × 50 registrations
 * into one model give exactly versions 1..400, none lost or duplicated, each reading back verified; and
 * alias moves raced from 4 processes have exactly one winner per round, with a consistent history.
 */
class MultiProcessTest {
    private static final int PROCESSES = 4;
    private static final int THREADS = 2;
    private static final int PER_THREAD = 50;
    private static final int ROUNDS = 25;

    @Test
    void fourJvms_registerIntoOneModel_andRaceAliasMoves(@TempDir Path dir) throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<ModelStoreEvent> heard = new CopyOnWriteArrayList<>();
        FileSystemModelStore watcher = FileSystemModelStore.builder(dir)
                .pollEvery(scheduler, Duration.ofMillis(20)).build();
        watcher.subscribe(heard::add);
        watcher.register(NewVersion.builder("m").artifact("seed".getBytes(StandardCharsets.UTF_8)).build());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> children = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            Path log = dir.resolveSibling(dir.getFileName() + "-child-" + p + ".log");
            logs.add(log);
            children.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(),
                    dir.toString(), Integer.toString(p)).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int p = 0; p < PROCESSES; p++) {
            assertTrue(children.get(p).waitFor(240, TimeUnit.SECONDS), "child " + p + " did not finish");
            assertEquals(0, children.get(p).exitValue(), "child " + p + ": " + Files.readString(logs.get(p)));
        }

        int expected = 1 + PROCESSES * THREADS * PER_THREAD;
        watcher.poll(); // whatever the last scheduled poll did not see yet
        watcher.close();
        scheduler.shutdown();
        try (ModelStore store = FileSystemModelStore.open(dir)) {
            List<ModelStoreEvent> journal = new ArrayList<>();
            for (List<ModelStoreEvent> batch = store.events(0, 10_000); !batch.isEmpty();
                    batch = store.events(journal.size(), 10_000)) {
                journal.addAll(batch);
            }
            assertEquals(journal, heard, "the watcher heard every process's events, once each, in the journal's order");
            assertEquals(expected, journal.stream().filter(e -> e instanceof ModelStoreEvent.Registered).count());

            Set<String> contents = new HashSet<>();
            List<Long> numbers = new ArrayList<>();
            for (Page<ModelVersion> page = store.versions("m", PageRequest.first(1000)); ;
                    page = store.versions("m", page.next().get())) {
                for (ModelVersion v : page.items()) {
                    numbers.add(v.version());
                    try (InputStream in = store.open(v.ref())) {
                        byte[] bytes = in.readAllBytes();
                        assertEquals(v.size(), bytes.length);
                        contents.add(new String(bytes, StandardCharsets.UTF_8));
                    }
                }
                if (page.next().isEmpty()) {
                    break;
                }
            }
            assertEquals(expected, numbers.size(), "every registration is there once");
            for (int i = 0; i < numbers.size(); i++) {
                assertEquals(expected - i, numbers.get(i), "versions are exactly 1.." + expected);
            }
            assertEquals(expected, contents.size(), "no registration lost or duplicated");

            List<AliasMove> history = store.aliasHistory("m", "champion");
            int wins = 0;
            for (Path log : logs) {
                wins += (int) Files.readAllLines(log).stream().filter(l -> l.startsWith("won ")).count();
            }
            assertEquals(history.size(), wins, "every move in the history was acknowledged to exactly one racer");
            for (int i = 1; i < history.size(); i++) {
                assertEquals(history.get(i - 1).to(), history.get(i).from(), "each move starts where the last ended");
            }
            assertTrue(history.size() >= ROUNDS, "someone wins every race a loser lost: " + history.size());
        }
    }

    /** Runs in a child JVM: registers, then races compare-and-set moves of one alias. */
    static final class Child {
        private Child() {
        }

        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            int process = Integer.parseInt(args[1]);
            try (ModelStore store = FileSystemModelStore.open(dir)) {
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    threads.add(new Thread(() -> {
                        try {
                            for (int i = 0; i < PER_THREAD; i++) {
                                byte[] bytes = ("p" + process + "-t" + thread + "-" + i).getBytes(StandardCharsets.UTF_8);
                                ModelVersion v = store.register(NewVersion.builder("m").artifact(bytes).build());
                                try (InputStream in = store.open(v.ref())) {
                                    assertArrayEquals(bytes, in.readAllBytes());
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                if (!failures.isEmpty()) {
                    failures.get(0).printStackTrace(System.out);
                    System.exit(1);
                }
                for (int round = 0; round < ROUNDS; round++) {
                    var current = store.find(ModelRef.alias("m", "champion"));
                    AliasExpect expect = current.map(v -> AliasExpect.current(v.version())).orElse(AliasExpect.absent());
                    long target = 1 + (process + round) % 50;
                    try {
                        AliasMove move = store.setAlias("m", "champion", target, expect);
                        System.out.println("won " + move.from() + " -> " + move.to());
                    } catch (ConcurrentUpdateException lost) {
                        System.out.println("lost");
                    }
                }
            }
        }
    }
}
