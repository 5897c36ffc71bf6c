package dev.mlops.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The monitor package stands on its own: it must not reach into the registry (or any other concern). */
class MonitorPackageDependencyTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/mlops/core/monitor");

    @Test
    void monitorSources_importNothingFromTheRegistry() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the mlops-core module directory: " + SOURCES.toAbsolutePath());
        List<String> offending;
        try (Stream<Path> files = Files.list(SOURCES)) {
            offending = files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(MonitorPackageDependencyTest::lines)
                    .filter(l -> l.contains("dev.mlops.core.registry") || l.contains("dev.mlops.core.audit")
                            || l.contains("dev.mlops.core.security"))
                    .toList();
        }
        assertEquals(List.of(), offending);
    }

    private static Stream<String> lines(Path p) {
        try {
            return Files.readAllLines(p).stream().map(l -> p.getFileName() + ": " + l);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
