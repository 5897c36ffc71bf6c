package dev.mlops.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The runtime a model version was produced in, captured automatically by {@link Lineage.Builder#build()}
 * unless set explicitly.
 *
 * @param java the JVM: version and vendor, e.g. {@code "17.0.15 (Debian)"}
 * @param os the operating system: name, version and architecture
 * @param library the version of mlops that registered the model
 * @param extra anything else worth keeping (GPU model, container image, ...)
 */
public record Environment(String java, String os, String library, Map<String, String> extra) {
    private static final String LIBRARY_VERSION = readLibraryVersion();

    /**
     * Validates and copies the parts.
     *
     * @param java the JVM: version and vendor, e.g. {@code "17.0.15 (Debian)"}
     * @param os the operating system: name, version and architecture
     * @param library the version of mlops that registered the model
     * @param extra anything else worth keeping (GPU model, container image, ...)
     */
    public Environment {
        Texts.check("java", java, 0, 500);
        Texts.check("os", os, 0, 500);
        Texts.check("library", library, 0, 100);
        Objects.requireNonNull(extra, "extra");
        TreeMap<String, String> copy = new TreeMap<>();
        extra.forEach((k, v) -> copy.put(Texts.key("environment key", k), Texts.check("environment value", v, 0, 2000)));
        extra = Collections.unmodifiableMap(copy);
    }

    /**
     * @return the environment this JVM runs in
     */
    public static Environment current() {
        return new Environment(
                System.getProperty("java.version", "?") + " (" + System.getProperty("java.vendor", "?") + ")",
                System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "?") + " "
                        + System.getProperty("os.arch", "?"),
                LIBRARY_VERSION,
                Map.of());
    }

    /**
     * @return the version of this library, from the build
     */
    public static String libraryVersion() {
        return LIBRARY_VERSION;
    }

    private static String readLibraryVersion() {
        try (InputStream in = Environment.class.getResourceAsStream("/dev/mlops/core/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
