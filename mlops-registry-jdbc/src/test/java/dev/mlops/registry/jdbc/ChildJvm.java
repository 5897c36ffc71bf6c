package dev.mlops.registry.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * A JVM of its own, started on the test class path, standing for another host: it runs a test's
 * {@code main} and reaches the parent's embedded PostgreSQL over TCP through a pool of its own. Its
 * standard output and error are read into {@link #lines()} as they come.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the pipe closes when the child dies
            }
        }, "child-" + process.pid() + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code main} with {@code args} in a new JVM. The JIT stops at its first tier and the heap is
     * small, so that several children start quickly on a machine with two cores.
     */
    static ChildJvm start(Class<?> main, String... args) {
        return start(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"), main, args);
    }

    /** Starts {@code main} with {@code args} in a new JVM run with {@code options} (heap, JIT, GC). */
    static ChildJvm start(List<String> options, Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException("starting a child JVM failed", e);
        }
    }

    /** In a child: connections to the parent's server, pooled as a host's application pools them. */
    static DataSource pool(String url) {
        return new TestPool(new DriverDataSource(url));
    }

    /** Connections from the driver for a URL, one per call, as a pool's target. */
    private record DriverDataSource(String url) implements ConnectionSource {
        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url);
        }
    }

    /** @return a copy of the lines read so far */
    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /**
     * Waits for a line at or after index {@code from} that matches, until the child ends or the timeout
     * passes.
     *
     * @return the matching line's index, or -1 when none came
     */
    int awaitLine(int from, Predicate<String> wanted, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (lines) {
            for (int seen = from; ; ) {
                for (; seen < lines.size(); seen++) {
                    if (wanted.test(lines.get(seen))) {
                        return seen;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    return -1;
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
    }

    /** @return whether it ended within the timeout; its output is then read to the end */
    boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        boolean ended = process.waitFor(timeout, unit);
        if (ended) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        return ended;
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Kills it with SIGKILL, as a crash or the OOM killer would, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("child " + process.pid() + " did not die of SIGKILL");
        }
    }

    /** Kills it if it still runs: for finally blocks. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
