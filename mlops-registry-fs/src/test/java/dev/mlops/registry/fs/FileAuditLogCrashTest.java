package dev.mlops.registry.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mlops.core.audit.AuditEvent;
import dev.mlops.core.audit.AuditRecord;
import dev.mlops.core.audit.AuditVerification;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends from 8 threads, printing each acknowledged index, and is killed with SIGKILL at a
 * random moment, {@code mlops.audit.crash.kills} times (50 by default): one kill in five at any moment
 * from the JVM's start (so some land while it opens and repairs the log), the others at a random moment
 * after its first acknowledgement. Small segments make kills land in segment changes too. After every
 * kill the log opens, verifies, and holds every record any child acknowledged, at its index. Every
 * {@value #KILLS_PER_LOG} kills the children move to a new log, so that reopening stays quick while each
 * log still outlives many crashes.
 */
class FileAuditLogCrashTest {
    private static final int KILLS = Integer.getInteger("mlops.audit.crash.kills", 50);
    private static final int THREADS = 8;
    private static final int SEGMENT_BYTES = 16 * 1024;
    private static final int KILLS_PER_LOG = 10;

    @Test
    void sigkillAtRandomMoments_losesNoAcknowledgedRecord_andTheLogAlwaysOpensAndVerifies(@TempDir Path root) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Random random = new Random(20261201);
        Map<Long, AuditEvent> acknowledged = new HashMap<>();
        int total = 0;
        int repairs = 0;
        int interruptedSegments = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < KILLS; kill++) {
            Path dir = root.resolve("log-" + kill / KILLS_PER_LOG);
            if (kill % KILLS_PER_LOG == 0) {
                total += acknowledged.size();
                acknowledged.clear();
            }
            Process child = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString(), Integer.toString(kill))
                    .redirectErrorStream(true).start();
            List<String> lines = new ArrayList<>();
            CountDownLatch firstAck = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (line.startsWith("ack ")) {
                            firstAck.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // the pipe breaks when the child is killed
                }
            });
            reader.start();
            try {
                if (random.nextInt(5) == 0) {
                    child.waitFor(random.nextInt(600), TimeUnit.MILLISECONDS);
                } else {
                    assertTrue(firstAck.await(30, TimeUnit.SECONDS) || !child.isAlive(), () -> {
                        synchronized (lines) {
                            return "the child acknowledged nothing: " + lines;
                        }
                    });
                    child.waitFor(random.nextInt(120), TimeUnit.MILLISECONDS);
                }
            } finally {
                child.destroyForcibly();
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            reader.join(10_000);
            synchronized (lines) {
                for (String line : lines) {
                    String[] f = line.split(" ");
                    if (line.startsWith("ack ") && f.length == 6 && f[5].equals(".")) {
                        AuditEvent e = Child.event(Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]));
                        AuditEvent before = acknowledged.put(Long.parseLong(f[1]), e);
                        assertTrue(before == null, "index " + f[1] + " acknowledged twice: " + before + " and " + e);
                    } else {
                        assertTrue(line.startsWith("ack ") || line.startsWith("opened "), "the child failed before the kill: " + lines);
                    }
                }
            }
            if (Files.isDirectory(dir)) { // a child killed early may not have created it
                try (Stream<Path> files = Files.list(dir)) {
                    interruptedSegments += (int) files.filter(p -> AuditSegment.isTemporary(p.getFileName().toString())).count();
                }
            }
            repairs += check(dir, acknowledged, kill);
        }
        total += acknowledged.size();
        assertTrue(total >= KILLS, "the children got work done between kills: " + total);
        System.out.printf("audit crash test: %d kills, %d records acknowledged, %d torn tails cut, %d segment creations"
                + " interrupted, %.1f s%n", KILLS, total, repairs, interruptedSegments, (System.nanoTime() - started) / 1e9);
    }

    /** Opens the log the way a restarted service would, and checks it; returns 1 when the open cut a torn tail. */
    private static int check(Path dir, Map<Long, AuditEvent> acknowledged, int kill) {
        try (FileAuditLog log = FileAuditLog.builder(dir).segmentBytes(SEGMENT_BYTES).build()) {
            assertEquals(AuditVerification.ok(log.size()), log.verify(), "after kill " + kill);
            List<AuditRecord> all = new ArrayList<>();
            for (List<AuditRecord> page = log.read(0, 10_000); !page.isEmpty(); page = log.read(all.size(), 10_000)) {
                all.addAll(page);
            }
            assertEquals(log.size(), all.size());
            for (Map.Entry<Long, AuditEvent> ack : acknowledged.entrySet()) {
                assertTrue(ack.getKey() < all.size(), "after kill " + kill + ": acknowledged record " + ack.getKey()
                        + " is missing; the log holds " + all.size());
                assertEquals(ack.getValue(), all.get((int) (long) ack.getKey()).event(), "after kill " + kill + ", record " + ack.getKey());
            }
            return log.tailRepair().isPresent() ? 1 : 0;
        }
    }

    /** Runs in the child JVM until it is killed. */
    static final class Child {
        private Child() {
        }

        static AuditEvent event(int run, int thread, int seq) {
            return AuditEvent.of("thread-" + thread, "crash.append", "run-" + run).with("seq", Integer.toString(seq));
        }

        public static void main(String[] args) throws InterruptedException {
            int run = Integer.parseInt(args[1]);
            FileAuditLog log = FileAuditLog.builder(Path.of(args[0])).segmentBytes(SEGMENT_BYTES).build();
            System.out.println("opened " + log.size());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                threads.add(new Thread(() -> {
                    try {
                        for (int seq = 0; ; seq++) {
                            AuditRecord r = log.append(event(run, thread, seq));
                            System.out.println("ack " + r.index() + " " + run + " " + thread + " " + seq + " .");
                        }
                    } catch (RuntimeException e) {
                        System.out.println("error " + e);
                        System.exit(1);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
