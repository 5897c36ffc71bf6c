package dev.mlops.registry.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.ConcurrentUpdateException;
import dev.mlops.core.registry.AliasExpect;
import dev.mlops.core.registry.AliasMove;
import dev.mlops.core.registry.ModelRef;
import dev.mlops.core.registry.ModelStoreEvent;
import dev.mlops.core.registry.ModelVersion;
import dev.mlops.core.registry.NewVersion;
import dev.mlops.core.registry.Page;
import dev.mlops.core.registry.PageRequest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Four hosts on one database, each a JVM of its own with its own connection pool: 4 processes × 2
 * threads × 50 registrations into one model number it exactly 1..400, none lost or given twice, each
 * acknowledged number holding the bytes its registrant sent; then 25 rounds of compare-and-set alias
 * moves raced by all four, every racer expecting the round's starting target, have exactly one winner per
 * round, the losers getting {@link ConcurrentUpdateException}, and the alias's history is exactly the
 * winners' moves. A watcher store in this JVM, polling every 20 ms on a scheduler, hears every event of
 * every host once, in the sequence's order, which is commit order: registrations in number order.
 */
class MultiHostTest {
    private static final int HOSTS = 4;
    private static final int THREADS = 2;
    private static final int PER_THREAD = 50;
    private static final int VERSIONS = HOSTS * THREADS * PER_THREAD;
    private static final int ROUNDS = 25;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void fourJvms_registerIntoOneModel_andRaceAliasMoves_whileAWatcherPolls() throws Exception {
        String schema = TestDatabase.freshSchema();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        List<ModelStoreEvent> heard = new CopyOnWriteArrayList<>();
        List<ChildJvm> children = new ArrayList<>();
        try (PostgresModelStore watcher = PostgresModelStore.builder(TestDatabase.newPool()).schema(schema)
                .pollEvery(scheduler, Duration.ofMillis(20)).build()) {
            watcher.subscribe(heard::add);
            for (int h = 0; h < HOSTS; h++) {
                children.add(ChildJvm.start(Host.class, TestDatabase.jdbcUrl(), schema, Integer.toString(h)));
            }
            for (int h = 0; h < HOSTS; h++) {
                ChildJvm child = children.get(h);
                assertTrue(child.waitFor(240, TimeUnit.SECONDS), "host " + h + " did not finish: " + child.lines());
                assertEquals(0, child.exitValue(), "host " + h + ": " + String.join("\n", child.lines()));
            }
            watcher.poll(); // whatever the last scheduled poll did not see yet

            try (PostgresModelStore store = PostgresModelStore.open(TestDatabase.dataSource())) {
                // open() uses the default schema: these tables are elsewhere
                assertTrue(store.find(ModelRef.latest("m")).isEmpty());
            }
            try (PostgresModelStore store = PostgresModelStore.builder(TestDatabase.dataSource()).schema(schema)
                    .build()) {
                List<ModelStoreEvent> events = new ArrayList<>();
                for (List<ModelStoreEvent> batch = store.events(0, 10_000); !batch.isEmpty();
                        batch = store.events(events.size(), 10_000)) {
                    events.addAll(batch);
                }
                assertEquals(events, heard, "the watcher heard every host's events, once each, in the sequence's order");
                assertEquals(VERSIONS + ROUNDS, events.size());
                List<Long> registered = events.stream().filter(e -> e instanceof ModelStoreEvent.Registered)
                        .map(e -> ((ModelStoreEvent.Registered) e).version().version()).toList();
                for (int i = 0; i < VERSIONS; i++) {
                    assertEquals(i + 1, registered.get(i), "registrations are in the sequence in number order");
                }

                checkRegistrations(store, children);
                checkRaces(store, children, events);

                VerifyReport report = store.verify();
                assertTrue(report.ok(), report.problems().toString());
                assertEquals(VERSIONS, report.versions());
                assertEquals(VERSIONS + ROUNDS, report.changes());
            }
        } finally {
            children.forEach(ChildJvm::close);
            scheduler.shutdownNow();
            TestDatabase.dropSchema(schema);
        }
    }

    /** Versions are exactly 1..400, and each acknowledged number holds the bytes its registrant sent. */
    private static void checkRegistrations(PostgresModelStore store, List<ChildJvm> children) throws Exception {
        List<Long> numbers = new ArrayList<>();
        Map<Long, String> contents = new HashMap<>();
        for (Page<ModelVersion> page = store.versions("m", PageRequest.first(1000)); ;
                page = store.versions("m", page.next().get())) {
            for (ModelVersion v : page.items()) {
                numbers.add(v.version());
                try (InputStream in = store.open(v.ref())) {
                    contents.put(v.version(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            if (page.next().isEmpty()) {
                break;
            }
        }
        assertEquals(VERSIONS, numbers.size(), "every registration is there once");
        for (int i = 0; i < VERSIONS; i++) {
            assertEquals(VERSIONS - i, numbers.get(i), "versions are exactly 1.." + VERSIONS);
        }
        Map<Long, String> acknowledged = new HashMap<>();
        for (ChildJvm child : children) {
            for (String line : child.lines()) {
                if (line.startsWith("registered ")) {
                    String[] f = line.split(" ");
                    String before = acknowledged.put(Long.parseLong(f[1]), f[2]);
                    assertEquals(null, before, "number " + f[1] + " acknowledged twice: " + before + ", " + f[2]);
                }
            }
        }
        assertEquals(contents, acknowledged, "each number was acknowledged to the registrant whose bytes it holds");
    }

    /** Each round has exactly one winner, every other host lost it, and the history is the winners' moves. */
    private static void checkRaces(PostgresModelStore store, List<ChildJvm> children, List<ModelStoreEvent> events) {
        List<AliasMove> history = store.aliasHistory("m", "champion");
        assertEquals(ROUNDS, history.size(), "one move per round");
        List<AliasMove> announced = events.stream().filter(e -> e instanceof ModelStoreEvent.AliasMoved)
                .map(e -> ((ModelStoreEvent.AliasMoved) e).move()).toList();
        assertEquals(history, announced, "the events announce the moves in the history's order");
        for (int round = 0; round < ROUNDS; round++) {
            List<String> won = new ArrayList<>();
            int lost = 0;
            for (ChildJvm child : children) {
                for (String line : child.lines()) {
                    if (line.startsWith("won " + round + " ")) {
                        won.add(line);
                    } else if (line.equals("lost " + round)) {
                        lost++;
                    }
                }
            }
            assertEquals(1, won.size(), "round " + round + ": exactly one winner: " + won);
            assertEquals(HOSTS - 1, lost, "round " + round + ": every other host lost");
            AliasMove move = history.get(round);
            assertEquals("won " + round + " " + move.to().getAsLong(), won.get(0), "the winner's move is in the history");
            assertEquals(round == 0 ? "empty" : Long.toString(history.get(round - 1).to().getAsLong()),
                    move.from().isPresent() ? Long.toString(move.from().getAsLong()) : "empty",
                    "round " + round + " starts where the round before ended");
        }
        assertEquals(history.get(ROUNDS - 1).to().getAsLong(), store.get(ModelRef.alias("m", "champion")).version());
    }

    /** One host: a JVM with its own pool and store, registering from two threads, then racing moves. */
    static final class Host {
        private Host() {
        }

        public static void main(String[] args) throws Exception {
            String url = args[0];
            String schema = args[1];
            int host = Integer.parseInt(args[2]);
            try (PostgresModelStore store = PostgresModelStore.builder(ChildJvm.pool(url)).schema(schema).build()) {
                List<Thread> threads = new ArrayList<>();
                List<Throwable> failures = new CopyOnWriteArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    threads.add(new Thread(() -> {
                        try {
                            for (int i = 0; i < PER_THREAD; i++) {
                                String content = "h" + host + "-t" + thread + "-" + i;
                                byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
                                ModelVersion v = store.register(NewVersion.builder("m").artifact(bytes).build());
                                try (InputStream in = store.open(v.ref())) {
                                    assertArrayEquals(bytes, in.readAllBytes());
                                }
                                System.out.println("registered " + v.version() + " " + content);
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
                // all hosts start racing once every registration is in
                awaitUntil(() -> store.find(ModelRef.latest("m")).map(ModelVersion::version).orElse(0L) == VERSIONS,
                        "all " + VERSIONS + " registrations");
                for (int round = 0; round < ROUNDS; round++) {
                    int r = round;
                    awaitUntil(() -> store.aliasHistory("m", "champion").size() >= r, "round " + r);
                    // every racer of a round expects its starting target; targets never repeat, so only the
                    // round's first compare-and-set can hold
                    AliasExpect expect = round == 0 ? AliasExpect.absent()
                            : AliasExpect.current(store.aliasHistory("m", "champion").get(round - 1).to().getAsLong());
                    long target = (long) round * HOSTS + host + 1;
                    try {
                        store.setAlias("m", "champion", target, expect);
                        System.out.println("won " + round + " " + target);
                    } catch (ConcurrentUpdateException lost) {
                        System.out.println("lost " + round);
                    }
                }
            }
        }

        private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    System.out.println("timed out waiting for " + what);
                    System.exit(2);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        }
    }
}
