package dev.mlops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shaded jar, {@code target/mlops.jar}, as a separate process, as a shell or a CI job would:
 * {@code java -jar mlops.jar ARGS}. The build passes the jar's path in the system property
 * {@code mlops.cli.jar}; these tests run after {@code package} for that reason.
 */
final class Jar {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = locate();
    /** Flags for a fast start of a short-lived JVM; they change nothing the command does. */
    private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", "-Xshare:auto");

    private Jar() {
    }

    /** What one run of the command gave. */
    record Result(int exitCode, String out, String err) {
        /** @return stdout read as one JSON document */
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON document: " + this, e);
            }
        }

        /** Asserts the exit code, showing both streams when it differs. */
        Result exits(int expected) {
            assertEquals(expected, exitCode, () -> "exit code of " + this);
            return this;
        }

        /** Asserts stderr is empty. */
        Result quiet() {
            assertEquals("", err, () -> "stderr of " + this);
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Asserts that a text holds every part.
     *
     * @param text stdout or stderr
     * @param parts what it must hold
     */
    static void assertContains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), () -> "expected " + part + " in:\n" + text);
        }
    }

    /**
     * @param array a JSON array
     * @param f what to take of each element
     * @return those, in order
     */
    static List<String> each(JsonNode array, java.util.function.Function<JsonNode, String> f) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(f.apply(n)));
        return out;
    }

    private static Path locate() {
        String p = System.getProperty("mlops.cli.jar");
        assertTrue(p != null, "system property mlops.cli.jar is not set: run these tests with mvn verify, which"
                + " builds the jar and sets it");
        Path jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), () -> "the shaded jar " + jar + " is missing: mvn package builds it");
        return jar;
    }

    /**
     * @param dir the working directory
     * @param args the command line after {@code java -jar mlops.jar}
     * @return what it gave
     */
    static Result run(Path dir, String... args) {
        return run(dir, Map.of(), args);
    }

    /**
     * @param dir the working directory
     * @param env environment variables to set for it
     * @param args the command line after {@code java -jar mlops.jar}
     * @return what it gave
     */
    static Result run(Path dir, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(dir, "stdout", ".txt");
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("MLOPS_"));
            pb.environment().put("MLOPS_ACTOR", "ci-bot");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("mlops " + String.join(" ", args) + " did not end within 60 s");
            }
            Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
